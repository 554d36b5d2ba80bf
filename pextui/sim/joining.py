"""request_token: PINs, Virtual Reception, SSO, one-time tokens, the waiting room."""

from __future__ import annotations

from typing import Any

from pextui.sim.conference import Conference
from pextui.sim.http import BadRequest, get_bool, get_str, need_str
from pextui.sim.node import VERSION, Node
from pextui.sim.participants import make_participant

IDP = {"name": "Simulated IdP", "uuid": "5e5e5e5e-0000-4000-8000-000000000001"}


class Refused(Exception):
    """request_token refused with `status` and a `result` (a string or a 403 object)."""

    def __init__(self, status: int, result: object, envelope: str = "success") -> None:
        super().__init__(status)
        self.status = status
        self.result = result
        self.envelope = envelope


def pin_required(conference: Conference) -> Refused:
    vmr = conference.vmr
    return Refused(
        403,
        {
            "pin": "required" if vmr.host_pin else "none",
            "guest_pin": "required" if vmr.guest_pin else "none",
            "version": VERSION,
        },
    )


def resolve_role(conference: Conference, pin: str | None) -> str:
    """'chair' or 'guest' for this `pin` header, or raise the matching 403."""
    vmr = conference.vmr
    if vmr.host_pin is None and vmr.guest_pin is None:
        return "chair"  # no PINs at all: everyone is a host
    if pin is None:
        raise pin_required(conference)
    pin = pin.strip()
    if pin == vmr.host_pin:
        return "chair"
    if vmr.guest_pin is not None and pin == vmr.guest_pin:
        return "guest"
    if vmr.guest_pin is None and pin in ("", "none"):
        return "guest"
    raise Refused(403, "Invalid PIN")


def check_sso(body: dict[str, Any]) -> None:
    idp = get_str(body, "chosen_idp", max_len=200)
    if idp in (None, "", "none"):
        raise Refused(403, {"idp": [IDP], "version": VERSION})
    sso_token = get_str(body, "sso_token", max_len=4096)
    if sso_token in (None, "", "none"):
        raise Refused(
            403,
            {
                "redirect_url": "http://127.0.0.1/sso/simulated",
                "redirect_idp": IDP,
                "version": VERSION,
                "disable_popup_flow": True,
            },
        )


def request_token(node: Node, alias: str, pin: str | None, body: dict[str, Any]) -> dict[str, Any]:
    """Join `alias`; returns the 200 result or raises Refused / BadRequest."""
    display_name = need_str(body, "display_name", max_len=250).strip()
    if not display_name:
        raise BadRequest(400, "Field 'display_name' must not be empty")
    via_alias = alias
    if alias in node.receptions:
        extension = get_str(body, "conference_extension", max_len=250)
        if not extension:
            raise Refused(
                403, {"conference_extension": "required", "conference_extension_type": "standard"}
            )
        alias = extension.strip()
        if alias not in node.conferences:
            raise Refused(404, "Conference extension not found", envelope="failed")
    conference = node.conferences.get(alias)
    if conference is None:
        raise Refused(404, "Neither conference nor gateway found", envelope="failed")

    one_time = get_str(body, "token", max_len=200)
    room: str | None = None
    if one_time:
        entry = node.tokens.redeem_one_time(one_time, conference.alias)
        if entry is None:
            raise Refused(403, "Invalid token")
        role = entry.role
        room = entry.breakout_uuid
        if room is None and entry.display_name:
            display_name = entry.display_name  # a refer: the transferred participant's name
    else:
        if conference.vmr.sso:
            check_sso(body)
        role = resolve_role(conference, pin)

    is_guest = role == "guest"
    waiting = is_guest and bool(conference.status["locked"]) and room is None
    participant = make_participant(
        display_name=display_name,
        role=role,
        protocol="api",
        service_type="waiting_room" if waiting else conference.joined_service_type,
        local_alias=via_alias,
        start_time=conference.clock(),
        call_tag=get_str(body, "call_tag", max_len=250, default="") or "",
        is_muted=is_guest and bool(conference.status["guests_muted"]),
        token_holder=True,
        supports_direct_chat=bool(get_bool(body, "supports_direct_chat")),
    )
    conference.add(participant)
    session = node.tokens.issue(participant.uuid, conference.alias, via_alias)
    if room is not None and conference.rooms is not None:
        conference.rooms.enter_room(participant.uuid, room)  # a guest token of a room
    service_type = conference.joined_service_type
    return {
        "token": session.token,
        "expires": str(int(node.tokens.lifetime)),
        "participant_uuid": participant.uuid,
        "display_name": display_name,
        "role": "GUEST" if is_guest else "HOST",
        "version": VERSION,
        "current_service_type": "waiting_room" if waiting else service_type,
        "service_type": service_type,
        "service_name": conference.vmr.service_name,
        "conference_name": conference.vmr.service_name,
        "call_tag": participant.data["call_tag"],
        "chat_enabled": True,
        "guests_can_present": bool(conference.status["guests_can_present"]),
        "direct_media": False,
        "breakout_rooms": True,
        "fecc_enabled": True,
        "rtmp_enabled": True,
        "rtsp_enabled": False,
        "trickle_ice_enabled": True,
        "analytics_enabled": False,
        "allow_1080p": True,
        "vp9_enabled": True,
        "use_relay_candidates_only": False,
        "client_stats_update_interval": 5000,
        "bandwidth_in": 1280,
        "bandwidth_out": 1280,
    }
