"""Infinity Connect preconfigured join links: the model and the parser (`pextui.links.build`
writes them).

Accepted forms (Pexip "Creating preconfigured links"; docs/protocol.md, "Join links"):

* ``https://<node>/webapp/conference/<alias>?name=&pin=&role=&muteMicrophone=&muteCamera=
  &callType=&extension=&bandwidth=`` (the web app, straight into the conference);
* ``https://<node>/webapp/home?conference=<alias>&...`` (the invitation card), and the same
  with ``/webapp/?conference=`` or a ``#/?conference=`` fragment (older web app builds);
* ``pexip://<alias>?host=<node>&name=&pin=&role=&muteMicrophone=&muteCamera=&extension=
  &bandwidth=`` (desktop and mobile clients; also ``pexip:<alias>``).

``http://`` is accepted as well as ``https://`` so that links to a loopback simulator work;
whether plain HTTP is allowed to connect is the client's decision, not the parser's. The web
app may sit under a path prefix (reverse proxy) and be called ``webapp2`` / ``webapp3``.

Parameter names match case-insensitively; when one is repeated the first value wins (like the
web app's ``URLSearchParams.get``); empty values count as absent; unknown parameters are kept
in ``JoinLink.extra``. ``callType`` is a web app parameter: it is read from ``pexip://`` links
too, but never written into them.

`JoinLink` validates itself (a `JoinLink` that exists is a valid link) and `format_link`
writes any `JoinLink` back as a URL: ``parse_link(format_link(link)) == link``.
Error messages never contain the PIN or the whole link (which may carry the PIN).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Literal
from urllib.parse import parse_qsl, unquote, urlsplit

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
    "normalize_node",
    "parse_link",
]

Role = Literal["host", "guest"]
CallType = Literal["none", "audioonly", "video"]
LinkKind = Literal["webapp", "webapp-home", "pexip"]

ROLES: tuple[Role, ...] = ("host", "guest")
CALL_TYPES: tuple[CallType, ...] = ("none", "audioonly", "video")
KINDS: tuple[LinkKind, ...] = ("webapp", "webapp-home", "pexip")
BANDWIDTH_MIN = 256
BANDWIDTH_MAX = 2464
PIN_MASK = "****"
MAX_LINK_LENGTH = 8192
MAX_PIN_LENGTH = 20
MAX_PARAMETERS = 64

_TRUE = frozenset({"true", "1", "yes", "on"})
_FALSE = frozenset({"false", "0", "no", "off"})
# Link spelling of every known parameter, keyed by its lower-case form; "host" (pexip://)
# and "conference" (invitation card) are taken out of the query before this table is used.
_KNOWN = {
    name.lower(): name
    for name in (
        "name",
        "pin",
        "role",
        "muteMicrophone",
        "muteCamera",
        "callType",
        "extension",
        "bandwidth",
    )
}
_RESERVED = frozenset({*_KNOWN, "host", "conference"})
_WEBAPP_PATH = re.compile(r"^(?:/[^/]*)*?/webapp[23]?(?P<rest>/.*)?$")
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")
_NOT_A_WEBAPP_LINK = (
    "not an Infinity Connect link: expected /webapp/conference/<alias> "
    "or /webapp/home?conference=<alias>"
)


class LinkError(ValueError):
    """A string that is not a valid Infinity Connect join link; the message says why."""


@dataclass(frozen=True)
class JoinLink:
    """Join parameters carried by a link. ``None`` / ``False`` mean "not given in the link".

    ``node`` is ``scheme://host[:port]`` (normalised on construction; ``None`` for a
    ``pexip://`` link without ``host``). ``role="guest"`` with no PIN means "join as a guest
    without a PIN" (the client sends ``pin: none``). ``extra`` holds unknown parameters in
    link order. Construction validates every field and raises `LinkError`. The PIN is left
    out of ``repr()``.
    """

    alias: str
    node: str | None = None
    name: str | None = None
    pin: str | None = field(default=None, repr=False)
    role: Role | None = None
    mute_microphone: bool = False
    mute_camera: bool = False
    call_type: CallType | None = None
    extension: str | None = None
    bandwidth: int | None = None
    extra: tuple[tuple[str, str], ...] = ()
    kind: LinkKind = "webapp"

    def __post_init__(self) -> None:
        if not self.alias.strip():
            raise LinkError("the link names no conference alias")
        _check_text(self.alias, "alias")
        if self.node is not None:
            object.__setattr__(self, "node", normalize_node(self.node))
        for what in ("name", "extension"):
            value = getattr(self, what)
            if value == "":
                object.__setattr__(self, what, None)
            elif value is not None:
                _check_text(value, what)
        if self.pin is not None:
            _check_pin(self.pin)
        if self.role is not None and self.role not in ROLES:
            raise LinkError(f"unknown role {_shown(self.role)}: expected host or guest")
        if self.call_type is not None and self.call_type not in CALL_TYPES:
            raise LinkError(
                f"unknown callType {_shown(self.call_type)}: expected none, audioonly or video"
            )
        if self.bandwidth is not None and not BANDWIDTH_MIN <= self.bandwidth <= BANDWIDTH_MAX:
            raise LinkError(
                f"bandwidth {self.bandwidth} kbps is outside {BANDWIDTH_MIN}-{BANDWIDTH_MAX} kbps"
            )
        for key, value in self.extra:
            _check_text(key, "parameter name")
            _check_text(value, f"parameter {_shown(key)}")
        if self.kind not in KINDS:
            raise LinkError(f"unknown link kind {_shown(self.kind)}")

    def to_dict(self, *, show_pin: bool = False) -> dict[str, object]:
        """A JSON-able view; the PIN is masked as ``****`` unless ``show_pin``."""
        pin = self.pin if show_pin or self.pin is None else PIN_MASK
        return {
            "kind": self.kind,
            "node": self.node,
            "alias": self.alias,
            "name": self.name,
            "pin": pin,
            "role": self.role,
            "mute_microphone": self.mute_microphone,
            "mute_camera": self.mute_camera,
            "call_type": self.call_type,
            "extension": self.extension,
            "bandwidth": self.bandwidth,
            "extra": dict(self.extra),
        }


@dataclass(frozen=True)
class InviteLinks:
    """Invite links for one conference: guest and host, web app and ``pexip://``."""

    guest_webapp: str
    guest_pexip: str
    host_webapp: str
    host_pexip: str

    def to_dict(self) -> dict[str, str]:
        return {
            "guest_webapp": self.guest_webapp,
            "guest_pexip": self.guest_pexip,
            "host_webapp": self.host_webapp,
            "host_pexip": self.host_pexip,
        }


