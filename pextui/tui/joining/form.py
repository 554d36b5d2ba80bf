"""The data behind the connect screen: the typed request, recent entries, link filling.

No widgets here: :class:`ConnectRequest` is what the form holds, :func:`recent_entries`
reads the recent conferences of the config file (never a PIN), :func:`request_from_link`
turns a pasted join link into form values.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Literal

from pextui.config import load_config, remember_conference
from pextui.links import JoinLink, LinkError, normalize_node, parse_link
from pextui.protocol.client import NO_PIN, JoinParams
from pextui.sanitize import safe_text

log = logging.getLogger(__name__)

JoinRole = Literal["host", "guest"]
DEFAULT_DISPLAY_NAME = "pextui host"


@dataclass(frozen=True)
class ConnectRequest:
    """What the host typed. ``verify``: True, False (insecure) or a CA bundle path."""

    node_url: str
    alias: str
    display_name: str = DEFAULT_DISPLAY_NAME
    pin: str | None = field(default=None, repr=False)
    role: JoinRole = "host"
    conference_extension: str | None = None
    verify: bool | str = True

    def to_join_params(self) -> JoinParams:
        """The client's JoinParams; raises ``ValueError`` (without the PIN) when invalid.

        A guest without a PIN joins with ``pin: none`` (Pexip's "guest without PIN").
        """
        pin = self.pin
        if pin is None and self.role == "guest":
            pin = NO_PIN
        return JoinParams(
            node_url=self.node_url,
            alias=self.alias,
            display_name=self.display_name,
            pin=pin,
            conference_extension=self.conference_extension,
            verify=self.verify,
        )


@dataclass(frozen=True)
class RecentEntry:
    """A recently joined conference (no PIN, ever)."""

    node_url: str
    alias: str
    display_name: str = ""
    role: JoinRole = "host"

    @property
    def label(self) -> str:
        name = f" · as {self.display_name}" if self.display_name else ""
        return f"{self.alias} · {self.node_url} · {self.role}{name}"


def _text_attr(item: object, *names: str) -> str:
    for name in names:
        value = getattr(item, name, None)
        if value is None and isinstance(item, dict):
            value = item.get(name)
        if isinstance(value, str) and value:
            return value
    return ""


def recent_entries(items: Iterable[object]) -> list[RecentEntry]:
    """Recent conferences from config records (attributes or dict keys), bad ones skipped."""
    entries: list[RecentEntry] = []
    for item in items:
        node = _text_attr(item, "node_url", "node")
        alias = _text_attr(item, "alias")
        if not node or not alias:
            continue
        name = _text_attr(item, "display_name", "name")
        role: JoinRole = "guest" if _text_attr(item, "role").lower() == "guest" else "host"
        entries.append(RecentEntry(node, alias, name, role))
    return entries


def load_settings() -> tuple[list[RecentEntry], str | None]:
    """Recent conferences and the default display name of the user's config file."""
    try:
        config = load_config()
    except Exception as exc:  # a broken config file must not stop the connect screen
        log.warning("could not read the config file: %s", type(exc).__name__)
        return [], None
    return recent_entries(config.recent), config.display_name


def request_from_params(given: JoinParams) -> ConnectRequest:
    """What was given (command line, a failed join) as the form's start: never the PIN."""
    return ConnectRequest(
        node_url=given.node_url,
        alias=given.alias,
        display_name=given.display_name,
        role="guest" if given.pin == NO_PIN else "host",
        conference_extension=given.conference_extension,
        verify=given.verify,
    )


def remember(request: ConnectRequest) -> str | None:
    """Put the conference first in the config's recent list (never the PIN); returns what
    went wrong (an unwritable config file...) for the host, None when saved."""
    try:
        remember_conference(request.node_url, request.alias, request.display_name, request.role)
    except Exception as exc:
        log.warning("could not remember the conference: %s", type(exc).__name__)
        return f"The conference was not saved to the recent list: {safe_text(str(exc), 200)}"
    return None


def looks_like_link(text: str) -> bool:
    """True for text that is a join link rather than a bare node address."""
    lowered = text.strip().lower()
    return lowered.startswith("pexip://") or (
        "://" in lowered and ("/webapp" in lowered or "conference=" in lowered)
    )


_SCHEME = re.compile(r"(?i)(?:https?|pexip)://")


def extract_link(text: str) -> str | None:
    """The join link at the end of ``text`` (a paste appended to what was typed), if any."""
    starts = [match.start() for match in _SCHEME.finditer(text)]
    for start in reversed(starts):
        candidate = text[start:].strip()
        if looks_like_link(candidate):
            return candidate
    return None


def link_values(link: JoinLink) -> dict[str, str]:
    """Form values (field id -> text) carried by a parsed link; absent ones left out."""
    values = {"alias": link.alias}
    if link.node:
        values["node"] = link.node
    if link.name:
        values["name"] = link.name
    if link.pin:
        values["pin"] = link.pin
    if link.role:
        values["role"] = link.role
    if link.extension:
        values["extension"] = link.extension
    return values


def parse_pasted_link(text: str) -> dict[str, str]:
    """Form values from a pasted join link; raises ``LinkError`` with the reason."""
    return link_values(parse_link(text.strip()))


def clean_node(text: str) -> str:
    """A node address typed by the host as ``scheme://host[:port]``; ``ValueError`` if bad."""
    try:
        return normalize_node(text, field_name="node URL")
    except LinkError as error:
        raise ValueError(str(error)) from None
