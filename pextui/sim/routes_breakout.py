"""Breakout endpoints: the room management functions of the main conference and every
`breakouts/<breakout_uuid>/...` function (per room, per participant, per call)."""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import Response

from pextui.sim.breakouts import MAIN, Breakouts, Room
from pextui.sim.conference import Conference
from pextui.sim.dispatch import GUEST_FORBIDDEN, Ctx, Table, node_of, token_of
from pextui.sim.http import (
    BadRequest,
    failed,
    get_bool,
    get_choice,
    get_number,
    get_str,
    invalid_token,
    need_str,
    ok,
    parse_object,
    read_body,
)
from pextui.sim.routes_conference import CONFERENCE, MAX_MESSAGE, MESSAGE_TYPES
from pextui.sim.routes_participant import CALL, PARTICIPANT

ROOM = Table()
MAX_MOVE = 1000
NOT_IN_A_ROOM = "Not in a breakout room"
# Functions of the main conference that work the same inside a room.
for _name in (
    "conference_status",
    "participants",
    "transform_layout",
    "muteguests",
    "unmuteguests",
    "lock",
    "unlock",
    "message",
    "clearallbuzz",
    "video_mixes/create",
    "video_mixes/configure",
    "video_mixes/delete",
):
    ROOM.functions[_name] = CONFERENCE.functions[_name]


def rooms_of(conference: Conference) -> Breakouts:
    rooms = conference.rooms
    if not isinstance(rooms, Breakouts):
        raise BadRequest(404, "This conference has no breakout rooms")
    return rooms


def room_of(ctx: Ctx) -> Room:
    room = ctx.conference
    assert isinstance(room, Room)
    return room


def _uuid_list(body: dict[str, Any], name: str) -> list[str]:
    value = body.get(name)
    if not isinstance(value, list) or not all(isinstance(u, str) and len(u) <= 64 for u in value):
        raise BadRequest(400, f"Field '{name}' must be a list of participant UUIDs")
    if len(value) > MAX_MOVE:
        raise BadRequest(400, f"Field '{name}' may list at most {MAX_MOVE} participants")
    return list(value)


def _target(rooms: Breakouts, body: dict[str, Any]) -> Room | None:
    """The room named by `breakout_uuid` ('' or 'main' = the main room)."""
    wanted = need_str(body, "breakout_uuid", max_len=64)
    if wanted in ("", MAIN):
        return None
    room = rooms.rooms.get(wanted)
    if room is None:
        raise BadRequest(404, "Breakout room not found")
    return room


# ---- room management, under the main conference


@CONFERENCE.register("breakouts", body=True)
def create(ctx: Ctx) -> Response:
    rooms = rooms_of(ctx.conference)
    body = ctx.body
    name = need_str(body, "name", max_len=100).strip()
    if not name:
        raise BadRequest(400, "Field 'name' must not be empty")
    description = get_str(body, "description", max_len=500, default="") or ""
    duration = get_number(body, "duration", 0, 86_400) or 0.0
    end_action = get_choice(body, "end_action", ("disconnect", "transfer"), "transfer")
    leave = bool(get_bool(body, "guests_allowed_to_leave"))
    moves = body.get("participants") or {}
    if not isinstance(moves, dict):
        raise BadRequest(400, "Field 'participants' must be an object of room: [UUIDs]")
    checked: dict[str, list[str]] = {}
    for source in moves:
        if source != MAIN and source not in rooms.rooms:
            raise BadRequest(400, "Field 'participants' names an unknown breakout room")
        checked[source] = _uuid_list(moves, source)
    room = rooms.create(
        name=name,
        description=description,
        duration=duration,
        end_action=end_action,
        guests_allowed_to_leave=leave,
        participants=checked,
    )
    return ok({"breakout_uuid": room.uuid})


@CONFERENCE.register("breakouts/message", body=True)
def message_all(ctx: Ctx) -> Response:
    mime = get_choice(ctx.body, "type", MESSAGE_TYPES, "text/plain")
    payload = need_str(ctx.body, "payload", max_len=MAX_MESSAGE)
    for room in rooms_of(ctx.conference).rooms.values():
        room.message(ctx.caller, mime, payload)
    return ok(True)


@CONFERENCE.register("breakouts/disconnect")
def close_all(ctx: Ctx) -> Response:
    rooms_of(ctx.conference).close_all()
    return ok(None)


@CONFERENCE.register("breakouts/empty")
def empty(ctx: Ctx) -> Response:
    rooms_of(ctx.conference).empty()
    return ok(True)


@CONFERENCE.register("participants/breakout", body=True)
def move_from_main(ctx: Ctx) -> Response:
    rooms = rooms_of(ctx.conference)
    target = _target(rooms, ctx.body)
    rooms.move(_uuid_list(ctx.body, "participants"), None, target)
    return ok(True)


def _own_room(ctx: Ctx) -> tuple[Breakouts, Room, str]:
    rooms = rooms_of(ctx.conference)
    away = rooms.away.get(ctx.caller.uuid)
    if away is None:
        raise BadRequest(403, NOT_IN_A_ROOM)
    return rooms, away.room, away.room_uuid


