"""Writing Infinity Connect links: `format_link` (any `JoinLink` back as a URL, so that
``parse_link(format_link(link)) == link``) and `build_links` (guest and host invite links).
Re-exported by `pextui.links`; the model and the parser are in `pextui.links.model`."""

from __future__ import annotations

from dataclasses import replace
from urllib.parse import quote, urlencode

from pextui.links.model import _RESERVED, CallType, InviteLinks, JoinLink, LinkError, _check_pin

__all__ = ["build_links", "format_link"]


# --------------------------------------------------------------------------- formatting


def format_link(link: JoinLink) -> str:
    """`link` as a URL of its kind, with only the parameters it sets, then its extras.

    Web app links need a node. ``pexip://`` links never carry ``callType``; their ``host`` is
    the bare host name for https and the full URL for http. Extras whose names collide with
    a known parameter (any case) are left out, so the result parses back to `link`.
    """
    pairs: list[tuple[str, str]] = []
    if link.kind == "pexip" and link.node is not None:
        scheme, _, rest = link.node.partition("://")
        pairs.append(("host", rest if scheme == "https" else link.node))
    for key, value in (("name", link.name), ("pin", link.pin), ("role", link.role)):
        if value:
            pairs.append((key, value))
    if link.mute_microphone:
        pairs.append(("muteMicrophone", "true"))
    if link.mute_camera:
        pairs.append(("muteCamera", "true"))
    if link.call_type is not None and link.kind != "pexip":
        pairs.append(("callType", link.call_type))
    if link.extension:
        pairs.append(("extension", link.extension))
    if link.bandwidth is not None:
        pairs.append(("bandwidth", str(link.bandwidth)))
    pairs += [(key, value) for key, value in link.extra if key.lower() not in _RESERVED]
    alias = quote(link.alias, safe="@")
    if link.kind == "pexip":
        return f"pexip://{alias}{_query(pairs)}"
    if link.node is None:
        raise LinkError("a web app link needs a node")
    if link.kind == "webapp-home":
        return f"{link.node}/webapp/home{_query([('conference', link.alias), *pairs])}"
    return f"{link.node}/webapp/conference/{alias}{_query(pairs)}"


def _query(pairs: list[tuple[str, str]]) -> str:
    return "?" + urlencode(pairs, quote_via=quote, safe=":/@") if pairs else ""


def build_links(
    node: str,
    alias: str,
    *,
    host_pin: str | None = None,
    guest_pin: str | None = None,
    name: str | None = None,
    include_pin: bool = False,
    mute_microphone: bool = False,
    mute_camera: bool = False,
    call_type: CallType | None = None,
    extension: str | None = None,
    bandwidth: int | None = None,
) -> InviteLinks:
    """Guest and host invite links (web app and ``pexip://``) for one conference.

    Guest links carry ``guest_pin`` when given (it only admits guests), otherwise
    ``role=guest`` so that guests of a conference without a guest PIN join without a prompt.
    Host links carry ``role=host`` and the host PIN only when ``include_pin=True`` (and
    ``host_pin`` is given): by default a host link still asks for the PIN, so forwarding it
    does not hand out host rights. ``call_type`` goes into the web app links only.
    Raises `LinkError` for an invalid value (a PIN that is not digits, bandwidth, ...).
    """
    if host_pin is not None:
        _check_pin(host_pin)
    guest = JoinLink(
        alias,
        node=node,
        name=name,
        pin=guest_pin or None,
        role=None if guest_pin else "guest",
        mute_microphone=mute_microphone,
        mute_camera=mute_camera,
        call_type=call_type,
        extension=extension,
        bandwidth=bandwidth,
    )
    host = replace(guest, pin=(host_pin or None) if include_pin else None, role="host")
    return InviteLinks(
        guest_webapp=format_link(guest),
        guest_pexip=format_link(replace(guest, kind="pexip", call_type=None)),
        host_webapp=format_link(host),
        host_pexip=format_link(replace(host, kind="pexip", call_type=None)),
    )