# --------------------------------------------------------------------------- parsing


def parse_link(url: str) -> JoinLink:
    """Parse a web app or ``pexip://`` join link; raises `LinkError` with the reason."""
    text = url.strip()
    if len(text) >= 2 and (text[0], text[-1]) in (("<", ">"), ('"', '"'), ("'", "'")):
        text = text[1:-1].strip()  # pasted from an e-mail or a shell: <https://...>, "..."
    if not text:
        raise LinkError("empty link")
    if len(text) > MAX_LINK_LENGTH:
        raise LinkError(f"link too long ({len(text)} characters, at most {MAX_LINK_LENGTH})")
    scheme, sep, rest = text.partition(":")
    if not sep or not re.fullmatch(r"[A-Za-z][A-Za-z0-9+.-]*", scheme):
        raise LinkError(
            "not a link: expected https://<node>/webapp/conference/<alias> or pexip://<alias>"
        )
    scheme = scheme.lower()
    if scheme == "pexip":
        return _parse_pexip(rest)
    if scheme in ("http", "https"):
        return _parse_webapp(text)
    raise LinkError(f"unknown scheme {scheme!r}: expected https://, http:// or pexip://")


def _parse_webapp(text: str) -> JoinLink:
    try:
        parts = urlsplit(text)
        port = parts.port
    except ValueError as exc:
        raise LinkError(f"malformed web address: {exc}") from None
    if not parts.hostname:
        raise LinkError("the link names no node (https://<node>/...)")
    if parts.username is not None or parts.password is not None:
        raise LinkError("the link must not carry a user name or password")
    node = _node_from(parts.scheme.lower(), parts.hostname, port)
    match = _WEBAPP_PATH.match(parts.path)
    if match is None:
        raise LinkError(_NOT_A_WEBAPP_LINK)
    rest = (match.group("rest") or "/").rstrip("/")
    query = parts.query
    if rest.startswith("/conference/"):
        params = _query_pairs(query)
        return _join_link(_decode(rest[len("/conference/") :], "alias"), node, params, "webapp")
    if rest not in ("", "/home", "/conference"):
        raise LinkError(_NOT_A_WEBAPP_LINK)
    if not query and parts.fragment.startswith("/?"):
        query = parts.fragment[2:]  # https://node/webapp/#/?conference=alias
    params = _query_pairs(query)
    alias = _take(params, "conference") or ""
    return _join_link(alias, node, params, "webapp-home")


def _parse_pexip(remainder: str) -> JoinLink:
    body = remainder[2:] if remainder.startswith("//") else remainder
    body = body.partition("#")[0]
    raw_alias, _, query = body.partition("?")
    params = _query_pairs(query)
    host = _take(params, "host")
    node = normalize_node(host, field_name="host") if host else None
    return _join_link(_decode(raw_alias.rstrip("/"), "alias"), node, params, "pexip")