@CONFERENCE.register("leavebreakout", access="any")
def leave(ctx: Ctx) -> Response:
    rooms, room, room_uuid = _own_room(ctx)
    if not ctx.is_host and not room.guests_may_leave:
        return failed(403, "Guests may not leave this breakout room")
    rooms.move([room_uuid], room, None)
    return ok(True)


@CONFERENCE.register("breakoutbuzz", access="any")
def ask_for_help(ctx: Ctx) -> Response:
    rooms, room, room_uuid = _own_room(ctx)
    rooms.buzz(room, room_uuid, True)
    return ok(True)


@CONFERENCE.register("clearbreakoutbuzz", access="any")
def stop_asking(ctx: Ctx) -> Response:
    rooms, room, room_uuid = _own_room(ctx)
    rooms.buzz(room, room_uuid, False)
    return ok(True)


# ---- breakouts/<breakout_uuid>/<function>


@ROOM.register("disconnect")
def close_room(ctx: Ctx) -> Response:
    room = room_of(ctx)
    room.manager.close(room)
    return ok(True)


@ROOM.register("breakoutbuzz", access="any")
def room_buzz(ctx: Ctx) -> Response:
    room = room_of(ctx)
    room.manager.buzz(room, ctx.caller.uuid, True)
    return ok(True)


@ROOM.register("clearbreakoutbuzz", access="any")
def room_clear_buzz(ctx: Ctx) -> Response:
    room = room_of(ctx)
    room.manager.buzz(room, None, False)
    return ok(True)


@ROOM.register("request_guest_token")
def request_guest_token(ctx: Ctx) -> Response:
    room = room_of(ctx)
    node = ctx.node
    token = node.tokens.issue_one_time(
        room.manager.main.alias,
        "guest",
        "",
        node.timings.refer_token_ttl,
        breakout_uuid=room.uuid,
    )
    return ok(token)


@ROOM.register("participants/breakout", body=True)
def move_from_room(ctx: Ctx) -> Response:
    room = room_of(ctx)
    target = _target(room.manager, ctx.body)
    room.manager.move(_uuid_list(ctx.body, "participants"), room, target)
    return ok(True)


# ---- the dispatcher of breakouts/<breakout_uuid>/...


async def dispatch_room(
    request: Request,
    table: Table,
    name: str,
    target_uuid: str | None = None,
    call_uuid: str | None = None,
) -> Response:
    """As `dispatch`, inside the room of the path: hosts (in the main room or a room) act
    on any room; a guest only in its own room, and only on itself where `access="self"`."""
    spec = table.functions.get(name)
    if spec is None:
        return failed(404, f"Unknown function '{name[:80]}'")
    if request.method != spec.method:
        response = failed(405, f"Method {request.method} not allowed for '{name}'")
        response.headers["Allow"] = spec.method
        return response
    node = node_of(request)
    token = token_of(request, spec.query_token)
    found = node.conference_for_token(request.path_params["alias"], token)
    if found is None or token is None:
        return invalid_token()
    conference, caller_uuid = found
    try:
        raw = await read_body(request, node.config.max_body_bytes)
        body = parse_object(raw) if spec.has_body else {}
        rooms = rooms_of(conference)
        member = conference.member(caller_uuid)
        room = rooms.rooms.get(request.path_params["breakout"])
        if member is None:
            return invalid_token()
        if room is None:
            return failed(404, "Breakout room not found")
        away = rooms.away.get(caller_uuid)
        caller = member
        if away is not None and away.room is room:
            caller = room.participants.get(away.room_uuid, member)
        elif not member.is_host:
            return failed(403, GUEST_FORBIDDEN)
        ctx = Ctx(node, room, caller, body, request, token, call_uuid=call_uuid)
        if target_uuid is not None:
            ctx.target = room.participants.get(target_uuid)
        if not caller.is_host and (
            spec.access == "host" or (spec.access == "self" and target_uuid != caller.uuid)
        ):
            return failed(403, GUEST_FORBIDDEN)
        if target_uuid is not None and ctx.target is None:
            return failed(404, "Participant not found")
        return spec.handler(ctx)
    except BadRequest as error:
        return failed(error.status, error.reason)


async def room_function(request: Request) -> Response:
    return await dispatch_room(request, ROOM, request.path_params["function"])


async def room_move(request: Request) -> Response:
    return await dispatch_room(request, ROOM, "participants/breakout")


async def room_mix_create(request: Request) -> Response:
    return await dispatch_room(request, ROOM, "video_mixes/create")


async def room_mix_function(request: Request) -> Response:
    return await dispatch_room(request, ROOM, "video_mixes/" + request.path_params["function"])


async def room_participant_function(request: Request) -> Response:
    params = request.path_params
    return await dispatch_room(request, PARTICIPANT, params["function"], params["participant"])


async def room_call_function(request: Request) -> Response:
    params = request.path_params
    return await dispatch_room(
        request, CALL, params["function"], params["participant"], params["call"]
    )
