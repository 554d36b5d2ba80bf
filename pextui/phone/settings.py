"""The `[pbx]` table of the settings file: where the PBX is, who the operator is, the numbers.

    [pbx]
    base_url = "https://pbx.example.com:8088"   # the PBX's web address (OpenAPI lives below)
    operator = "2005"                          # the operator's extension (dial_permission)
    insecure = false                           # true: do NOT verify TLS (lab PBXs only)

    [pbx.numbers]                              # conference alias = number via the trunk
    meet.demo = "8001"                         # a dotted key works as well as "meet.demo"
    "meet.board" = "sip:meet.board@pexip.example.com"

The Client ID and Secret never live here (environment or prompt): a `client_secret` or
`client_id` key is ignored with a warning.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from urllib.parse import urlsplit

MAX_TEXT = 1000
_KNOWN = ("base_url", "operator", "insecure", "numbers")
_EXTENSION = re.compile(r"\d{1,12}")
_NUMBER = re.compile(r"(?:sip:)?[\w.+@:-]{1,200}")


class PbxSettingsError(ValueError):
    """A bad `[pbx]` value; `key` names the setting."""

    def __init__(self, key: str, message: str) -> None:
        super().__init__(message)
        self.key = key


@dataclass(frozen=True)
class PbxSettings:
    base_url: str
    operator: str
    numbers: Mapping[str, str] = field(default_factory=dict, hash=False)
    insecure: bool = False


def _flatten(table: Mapping[str, object], prefix: str = "") -> Iterator[tuple[str, object]]:
    for key, value in table.items():
        name = f"{prefix}{key}"
        if isinstance(value, dict):
            yield from _flatten(value, name + ".")  # `meet.demo = "8001"` is a dotted key
        else:
            yield name, value


def parse_pbx(value: object, warn: Callable[[str], None]) -> PbxSettings | None:
    """`[pbx]` as settings (None when absent); PbxSettingsError for a bad value."""
    if value is None:
        return None
    if not isinstance(value, dict):
        raise PbxSettingsError("pbx", "'pbx' must be a table ([pbx])")
    for key in value:
        if key not in _KNOWN:
            secret = "secret" in key.lower() or key.lower() == "client_id"
            why = "the Client ID / Secret come from the environment or a prompt" if secret else ""
            warn(f"ignored pbx.{key}{': ' + why if why else ''}")
    base_url = value.get("base_url")
    if not isinstance(base_url, str) or len(base_url) > MAX_TEXT:
        raise PbxSettingsError("base_url", "pbx.base_url must be the PBX's URL (a string)")
    parts = urlsplit(base_url)
    if parts.scheme not in ("http", "https") or not parts.hostname or parts.query:
        raise PbxSettingsError("base_url", "pbx.base_url must be http(s)://HOST[:PORT]")
    operator = value.get("operator")
    if not isinstance(operator, str) or not _EXTENSION.fullmatch(operator):
        raise PbxSettingsError("operator", 'pbx.operator must be an extension number, e.g. "2005"')
    insecure = value.get("insecure", False)
    if not isinstance(insecure, bool):
        raise PbxSettingsError("insecure", "pbx.insecure must be true or false")
    numbers_table = value.get("numbers", {})
    if not isinstance(numbers_table, dict):
        raise PbxSettingsError("numbers", "pbx.numbers must be a table of alias = number")
    numbers: dict[str, str] = {}
    for alias, number in _flatten(numbers_table):
        if not isinstance(number, str) or not _NUMBER.fullmatch(number):
            raise PbxSettingsError(alias, f'pbx.numbers.{alias} must be a number such as "8001"')
        numbers[alias] = number
    return PbxSettings(base_url.rstrip("/"), operator, numbers, insecure)


def dump_pbx(settings: PbxSettings | None, _quote: Callable[[str], str]) -> list[str]:
    """The `[pbx]` lines for the settings file; `_quote` makes a TOML string."""
    if settings is None:
        return []
    lines = ["\n[pbx]\n", f"base_url = {_quote(settings.base_url)}\n",
             f"operator = {_quote(settings.operator)}\n"]  # fmt: skip
    if settings.insecure:
        lines.append("insecure = true\n")
    if settings.numbers:
        lines.append("\n[pbx.numbers]\n")
        lines.extend(f"{_quote(a)} = {_quote(n)}\n" for a, n in settings.numbers.items())
    return lines