def _join_link(
    alias: str, node: str | None, params: list[tuple[str, str]], kind: LinkKind
) -> JoinLink:
    """Typed values from the raw parameters; `JoinLink` validates the rest."""
    known: dict[str, str] = {}
    extra: list[tuple[str, str]] = []
    for key, value in params:
        canonical = _KNOWN.get(key.lower())
        if canonical is None:
            extra.append((key, value))
        elif canonical not in known and value != "":
            known[canonical] = value
    role = known.get("role")
    call_type = known.get("callType")
    return JoinLink(
        alias=alias,
        node=node,
        name=known.get("name"),
        pin=known.get("pin"),
        role=role.lower() if role else None,  # type: ignore[arg-type]  # checked by JoinLink
        mute_microphone=_parse_bool(known.get("muteMicrophone"), "muteMicrophone"),
        mute_camera=_parse_bool(known.get("muteCamera"), "muteCamera"),
        call_type=call_type.lower() if call_type else None,  # type: ignore[arg-type]
        extension=known.get("extension"),
        bandwidth=_parse_bandwidth(known.get("bandwidth")),
        extra=tuple(extra),
        kind=kind,
    )


def _query_pairs(query: str) -> list[tuple[str, str]]:
    try:
        return parse_qsl(
            query,
            keep_blank_values=True,
            encoding="utf-8",
            errors="strict",
            max_num_fields=MAX_PARAMETERS,
        )
    except UnicodeDecodeError:
        raise LinkError("the link's parameters are not valid UTF-8 once decoded") from None
    except ValueError:
        raise LinkError(f"the link has too many parameters (at most {MAX_PARAMETERS})") from None


def _take(params: list[tuple[str, str]], wanted: str) -> str | None:
    """Remove every ``wanted`` parameter (any case) from `params`; return the first value."""
    found = [value for key, value in params if key.lower() == wanted]
    params[:] = [(key, value) for key, value in params if key.lower() != wanted]
    return next((value for value in found if value != ""), None)


def _decode(raw: str, what: str) -> str:
    try:
        return unquote(raw, encoding="utf-8", errors="strict")
    except UnicodeDecodeError:
        raise LinkError(f"the link's {what} is not valid UTF-8 once decoded") from None


def _check_text(value: str, what: str) -> None:
    if _CONTROL.search(value):
        raise LinkError(f"the link's {what} contains control characters")


def _check_pin(value: str) -> None:
    if not (value.isascii() and value.isdigit()):
        raise LinkError("the PIN must contain digits only")
    if len(value) > MAX_PIN_LENGTH:
        raise LinkError(f"the PIN is too long (at most {MAX_PIN_LENGTH} digits)")


def _parse_bool(value: str | None, what: str) -> bool:
    if value is None:
        return False
    lowered = value.lower()
    if lowered in _TRUE:
        return True
    if lowered in _FALSE:
        return False
    raise LinkError(f"{what} must be true or false, not {_shown(value)}")


def _parse_bandwidth(value: str | None) -> int | None:
    if value is None:
        return None
    if not (value.isascii() and value.isdigit()) or len(value) > 9:
        raise LinkError(f"bandwidth must be a whole number of kbps, not {_shown(value)}")
    return int(value)


def _shown(value: str) -> str:
    """A user-supplied value quoted for an error message, bounded in length."""
    return repr(value if len(value) <= 40 else value[:39] + "…")


# --------------------------------------------------------------------------- nodes


def _node_from(scheme: str, hostname: str, port: int | None) -> str:
    host = f"[{hostname}]" if ":" in hostname else hostname.lower()
    default_port = {"https": 443, "http": 80}.get(scheme)
    suffix = "" if port is None or port == default_port else f":{port}"
    return f"{scheme}://{host}{suffix}"


def normalize_node(node: str, *, field_name: str = "node") -> str:
    """``vc.example.com`` / ``https://vc.example.com/anything`` -> ``https://vc.example.com``.

    A bare host name gets ``https://``; path, query, fragment and default ports are dropped.
    Raises `LinkError` for another scheme or a missing host.
    """
    text = node.strip()
    if "://" not in text:
        text = "https://" + text
    try:
        parts = urlsplit(text)
        port = parts.port
    except ValueError as exc:
        raise LinkError(f"malformed {field_name}: {exc}") from None
    scheme = parts.scheme.lower()
    if scheme not in ("http", "https"):
        raise LinkError(f"the {field_name} must be an https:// (or http://) address")
    if not parts.hostname:
        raise LinkError(f"the {field_name} names no host")
    if parts.username is not None or parts.password is not None:
        raise LinkError(f"the {field_name} must not carry a user name or password")
    _check_text(parts.hostname, field_name)
    return _node_from(scheme, parts.hostname, port)
