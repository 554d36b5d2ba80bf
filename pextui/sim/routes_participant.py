"""Participant functions (participants/<uuid>/...) and call functions (.../calls/<id>/...)."""

from __future__ import annotations

import re
from typing import Any

from starlette.responses import PlainTextResponse, Response

from pextui.sim.conference import REASON_BY_HOST
from pextui.sim.dispatch import Ctx, Handler, Table
from pextui.sim.http import (
    BadRequest,
    failed,
    get_bool,
    get_choice,
    get_number,
    get_str,
    need_str,
    ok,
)
from pextui.sim.participants import dumps, new_uuid
from pextui.sim.routes_conference import MAX_MESSAGE, MESSAGE_TYPES
from pextui.sim.transfer import TransferError, transfer

PARTICIPANT = Table()
CALL = Table()
DTMF = re.compile(r"^[0-9*#A-Da-d,]{1,64}$")
REASON_SELF = "API initiated participant disconnect"


def _set(ctx: Ctx, **changes: Any) -> Response:
    ctx.conference.update(ctx.subject, force=True, **changes)
    return ok(True)


@PARTICIPANT.register("disconnect", access="self")
def disconnect(ctx: Ctx) -> Response:
    own = ctx.subject.uuid == ctx.caller.uuid
    ctx.conference.remove(ctx.subject.uuid, REASON_SELF if own else REASON_BY_HOST)
    return ok(True)


@PARTICIPANT.register("mute", access="self")
def mute(ctx: Ctx) -> Response:
    return _set(ctx, is_muted="YES")


@PARTICIPANT.register("unmute", access="self")
def unmute(ctx: Ctx) -> Response:
    status = ctx.conference.status
    if not ctx.is_host and status["guests_muted"] and not status["guests_can_unmute"]:
        return failed(403, "Guests are not allowed to unmute themselves")
    return _set(ctx, is_muted="NO")


@PARTICIPANT.register("client_mute", access="self")
def client_mute(ctx: Ctx) -> Response:
    return _set(ctx, is_client_muted=True)


@PARTICIPANT.register("client_unmute", access="self")
def client_unmute(ctx: Ctx) -> Response:
    return _set(ctx, is_client_muted=False)


@PARTICIPANT.register("video_muted", access="self")
def video_muted(ctx: Ctx) -> Response:
    return _set(ctx, is_video_muted=True)


@PARTICIPANT.register("video_unmuted", access="self")
def video_unmuted(ctx: Ctx) -> Response:
    return _set(ctx, is_video_muted=False)


@PARTICIPANT.register("allowrxpresentation")
def allowrxpresentation(ctx: Ctx) -> Response:
    return _set(ctx, rx_presentation_policy="ALLOW")


@PARTICIPANT.register("denyrxpresentation")
def denyrxpresentation(ctx: Ctx) -> Response:
    return _set(ctx, rx_presentation_policy="DENY")


@PARTICIPANT.register("spotlighton")
def spotlighton(ctx: Ctx) -> Response:
    if ctx.subject.data["spotlight"]:
        return _set(ctx)  # keeps its original timestamp
    return _set(ctx, spotlight=round(ctx.conference.clock(), 3))


@PARTICIPANT.register("spotlightoff")
def spotlightoff(ctx: Ctx) -> Response:
    return _set(ctx, spotlight=0)


@PARTICIPANT.register("unlock")
def admit(ctx: Ctx) -> Response:
    return ok(ctx.conference.admit(ctx.subject))


@PARTICIPANT.register("dtmf", body=True, access="self")
def dtmf(ctx: Ctx) -> Response:
    digits = need_str(ctx.body, "digits", max_len=64)
    if not DTMF.match(digits):
        raise BadRequest(400, "Field 'digits' must be 1-64 of 0-9 * # A-D")
    return ok(True)


