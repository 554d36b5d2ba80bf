"""Breakout, caption and frame functions of the client against the simulator (loopback),
with the events folded into stores as the console does."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from typing import Any

import pytest

from pextui.protocol.client import NO_PIN, connect
from pextui.protocol.errors import ActionError
from pextui.protocol.requests import RequestValidationError
from pextui.sim.config import Timings
from pextui.sim.server import SimServer
from tests.protocol.protocol_helpers import Collector, host_params, wait_until

ALIAS = "meet.demo"


@pytest.fixture
def sim(make_sim: Callable[..., SimServer]) -> SimServer:
    timings = Timings(
        dial_answer=0.1, refresh_grace=1.0, keepalive=1.0, frame_interval=0.1, caption_final=0.05
    )
    return make_sim(timings=timings)


@pytest.fixture
async def host(sim: SimServer) -> AsyncIterator[Collector]:
    session = await connect(host_params(sim))
    collector = Collector(session)
    yield collector
    await collector.stop()
    await session.close()


@pytest.fixture
async def guest(sim: SimServer) -> AsyncIterator[Collector]:
    session = await connect(host_params(sim, pin=NO_PIN, display_name="Gus Guest"))
    collector = Collector(session)
    yield collector
    await collector.stop()
    await session.close()


def rooms_of(sim: SimServer) -> list[dict[str, Any]]:
    return list(sim.conference_state(ALIAS)["breakouts"])


def room_uuid_of(sim: SimServer, main_uuid: str) -> str:
    for room in rooms_of(sim):
        for inside, outside in room["links"].items():
            if outside == main_uuid:
                return str(inside)
    raise AssertionError(f"{main_uuid} is in no room")


async def open_room(host: Collector, guest: Collector, **options: Any) -> str:
    room = await host.session.create_breakout(
        "Room A", participants={"main": [guest.session.participant_uuid]}, **options
    )
    await wait_until(lambda: guest.store.rooms.current == room, what="the guest in the room")
    await wait_until(lambda: host.store.breakouts.get(room) is not None, what="the host sees it")
    return room


async def test_a_round_of_breakouts_seen_by_host_and_guest(
    sim: SimServer, host: Collector, guest: Collector
) -> None:
    guest_uuid = guest.session.participant_uuid
    room = await open_room(host, guest, description="Ideas", duration_s=600)
    seen = host.store.breakouts[room]
    await wait_until(lambda: seen.people == 1 and seen.name == "Room A", what="the room's roster")
    inside = room_uuid_of(sim, guest_uuid)
    assert set(seen.store.roster) == {inside}
    assert seen.store.roster[inside].participant.name == "Gus Guest"
    left = seen.time_left(host.store.clock())
    assert left is not None and 590 < left <= 600
    assert seen.store.status.breakout_description == "Ideas"
    await wait_until(lambda: guest_uuid not in host.store.roster, what="the guest left main")
    mine = guest.store.breakouts[room]
    assert mine.participant_uuid == inside and mine.store.self_uuid == inside
    # back to the main room
    await host.session.room(room).move_to_room([inside], None)
    await wait_until(lambda: guest.store.rooms.current is None, what="the guest back in main")
    await wait_until(lambda: guest_uuid in host.store.roster, what="the guest in main again")
    await host.session.close_all_rooms()
    await wait_until(lambda: not host.store.breakouts, what="no rooms left")


async def test_moves_from_main_between_rooms_and_back(
    sim: SimServer, host: Collector, guest: Collector
) -> None:
    session, guest_uuid = host.session, guest.session.participant_uuid
    first = await session.create_breakout("One")
    second = await session.create_breakout("Two", end_action="disconnect", duration_s=0)
    await session.move_to_room([guest_uuid], first)
    await wait_until(lambda: guest.store.rooms.current == first, what="in room one")
    await session.room(first).move_to_room([room_uuid_of(sim, guest_uuid)], second)
    await wait_until(lambda: guest.store.rooms.current == second, what="in room two")
    await session.empty_all_rooms()
    await wait_until(lambda: guest.store.rooms.current is None, what="back in main")
    assert {r["uuid"] for r in rooms_of(sim)} == {first, second}  # emptied, still open
    await session.room(second).close()
    await wait_until(lambda: second not in host.store.breakouts, what="room two closed")


async def test_room_functions(sim: SimServer, host: Collector, guest: Collector) -> None:
    room_id = await open_room(host, guest)
    room = host.session.room(room_id)
    seen = host.store.breakouts[room_id]
    await room.lock()
    await wait_until(lambda: seen.store.status.locked, what="room locked")
    await room.unlock()
    await room.mute_guests()
    await wait_until(lambda: seen.store.status.guests_muted, what="guests muted")
    await room.unmute_guests()
    await room.transform_layout("2x2")
    await room.clear_all_buzz()
    await room.create_video_mix("main.!personal")
    await room.configure_video_mix("main.!personal", "4:0")
    await room.delete_video_mix("main.!personal")
    status = await room.status()
    assert status.breakout is True and status.breakout_name == "Room A"
    assert [p.name for p in await room.participants()] == ["Gus Guest"]
    await room.send_message("Five minutes left")
    mine = guest.store.breakouts[room_id].store
    await wait_until(lambda: any(e.payload == "Five minutes left" for e in mine.chat), what="chat")
    await host.session.message_all_rooms("Back at ten")
    await wait_until(lambda: any(e.payload == "Back at ten" for e in mine.chat), what="to all")
    token = await room.request_guest_token()
    assert isinstance(token, str) and len(token) > 20
    await room.breakout_buzz()
    await wait_until(lambda: seen.needs_help, what="help asked")
    await room.clear_breakout_buzz()
    await wait_until(lambda: not seen.needs_help, what="help handled")
    with pytest.raises(ActionError) as refused:
        await host.session.room("no-such-room").lock()
    assert refused.value.status == 404


async def test_people_in_a_room(sim: SimServer, host: Collector, guest: Collector) -> None:
    room_id = await open_room(host, guest)
    inside = room_uuid_of(sim, guest.session.participant_uuid)
    room = host.session.room(room_id)
    seen = host.store.breakouts[room_id].store

    def field(name: str) -> Any:
        return getattr(seen.roster[inside].participant, name)

    for act, name, value in (
        (room.mute, "is_muted", "YES"),
        (room.unmute, "is_muted", "NO"),
        (room.client_mute, "is_client_muted", True),
        (room.client_unmute, "is_client_muted", False),
        (room.mute_video, "is_video_muted", True),
        (room.unmute_video, "is_video_muted", False),
        (room.buzz, "buzz_time", lambda t: t > 0),
        (room.clear_buzz, "buzz_time", 0),
        (room.spotlight_on, "spotlight", lambda t: t > 0),
        (room.spotlight_off, "spotlight", 0),
    ):
        await act(inside)
        check = value if callable(value) else (lambda v, want=value: v == want)
        await wait_until(lambda n=name, c=check: c(field(n)), what=f"{act.__name__}")
    await room.set_overlay_text(inside, "Gus (room A)")
    await wait_until(lambda: field("overlay_text") == "Gus (room A)", what="overlay text")
    await room.send_dtmf(inside, "12#")
    await room.fecc(inside, "start", [("pan", "left")], timeout_ms=500)
    guest_room = guest.session.room(room_id)
    await guest_room.take_floor(inside)
    await wait_until(lambda: field("is_presenting") == "YES", what="presenting in the room")
    await guest_room.release_floor(inside)
    await guest_room.show_live_captions(inside)
    await guest_room.hide_live_captions(inside)
    with pytest.raises(ActionError):
        await room.admit(inside)  # not waiting: the node answers false
    await room.transfer(inside, "meet.board", "guest", "5678")
    await wait_until(lambda: not seen.roster, what="transferred out of the room")


async def test_disconnect_in_a_room(sim: SimServer, host: Collector, guest: Collector) -> None:
    room_id = await open_room(host, guest)
    await host.session.room(room_id).disconnect_participant(
        room_uuid_of(sim, guest.session.participant_uuid)
    )
    await wait_until(lambda: guest.ended is not None, what="the guest's session ended")


async def test_a_guest_asks_for_help_and_leaves(
    sim: SimServer, host: Collector, guest: Collector
) -> None:
    room_id = await open_room(host, guest, guests_allowed_to_leave=True)
    await guest.session.breakout_buzz()
    await wait_until(lambda: host.store.rooms.help_requests, what="a help request")
    (request,) = host.store.rooms.take_help_requests()
    assert request.room_name == "Room A" and request.requester == "Gus Guest"
    assert request.breakout_uuid == room_id
    assert host.store.rooms.help_requests == ()
    await guest.session.clear_breakout_buzz()
    await wait_until(lambda: not host.store.breakouts[room_id].needs_help, what="help cleared")
    await guest.session.leave_breakout()
    await wait_until(lambda: guest.store.rooms.current is None, what="the guest left")
    with pytest.raises(ActionError) as refused:
        await guest.session.leave_breakout()
    assert refused.value.status == 403


async def test_rooms_time_out(sim: SimServer, host: Collector, guest: Collector) -> None:
    room_id = await host.session.create_breakout(
        "Short", duration_s=0.4, participants={"main": [guest.session.participant_uuid]}
    )
    await wait_until(lambda: guest.store.rooms.current == room_id, what="in the room")
    await wait_until(lambda: guest.store.rooms.current is None, what="back after the time")
    await wait_until(lambda: room_id not in host.store.breakouts, what="the room ended")


async def test_captions_with_their_speaker(
    sim: SimServer, host: Collector, guest: Collector
) -> None:
    me = host.session.participant_uuid
    await host.session.show_live_captions(me)
    speaker = guest.session.participant_uuid
    conference = sim.node.conferences[ALIAS]
    sim.run_on_loop(lambda: conference.set_stage([speaker], speaking=speaker))
    await wait_until(lambda: len(host.store.captions) == 1, what="a final caption")
    (line,) = list(host.store.captions)
    assert line.speakers == ("Gus Guest",) and line.final and line.text
    assert host.store.captions.interim is None  # replaced by the final one
    assert "Gus Guest: " + line.text in host.store.captions.transcript()
    await host.session.hide_live_captions(me)
    assert sim.conference_state(ALIAS)["caption_viewers"] == []


async def test_presentation_frames(sim: SimServer, host: Collector, guest: Collector) -> None:
    presenter = guest.session
    await presenter.take_floor(presenter.participant_uuid)
    await wait_until(lambda: host.store.presentation_frame is not None, what="a frame")
    frame = host.store.presentation_frame
    assert frame is not None
    low = await host.session.presentation_frame(frame)
    high = await host.session.presentation_frame(frame, high=True)
    assert low[:2] == b"\xff\xd8" and high[:2] == b"\xff\xd8" and len(high) > len(low)
    with pytest.raises(ActionError) as missing:
        await host.session.presentation_frame("999999")
    assert missing.value.status == 404


async def test_bad_breakout_arguments_are_refused_before_sending(host: Collector) -> None:
    session = host.session
    for call in (
        lambda: session.create_breakout(""),
        lambda: session.create_breakout("x", duration_s=-5),
        lambda: session.create_breakout("x", end_action="explode"),
        lambda: session.create_breakout("x", participants={"main": ["a/b"]}),
        lambda: session.move_to_room([], None),
        lambda: session.room("a/b").lock(),
        lambda: session.room("r").mute(""),
        lambda: session.create_video_mix("x/y"),
    ):
        with pytest.raises(RequestValidationError):
            await call()


THEME = {
    "direct_media_welcome": {
        "layout_type": "direct_media",
        "background": {"path": "welcome.jpg"},
        "elements": [{"type": "text", "color": 16777215, "text": "Welcome to the workshop"}],
    }
}


async def test_theme_none_then_one(host: Collector, monkeypatch: pytest.MonkeyPatch) -> None:
    assert await host.session.theme() == {}  # the simulator's conferences have no theme (204)
    from pextui.sim.dispatch import Function
    from pextui.sim.http import ok
    from pextui.sim.routes_conference import CONFERENCE

    themed = Function("GET", lambda ctx: ok(THEME), "any", False)
    monkeypatch.setitem(CONFERENCE.functions, "theme/", themed)
    assert await host.session.theme() == THEME
