"""The store's breakout rooms, captions, frames and splash screens, event by event."""

from __future__ import annotations

import time

from pextui.conference import ConferenceStore, splash_text
from pextui.protocol.models import Event, SplashScreen
from tests.conference.conference_helpers import FakeClock, create, event, person


def room_event(room: str, name: str, data: object = None) -> Event:
    return event("breakout_event", {"breakout_uuid": room, "event": name, "data": data or {}})


def status(**fields: object) -> dict[str, object]:
    return {"locked": False, "guests_muted": False, "started": True, "breakout": True, **fields}


def test_a_host_sees_rooms_with_people_time_left_and_help() -> None:
    clock = FakeClock(1_000.0)
    store = ConferenceStore(clock=clock, self_uuid="host")
    for item in (
        room_event("r1", "participant_sync_begin"),
        room_event("r1", "participant_create", person("a", "Ann")),
        room_event("r1", "participant_sync_end"),
        room_event("r1", "conference_update", status(breakout_name="Blue", end_time=1_090.0)),
    ):
        store.apply(item)
    room = store.breakouts["r1"]
    assert (room.name, room.people, room.participant_uuid) == ("Blue", 1, "")
    assert room.time_left(clock()) == 90.0
    clock.advance(100)
    assert room.time_left(clock()) == 0.0
    assert store.rooms.current is None  # a host watching, not in the room
    assert store.rooms.room_of("a") is room
    assert store.drain_changes().breakouts
    # help: the status first, then the refer naming who asked: one request
    buzz = {"time": 1_100.0, "value": True}
    store.apply(
        room_event("r1", "conference_update", status(breakout_name="Blue", breakoutbuzz=buzz))
    )
    store.apply(
        event(
            "breakout_refer",
            {"breakout_uuid": "r1", "breakout_name": "Blue", "requester_uuid": "a"},
        )
    )
    assert room.needs_help
    (request,) = store.rooms.take_help_requests()
    assert (request.room_name, request.requester, request.breakout_uuid) == ("Blue", "Ann", "r1")
    store.apply(room_event("r1", "conference_update", status(breakout_name="Blue")))
    assert not room.needs_help
    # a new request after the first was handled is a new alert
    store.apply(
        event(
            "breakout_refer", {"breakout_uuid": "r1", "breakout_name": "Blue", "requester_uuid": ""}
        )
    )
    assert [r.room_name for r in store.rooms.take_help_requests()] == ["Blue"]
    store.apply(event("breakout_end", {"breakout_uuid": "r1", "participant_uuid": "host"}))
    assert store.breakouts == {} and store.snapshot()["breakouts"] == {}


def test_a_member_follows_its_own_room() -> None:
    store = ConferenceStore(self_uuid="me")
    store.apply(create("me", "Me"))
    store.apply(event("breakout_begin", {"breakout_uuid": "r2", "participant_uuid": "me-r2"}))
    assert store.rooms.current == "r2"
    store.apply(room_event("r2", "participant_create", person("me-r2", "Me")))
    store.apply(
        room_event(
            "r2",
            "message_received",
            {"type": "text/plain", "payload": "hi", "origin": "Ann", "uuid": "x"},
        )
    )
    inside = store.breakouts["r2"].store
    assert inside.me is not None and [e.payload for e in inside.chat] == ["hi"]
    assert store.snapshot()["current_breakout"] == "r2"
    store.apply(event("breakout_end", {"breakout_uuid": "r2", "participant_uuid": "me-r2"}))
    assert store.rooms.current is None and "r2" not in store.breakouts


def test_unknown_or_malformed_room_events_change_nothing() -> None:
    store = ConferenceStore()
    store.apply(
        event("breakout_event", {"breakout_uuid": "r", "event": "no_such_event", "data": {}})
    )
    assert store.breakouts == {} and not store.drain_changes()


def test_captions_keep_finals_and_replace_the_interim() -> None:
    clock = FakeClock(0.0)
    store = ConferenceStore(clock=clock)
    store.apply(create("s", "Sam [b]Speaker[/b]"))
    source = [{"participant_uuid": "s", "indices": [0, 1]}]
    store.apply(
        event("live_captions", {"data": "Thanks every", "is_final": False, "sources": source})
    )
    assert store.captions.latest is not None and not store.captions.latest.final
    assert len(store.captions) == 0
    store.apply(
        event("live_captions", {"data": "Thanks everyone", "is_final": True, "sources": source})
    )
    assert store.captions.interim is None and len(store.captions) == 1
    (line,) = store.captions
    assert line.speakers == ("Sam [b]Speaker[/b]",)  # kept literally; drawn as text later
    store.apply(
        event(
            "live_captions",
            {"data": "who?", "is_final": True, "sources": [{"participant_uuid": "gone"}]},
        )
    )
    assert list(store.captions)[-1].speaker == "Unknown speaker"
    transcript = store.captions.transcript(time.gmtime)
    assert (
        transcript
        == "00:00:00 Sam [b]Speaker[/b]: Thanks everyone\n00:00:00 Unknown speaker: who?\n"
    )
    assert store.drain_changes().captions


def test_frames_are_remembered_without_a_redraw_flag() -> None:
    store = ConferenceStore()
    store.apply(event("presentation_frame", {"lastEventId": "7"}))
    assert store.presentation_frame == "7"
    store.apply(event("presentation_frame", {"lastEventId": 8}))
    assert store.presentation_frame == "8"


def test_splash_text_from_the_theme() -> None:
    theme = {
        "direct_media_welcome": {
            "layout_type": "direct_media",
            "background": {"path": "bg.jpg"},
            "elements": [
                {"type": "text", "color": 1, "text": "Welcome"},
                {"type": "text", "color": 1, "text": "[red]all[/red]"},
            ],
        }
    }
    assert (
        splash_text(theme, SplashScreen(screen_key="direct_media_welcome"))
        == "Welcome [red]all[/red]"
    )
    assert splash_text(theme, SplashScreen(screen_key="other")) == "other"
    assert splash_text(theme, None) is None
    assert splash_text({"x": {"elements": "nope"}}, SplashScreen(screen_key="x")) == "x"


def test_dial_outcomes_from_the_roster_and_the_delete_reason() -> None:
    store = ConferenceStore()
    store.apply(create("ok", "Desk", service_type="connecting"))
    store.apply(create("busy", "Busy line", service_type="connecting"))
    store.dialouts.dialled("ok", "sip:desk@example.com")
    store.apply(event("participant_delete", {"uuid": "early", "reason": "No answer"}))
    store.dialouts.dialled("early", "sip:noanswer@example.com")  # the answer came late
    store.dialouts.dialled("busy", "sip:busy@example.com")
    store.dialouts.observe(store.roster)
    assert store.dialouts.calls["ok"].outcome == "ringing"
    store.apply(event("participant_update", person("ok", "Desk", service_type="conference")))
    store.apply(event("participant_delete", {"uuid": "busy", "reason": "Busy"}))
    store.dialouts.observe(store.roster)
    settled = {call.destination: call.outcome for call in store.dialouts.take_settled()}
    assert settled == {
        "sip:desk@example.com": "answered",
        "sip:noanswer@example.com": "no answer",
        "sip:busy@example.com": "busy",
    }
    assert store.dialouts.take_settled() == []  # each reported once