@PARTICIPANT.register("calls", body=True, access="self")
def calls(ctx: Ctx) -> Response:
    call_type = need_str(ctx.body, "call_type", max_len=16).upper()
    if call_type == "WEBRTC":
        return PlainTextResponse(
            "No media: the simulated node does not negotiate WebRTC calls", 400
        )
    if call_type != "RTMP":
        return PlainTextResponse("call_type must be WEBRTC or RTMP", 400)
    get_choice(ctx.body, "present", ("send", "receive", ""), "")
    streaming = get_bool(ctx.body, "streaming")
    get_number(ctx.body, "bandwidth", 0, 100_000)
    call_uuid = new_uuid()
    ctx.conference.update(ctx.subject, has_media=True, is_streaming_conference=bool(streaming))
    calls_of(ctx).add(call_uuid)
    host = ctx.request.url.hostname or "127.0.0.1"
    return ok(
        {
            "call_uuid": call_uuid,
            "url": f"rtmp://{host}:1935/pexip/{call_uuid}",
            "secure_url": f"rtmps://{host}:443/pexip/{call_uuid}",
        }
    )


def calls_of(ctx: Ctx) -> set[str]:
    return ctx.conference.calls.setdefault(ctx.subject.uuid, set())


@PARTICIPANT.register("overlaytext", body=True)
def overlaytext(ctx: Ctx) -> Response:
    return _set(ctx, overlay_text=need_str(ctx.body, "text", max_len=256))


@PARTICIPANT.register("pres_in_mix", body=True)
def pres_in_mix(ctx: Ctx) -> Response:
    return _set(ctx, needs_presentation_in_mix=get_bool(ctx.body, "state", required=True))


@PARTICIPANT.register("role", body=True)
def role(ctx: Ctx) -> Response:
    new_role = need_str(ctx.body, "role", max_len=8).lower()
    if new_role not in ("chair", "guest"):
        raise BadRequest(400, "Field 'role' must be chair or guest")
    conference, subject = ctx.conference, ctx.subject
    changes: dict[str, Any] = {"role": new_role}
    if new_role == "chair" and subject.service_type == "waiting_room":
        changes["service_type"] = conference.joined_service_type
    return _set(ctx, **changes)


FECC_AXES = {"pan": ("left", "right"), "tilt": ("up", "down"), "zoom": ("in", "out")}


def _fecc_payload(body: dict[str, Any]) -> dict[str, Any]:
    action = get_choice(body, "action", ("start", "stop", "continue"), "")
    movement = body.get("movement")
    if not isinstance(movement, list) or not 0 < len(movement) <= 3:
        raise BadRequest(400, "Field 'movement' must be a list of 1-3 movements")
    for move in movement:
        if not isinstance(move, dict) or move.get("direction") not in FECC_AXES.get(
            str(move.get("axis")), ()
        ):
            raise BadRequest(400, "Each movement needs a valid axis and direction")
    payload: dict[str, Any] = {"action": action, "movement": movement}
    timeout = get_number(body, "timeout", 0, 60_000)
    if timeout is not None:
        payload["timeout"] = timeout
    return payload


@PARTICIPANT.register("fecc", body=True)
def fecc(ctx: Ctx) -> Response:
    payload = _fecc_payload(ctx.body)
    get_str(ctx.body, "target", max_len=64)
    ctx.conference.emit("fecc", dumps(payload), to=ctx.subject.uuid)
    return ok(True)


@PARTICIPANT.register("buzz", access="self")
def buzz(ctx: Ctx) -> Response:
    if ctx.subject.data["buzz_time"]:
        return _set(ctx)  # keeps its original timestamp
    return _set(ctx, buzz_time=round(ctx.conference.clock(), 3))


@PARTICIPANT.register("clearbuzz", access="self")
def clearbuzz(ctx: Ctx) -> Response:
    return _set(ctx, buzz_time=0)


