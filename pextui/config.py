"""User settings: a small TOML file that never holds a secret.

Location: ``$PEXTUI_CONFIG`` when set, else ``platformdirs.user_config_dir("pextui")/config.toml``.
Example::

    theme = "ansi-dark"          # a Textual theme name
    display_name = "Alice"       # default name on the connect screen
    ca_bundle = "~/certs/ca.pem" # default CA bundle for TLS verification
    bulk_confirm_above = 10      # G, A, H, m/v on a selection ask first above this many people

    [keys]                       # key remaps: binding id = key(s), as Textual's set_keymap
    mute = "ctrl+m"
    transfer = "T,ctrl+t"

    [[recent]]                   # most recent first, at most 10, one per node + alias
    node = "https://vc.example.com"
    alias = "meet.alice"
    display_name = "Alice"
    role = "host"

Error policy: `load_config` raises `ConfigError` (its message names the file, and the line
when it is known) for a file that is not valid TOML or holds a value of the wrong type; the
caller reports it and exits (or starts with defaults). A missing file means defaults.
Unknown keys are not fatal: they are listed in `Config.warnings` and dropped on the next
save. A ``pin`` key is ignored with a warning: PINs are never read from or written to this
file; `remember_conference` takes no PIN and stores the node without its query string.

Writes are atomic (temporary file + rename) with mode 0600; a missing directory is created
with mode 0700. The writer below handles exactly the types used here.
"""

from __future__ import annotations

import os
import re
import stat
import tempfile
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path

import platformdirs

from pextui.links import ROLES, Role, normalize_node
from pextui.phone.settings import PbxSettings, PbxSettingsError, dump_pbx, parse_pbx
from pextui.tomlwrite import toml_key, toml_string

__all__ = [
    "BULK_CONFIRM_ABOVE",
    "CONFIG_ENV",
    "MAX_RECENT",
    "Config",
    "ConfigError",
    "RecentConference",
    "config_path",
    "dump_toml",
    "load_config",
    "remember_conference",
    "save_config",
    "toml_string",
    "update_config",
]

CONFIG_ENV = "PEXTUI_CONFIG"
MAX_RECENT = 10
MAX_TEXT = 1000
BULK_CONFIRM_ABOVE = 10  # a bulk action touching more people than this asks first (0: always)
MAX_BULK_CONFIRM = 1_000_000
_HEADER = "# pextui settings (written by pextui). PINs are never stored in this file.\n"
_KNOWN_TOP = ("theme", "display_name", "ca_bundle", "bulk_confirm_above", "keys", "recent", "pbx")
_KNOWN_RECENT = ("node", "alias", "display_name", "role")
_BAD_KEY_TEXT = re.compile(r"[\s\x00-\x1f\x7f-\x9f]")


class ConfigError(Exception):
    """The configuration file cannot be read or written; the message says where and why."""

    def __init__(self, path: Path, message: str, line: int | None = None) -> None:
        self.path = path
        self.line = line
        self.reason = message
        where = f"{path}:{line}" if line is not None else str(path)
        super().__init__(f"{where}: {message}")


@dataclass(frozen=True)
class RecentConference:
    """A conference joined before (never its PIN)."""

    node: str
    alias: str
    display_name: str | None = None
    role: Role | None = None

    def same_conference(self, other: RecentConference) -> bool:
        return self.node == other.node and self.alias.casefold() == other.alias.casefold()


@dataclass(frozen=True)
class Config:
    """Typed settings; every field has a default, so ``Config()`` is a valid configuration."""

    theme: str | None = None
    display_name: str | None = None
    ca_bundle: Path | None = None
    bulk_confirm_above: int = BULK_CONFIRM_ABOVE
    keys: Mapping[str, str] = field(default_factory=dict, hash=False)
    recent: tuple[RecentConference, ...] = ()
    pbx: PbxSettings | None = None  # the phone desk's PBX (docs/phone.md)
    warnings: tuple[str, ...] = field(default=(), compare=False, hash=False)

    def with_recent(self, entry: RecentConference) -> Config:
        """`entry` first, an older entry for the same node + alias dropped, at most 10."""
        others = tuple(item for item in self.recent if not item.same_conference(entry))
        return replace(self, recent=(entry, *others)[:MAX_RECENT])


# --------------------------------------------------------------------------- paths


def config_path() -> Path:
    """``$PEXTUI_CONFIG`` if set (and not empty), else the platform's user config dir."""
    override = os.environ.get(CONFIG_ENV, "").strip()
    if override:
        return Path(override).expanduser()
    return Path(platformdirs.user_config_dir("pextui")) / "config.toml"


