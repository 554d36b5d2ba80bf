"""Conference functions: status, roster, lock, guests' mute, layout, chat, dial, disconnect."""

from __future__ import annotations

import re
from typing import Any

from starlette.responses import Response

from pextui.sim.conference import LAYOUT_TAGS, LAYOUTS, REASON_CONFERENCE_ENDED
from pextui.sim.dialout import dial
from pextui.sim.dispatch import Ctx, Table
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

CONFERENCE = Table()
MESSAGE_TYPES = ("text/plain", "application/json")
MAX_MESSAGE = 16 * 1024


@CONFERENCE.register("conference_status", "GET", access="any")
def conference_status(ctx: Ctx) -> Response:
    return ok(ctx.conference.status)


@CONFERENCE.register("participants", "GET", access="any")
def participants(ctx: Ctx) -> Response:
    parts: list[bytes] = []
    for participant in ctx.conference.participants.values():
        parts.append(participant.json())
    body = b'{"status":"success","result":[' + b",".join(parts) + b"]}"
    return Response(body, media_type="application/json")


@CONFERENCE.register("lock")
def lock(ctx: Ctx) -> Response:
    ctx.conference.set_status(force=True, locked=True)
    return ok(True)


def _admit_waiting(ctx: Ctx, **status: bool) -> Response:
    """Change the status, then let everyone in the waiting room in."""
    conference = ctx.conference
    conference.set_status(force=True, **status)
    for participant in conference.waiting():
        conference.admit(participant)
    return ok(True)


def _mute_guests(ctx: Ctx, muted: bool) -> Response:
    conference = ctx.conference
    conference.set_status(force=True, guests_muted=muted)
    for guest in list(conference.guests()):
        conference.update(guest, is_muted="YES" if muted else "NO")
    return ok(True)


@CONFERENCE.register("unlock")
def unlock(ctx: Ctx) -> Response:
    return _admit_waiting(ctx, locked=False)


@CONFERENCE.register("start_conference")
def start_conference(ctx: Ctx) -> Response:
    return _admit_waiting(ctx, started=True)


@CONFERENCE.register("muteguests")
def muteguests(ctx: Ctx) -> Response:
    return _mute_guests(ctx, True)


@CONFERENCE.register("unmuteguests")
def unmuteguests(ctx: Ctx) -> Response:
    return _mute_guests(ctx, False)


@CONFERENCE.register("set_guests_can_unmute", body=True)
def set_guests_can_unmute(ctx: Ctx) -> Response:
    setting = get_bool(ctx.body, "setting", required=True)
    ctx.conference.set_status(force=True, guests_can_unmute=setting)
    return ok(True)


@CONFERENCE.register("disconnect")
def disconnect_all(ctx: Ctx) -> Response:
    conference = ctx.conference
    conference.stop_presentation()
    conference.remove_all(REASON_CONFERENCE_ENDED)
    conference.stage = []
    conference.status.update(locked=False, guests_muted=False)
    return ok(True)


@CONFERENCE.register("message", body=True, access="any")
def message(ctx: Ctx) -> Response:
    mime = get_choice(ctx.body, "type", MESSAGE_TYPES, "text/plain")
    payload = need_str(ctx.body, "payload", max_len=MAX_MESSAGE)
    ctx.conference.message(ctx.caller, mime, payload)
    return ok(True)


LAYOUT_KEYS = ("layout", "host_layout", "guest_layout")


def _layout(body: dict[str, Any], key: str, label: str) -> str | None:
    """The layout name in `body[key]`, if any; an unknown name is refused naming `label`."""
    value = get_str(body, key, max_len=32)
    if value is not None and value not in LAYOUTS:
        raise BadRequest(400, f"Unknown layout '{value}'{label}")
    return value


BOOL_TRANSFORMS = (
    "enable_extended_ac",
    "streaming_indicator",
    "recording_indicator",
    "enable_active_speaker_indication",
    "enable_overlay_text",
)


@CONFERENCE.register("transform_layout", body=True)
def transform_layout(ctx: Ctx) -> Response:
    transforms = ctx.body.get("transforms")
    if not isinstance(transforms, dict):
        raise BadRequest(400, "Field 'transforms' must be an object")
    checked: dict[str, Any] = {}
    for key in LAYOUT_KEYS:
        value = _layout(transforms, key, f" for '{key}'")
        if value is not None:
            checked[key] = value
    for key in BOOL_TRANSFORMS:
        flag = get_bool(transforms, key)
        if flag is not None:
            checked[key] = flag
    streaming = transforms.get("streaming")
    if streaming is not None:
        if not isinstance(streaming, dict):
            raise BadRequest(400, "Field 'streaming' must be an object")
        _layout(streaming, "layout", " for 'streaming'")
        checked["streaming"] = streaming
    texts = transforms.get("free_form_overlay_text")
    if texts is not None:
        if not isinstance(texts, list) or not all(
            isinstance(t, str) and len(t) <= 256 for t in texts
        ):
            raise BadRequest(400, "Field 'free_form_overlay_text' must be a list of strings")
        checked["free_form_overlay_text"] = texts[:25]
    ctx.conference.transform_layout(checked)
    return ok(True)