@PARTICIPANT.register("transfer", body=True)
def transfer_participant(ctx: Ctx) -> Response:
    alias = need_str(ctx.body, "conference_alias", max_len=250).strip()
    wanted = need_str(ctx.body, "role", max_len=8).lower()
    roles = {"host": "chair", "chair": "chair", "guest": "guest"}
    if wanted not in roles:
        raise BadRequest(400, "Field 'role' must be host or guest")
    pin = get_str(ctx.body, "pin", max_len=32)
    try:
        transfer(ctx.node, ctx.conference, ctx.subject, alias, roles[wanted], pin)
    except TransferError as error:
        return failed(403, str(error))
    return ok(True)


@PARTICIPANT.register("message", body=True, access="any")
def direct_message(ctx: Ctx) -> Response:
    mime = get_choice(ctx.body, "type", MESSAGE_TYPES, "text/plain")
    payload = need_str(ctx.body, "payload", max_len=MAX_MESSAGE)
    ctx.conference.message(ctx.caller, mime, payload, direct_to=ctx.subject.uuid)
    return ok(True)


@PARTICIPANT.register("avatar.jpg", "GET", access="any")
def avatar(ctx: Ctx) -> Response:
    return failed(404, "No image available")


@PARTICIPANT.register("take_floor", access="self")
def take_floor(ctx: Ctx) -> Response:
    ctx.conference.start_presentation(ctx.subject.uuid)
    return ok(None)


@PARTICIPANT.register("release_floor", access="self")
def release_floor(ctx: Ctx) -> Response:
    if ctx.conference.presenter == ctx.subject.uuid:
        ctx.conference.stop_presentation()
    return ok(None)


@PARTICIPANT.register("show_live_captions", access="self")
def show_live_captions(ctx: Ctx) -> Response:
    if not ctx.conference.status.get("live_captions_available"):
        return failed(403, "Live captions are not available")
    ctx.conference.caption_viewers.add(ctx.subject.uuid)
    return ok(None)


@PARTICIPANT.register("hide_live_captions", access="self")
def hide_live_captions(ctx: Ctx) -> Response:
    ctx.conference.caption_viewers.discard(ctx.subject.uuid)
    return ok(None)


@PARTICIPANT.register("preferred_aspect_ratio", body=True, access="self")
def preferred_aspect_ratio(ctx: Ctx) -> Response:
    get_number(ctx.body, "aspect_ratio", 0.1, 10)
    return ok(True)


@PARTICIPANT.register("notify_not_afk", access="self")
def notify_not_afk(ctx: Ctx) -> Response:
    return ok(True)


# ---- calls/<call_uuid>/<function>


def _known_call(ctx: Ctx) -> bool:
    return ctx.call_uuid in calls_of(ctx)


def _call_result(result: object) -> Handler:
    def handler(ctx: Ctx) -> Response:
        if not _known_call(ctx):
            return failed(404, "Call not found")
        return ok(result)

    return handler


CALL.register("ack", body=True, access="self")(_call_result(True))
CALL.register("dtmf", body=True, access="self")(_call_result(True))
CALL.register("fecc", body=True, access="self")(_call_result(True))
CALL.register("new_candidate", body=True, access="self")(_call_result(None))
CALL.register("statistics", body=True, access="self")(_call_result(None))


@CALL.register("update", body=True, access="self")
def call_update(ctx: Ctx) -> Response:
    if not _known_call(ctx):
        return failed(404, "Call not found")
    return PlainTextResponse("No media: the simulated node does not renegotiate calls", 400)


@CALL.register("disconnect", access="self")
def call_disconnect(ctx: Ctx) -> Response:
    if not _known_call(ctx):
        return failed(404, "Call not found")
    calls_of(ctx).discard(str(ctx.call_uuid))
    ctx.conference.update(ctx.subject, has_media=False, is_streaming_conference=False)
    payload = {"call_uuid": ctx.call_uuid, "reason": "API initiated participant disconnect"}
    ctx.conference.emit("call_disconnected", dumps(payload), to=ctx.subject.uuid)
    return ok(None)