# --------------------------------------------------------------------------- loading


def load_config(path: Path | None = None) -> Config:
    """Read the settings; defaults when the file does not exist. Raises `ConfigError`."""
    target = path or config_path()
    try:
        raw = target.read_bytes()
    except FileNotFoundError:
        return Config()
    except OSError as exc:
        raise ConfigError(target, f"cannot read: {exc.strerror or exc}") from None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise ConfigError(target, "not valid UTF-8", line) from None
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise _syntax_error(target, exc) from None
    warnings: list[str] = []
    if _loose_mode(target):
        warnings.append(f"{target}: readable by other users; it will be rewritten as 0600")
    return _from_toml(data, _Locator(target, text), warnings)


def _syntax_error(path: Path, exc: tomllib.TOMLDecodeError) -> ConfigError:
    message = str(exc)
    found = re.search(r"\(at line (\d+), column (\d+)\)$", message)
    if found is None:
        return ConfigError(path, f"invalid TOML: {message}")
    reason = message[: found.start()].strip()
    return ConfigError(path, f"invalid TOML: {reason} (column {found.group(2)})", int(found[1]))


def _loose_mode(path: Path) -> bool:
    try:
        return bool(stat.S_IMODE(path.stat().st_mode) & 0o077)
    except OSError:
        return False


@dataclass(frozen=True)
class _Locator:
    """Finds the line of a key, best effort, for error messages."""

    path: Path
    text: str

    def error(self, key: str, message: str, *, occurrence: int = 0) -> ConfigError:
        pattern = re.compile(rf"^[ \t]*[\"']?{re.escape(key)}[\"']?[ \t]*=", re.MULTILINE)
        matches = list(pattern.finditer(self.text))
        line = None
        if len(matches) > occurrence:
            line = self.text.count("\n", 0, matches[occurrence].start()) + 1
        return ConfigError(self.path, message, line)


def _from_toml(data: Mapping[str, object], where: _Locator, warnings: list[str]) -> Config:
    for key in data:
        if key not in _KNOWN_TOP:
            warnings.append(_unknown(where.path, key))
    recent = tuple(_recent_entries(data.get("recent", []), where, warnings))
    ca_bundle = _optional_text(data, "ca_bundle", where)
    try:
        pbx = parse_pbx(data.get("pbx"), lambda text: warnings.append(f"{where.path}: {text}"))
    except PbxSettingsError as exc:
        raise where.error(exc.key, str(exc)) from None
    return Config(
        theme=_optional_text(data, "theme", where),
        display_name=_optional_text(data, "display_name", where),
        ca_bundle=Path(ca_bundle).expanduser() if ca_bundle else None,
        bulk_confirm_above=_count(data, "bulk_confirm_above", BULK_CONFIRM_ABOVE, where),
        keys=_keys(data.get("keys", {}), where),
        recent=recent[:MAX_RECENT],
        pbx=pbx,
        warnings=tuple(warnings),
    )


def _unknown(path: Path, key: str) -> str:
    if "pin" in key.lower():
        return f"{path}: ignored {key!r}: PINs are never read from the configuration file"
    return f"{path}: ignored unknown setting {key!r}"


def _optional_text(
    data: Mapping[str, object], key: str, where: _Locator, *, occurrence: int = 0
) -> str | None:
    value = data.get(key)
    if value is None:
        return None
    if not isinstance(value, str):
        raise where.error(key, f"{key!r} must be a string", occurrence=occurrence)
    if len(value) > MAX_TEXT:
        raise where.error(key, f"{key!r} is too long", occurrence=occurrence)
    return value or None


def _count(data: Mapping[str, object], key: str, default: int, where: _Locator) -> int:
    value = data.get(key, default)
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise where.error(key, f"{key!r} must be a whole number, 0 or more")
    return min(value, MAX_BULK_CONFIRM)


def _keys(value: object, where: _Locator) -> dict[str, str]:
    if not isinstance(value, dict):
        raise where.error("keys", "'keys' must be a table of binding id = key")
    remaps: dict[str, str] = {}
    for action, key in value.items():
        if not isinstance(key, str) or not key or _BAD_KEY_TEXT.search(key) or len(key) > 64:
            raise where.error(
                action, f'keys.{action} must be a key name such as "ctrl+m" (no spaces)'
            )
        remaps[action] = key
    return remaps