@CONFERENCE.register("available_layouts", "GET", access="any")
def available_layouts(ctx: Ctx) -> Response:
    if ctx.request.query_params.get("annotate", "").lower() == "true":
        return ok([{"name": name, "tags": LAYOUT_TAGS.get(name, [])} for name in LAYOUTS])
    return ok(list(LAYOUTS))


@CONFERENCE.register("layout_svgs", "GET", access="any")
def layout_svgs(ctx: Ctx) -> Response:
    return ok({})


@CONFERENCE.register("clearallbuzz")
def clearallbuzz(ctx: Ctx) -> Response:
    conference = ctx.conference
    for participant in list(conference.participants.values()):
        if participant.data["buzz_time"]:
            conference.update(participant, buzz_time=0)
    return ok(True)


@CONFERENCE.register("silent_video_detection", body=True)
def silent_video_detection(ctx: Ctx) -> Response:
    config = ctx.body.get("config")
    if not isinstance(config, dict):
        raise BadRequest(400, "Field 'config' must be an object")
    settings: dict[str, Any] = {}
    for key in ("enable", "require_no_faces"):
        flag = get_bool(config, key)
        if flag is not None:
            settings[key] = flag
    silent_after = get_number(config, "silent_after", 1, 120)
    reactivate_after = get_number(config, "reactivate_after", 1, 5)
    if silent_after is not None:
        settings["silent_after"] = silent_after
    if reactivate_after is not None:
        settings["reactivate_after"] = reactivate_after
    ctx.conference.silent_video.update(settings)
    return ok(True)


DIAL_PROTOCOLS = ("sip", "h323", "rtmp", "mssip", "auto")
KEEP_ALIVE = (
    "keep_conference_alive",
    "keep_conference_alive_if_multiple",
    "keep_conference_alive_never",
)


@CONFERENCE.register("dial", body=True)
def dial_out(ctx: Ctx) -> Response:
    body = ctx.body
    role = need_str(body, "role", max_len=8).upper()
    if role not in ("HOST", "GUEST"):
        raise BadRequest(400, "Field 'role' must be HOST or GUEST")
    destination = need_str(body, "destination", max_len=512).strip()
    if not destination:
        raise BadRequest(400, "Field 'destination' must not be empty")
    protocol = get_choice(body, "protocol", DIAL_PROTOCOLS, "auto")
    call_type = get_choice(body, "call_type", ("video", "video-only", "audio"), "video")
    streaming = get_choice(body, "streaming", ("yes", "no"), "no") == "yes"
    name = get_str(body, "remote_display_name", max_len=250)
    keep_alive = get_choice(body, "keep_conference_alive", KEEP_ALIVE, KEEP_ALIVE[1])
    for optional in ("presentation_url", "dtmf_sequence", "source_display_name", "source", "text"):
        get_str(body, optional, max_len=512)
    uuid = dial(
        ctx.node,
        ctx.conference,
        destination=destination,
        protocol=protocol,
        role="chair" if role == "HOST" else "guest",
        display_name=name,
        call_type=call_type,
        streaming=streaming,
        keep_alive=keep_alive,
    )
    return ok([uuid])


# ---- personal layouts: video_mixes/create, video_mixes/<mix>/configure, .../delete

# `main.!personal` is the SDK's default personal layout
MIX_NAME = re.compile(r"^[A-Za-z0-9_.:!-]{1,64}$")


@CONFERENCE.register("video_mixes/create", body=True)
def video_mix_create(ctx: Ctx) -> Response:
    name = need_str(ctx.body, "mix_name", max_len=64)
    if not MIX_NAME.match(name):
        raise BadRequest(400, "Field 'mix_name' must be 1-64 letters, digits or _.:!-")
    ctx.conference.video_mixes.setdefault(name, {})
    return ok(True)


@CONFERENCE.register("video_mixes/configure", body=True)
def video_mix_configure(ctx: Ctx) -> Response:
    mix = ctx.conference.video_mixes.get(ctx.request.path_params.get("mix", ""))
    if mix is None:
        return failed(404, "Video mix not found")
    transform = ctx.body.get("transform_layout")
    if not isinstance(transform, dict):
        raise BadRequest(400, "Field 'transform_layout' must be an object")
    layout = _layout(transform, "layout", "")
    mix.update({"layout": layout} if layout else {})
    return ok(True)


@CONFERENCE.register("video_mixes/delete")
def video_mix_delete(ctx: Ctx) -> Response:
    removed = ctx.conference.video_mixes.pop(ctx.request.path_params.get("mix", ""), None)
    if removed is None:
        return failed(404, "Video mix not found")
    return ok(True)
