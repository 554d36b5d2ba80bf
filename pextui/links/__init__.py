"""Infinity Connect preconfigured join links: parse them (`model`) and build them (`build`).

See `pextui.links.model` for the accepted forms and the rules.
"""

from __future__ import annotations

from pextui.links.build import build_links, format_link
from pextui.links.model import (
    BANDWIDTH_MAX,
    BANDWIDTH_MIN,
    CALL_TYPES,
    KINDS,
    PIN_MASK,
    ROLES,
    CallType,
    InviteLinks,
    JoinLink,
    LinkError,
    LinkKind,
    Role,
    normalize_node,
    parse_link,
)

__all__ = [
    "BANDWIDTH_MAX",
    "BANDWIDTH_MIN",
    "CALL_TYPES",
    "KINDS",
    "PIN_MASK",
    "ROLES",
    "CallType",
    "InviteLinks",
    "JoinLink",
    "LinkError",
    "LinkKind",
    "Role",
    "build_links",
    "format_link",
    "normalize_node",
    "parse_link",
]