def _recent_entries(value: object, where: _Locator, warnings: list[str]) -> list[RecentConference]:
    if not isinstance(value, list):
        raise where.error("recent", "'recent' must be an array of tables ([[recent]])")
    entries: list[RecentConference] = []
    for index, item in enumerate(value):
        label = f"recent entry {index + 1}"
        if not isinstance(item, dict):
            raise ConfigError(where.path, f"{label} must be a table ([[recent]])")
        for key in item:
            if key not in _KNOWN_RECENT:
                warnings.append(_unknown(where.path, f"recent.{key}"))
        node = _optional_text(item, "node", where, occurrence=index)
        alias = _optional_text(item, "alias", where, occurrence=index)
        if node is None or alias is None:
            raise ConfigError(where.path, f"{label} needs both 'node' and 'alias'")
        role = _optional_text(item, "role", where)
        if role is not None and role not in ROLES:
            raise where.error("role", f'{label}: role must be "host" or "guest"')
        entry = RecentConference(
            node=node,
            alias=alias,
            display_name=_optional_text(item, "display_name", where),
            role="host" if role == "host" else "guest" if role == "guest" else None,
        )
        if not any(entry.same_conference(seen) for seen in entries):
            entries.append(entry)
    return entries


# --------------------------------------------------------------------------- saving


def save_config(config: Config, path: Path | None = None) -> Path:
    """Write `config` atomically with mode 0600; returns the path. Raises `ConfigError`."""
    target = path or config_path()
    if target.is_symlink():  # keep a dotfile manager's symlink, write where it points
        target = target.resolve()
    try:
        text = dump_toml(config)
    except ValueError as exc:
        raise ConfigError(target, f"cannot store the settings: {exc}") from None
    try:
        _ensure_directory(target.parent)
        fd, temporary = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.")
    except OSError as exc:
        raise ConfigError(target, f"cannot write: {exc.strerror or exc}") from None
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as stream:
            stream.write(text)
            stream.flush()
            os.fsync(stream.fileno())
        os.chmod(temporary, 0o600)
        os.replace(temporary, target)
    except OSError as exc:
        Path(temporary).unlink(missing_ok=True)
        raise ConfigError(target, f"cannot write: {exc.strerror or exc}") from None
    return target


def _ensure_directory(directory: Path) -> None:
    if directory.is_dir():
        return
    directory.mkdir(parents=True, exist_ok=True)
    directory.chmod(0o700)


def update_config(path: Path | None = None, **changes: object) -> Config:
    """Load, change top-level fields (``theme=...``, ``keys=...``), save; returns the result."""
    config = replace(load_config(path), warnings=(), **changes)  # type: ignore[arg-type]
    save_config(config, path)
    return config


def remember_conference(
    node: str,
    alias: str,
    display_name: str | None = None,
    role: Role | None = None,
    *,
    path: Path | None = None,
) -> Config:
    """Put a conference first in the recent list and save. No PIN is accepted or stored:
    the node is reduced to ``scheme://host[:port]`` so a query string cannot smuggle one in.
    Raises `ConfigError` (an unreadable file is never overwritten) or `LinkError` (bad node).
    """
    if role is not None and role not in ROLES:
        raise ValueError(f"role must be 'host' or 'guest', not {role!r}")
    entry = RecentConference(
        node=normalize_node(node), alias=alias, display_name=display_name or None, role=role
    )
    config = load_config(path).with_recent(entry)
    save_config(config, path)
    return replace(config, warnings=())


# --------------------------------------------------------------------------- TOML writer


def dump_toml(config: Config) -> str:
    """The file text for `config` (top-level values, then [keys], then [[recent]])."""
    lines = [_HEADER]
    for key, value in (
        ("theme", config.theme),
        ("display_name", config.display_name),
        ("ca_bundle", str(config.ca_bundle) if config.ca_bundle else None),
    ):
        if value is not None:
            lines.append(f"{key} = {toml_string(value)}\n")
    if config.bulk_confirm_above != BULK_CONFIRM_ABOVE:
        lines.append(f"bulk_confirm_above = {int(config.bulk_confirm_above)}\n")
    if config.keys:
        lines.append("\n[keys]\n")
        lines.extend(f"{toml_key(k)} = {toml_string(v)}\n" for k, v in config.keys.items())
    for entry in config.recent:
        lines.append("\n[[recent]]\n")
        lines.append(f"node = {toml_string(entry.node)}\n")
        lines.append(f"alias = {toml_string(entry.alias)}\n")
        if entry.display_name is not None:
            lines.append(f"display_name = {toml_string(entry.display_name)}\n")
        if entry.role is not None:
            lines.append(f"role = {toml_string(entry.role)}\n")
    lines.extend(dump_pbx(config.pbx, toml_string))
    return "".join(lines)
