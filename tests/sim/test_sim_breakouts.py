"""Breakout rooms over loopback: management, moves, the events to members and hosts."""

from __future__ import annotations

from typing import Any

import httpx

from pextui.sim.server import SimServer
from tests.sim.sim_helpers import API, EventReader, Joined, fast_config, join, reading, wait_until

ALIAS = "meet.demo"


def host_and_guest(client: httpx.Client) -> tuple[Joined, Joined]:
    host = join(client, ALIAS, "Hanna Host", pin="1234")
    guest = join(client, ALIAS, "Gus Guest", pin="")
    assert guest.result["role"] == "GUEST"
    return host, guest


def create(host: Joined, name: str = "Room A", **body: Any) -> str:
    result = host.act("breakouts", json={"name": name, **body})
    assert isinstance(result["breakout_uuid"], str) and result["breakout_uuid"]
    return str(result["breakout_uuid"])


def inner(events: EventReader, room: str, event: str, match: Any = lambda _: True) -> Any:
    """The data of the first breakout_event of `room` wrapping `event` that matches."""
    wrapped = events.wait_for(
        "breakout_event",
        lambda e: e["breakout_uuid"] == room and e["event"] == event and match(e.get("data")),
    )
    return wrapped.get("data")


def room_post(who: Joined, room: str, path: str, **kwargs: Any) -> httpx.Response:
    return who.post(f"breakouts/{room}/{path}", **kwargs)


def test_breakout_rooms_are_announced_in_token_and_status(client: httpx.Client) -> None:
    host = join(client, ALIAS, "Hanna", pin="1234")
    assert host.result["breakout_rooms"] is True
    assert host.status()["breakout_rooms"] is True
    assert host.status()["live_captions_available"] is True


def test_moving_a_guest_in_and_back(client: httpx.Client) -> None:
    host, guest = host_and_guest(client)
    with reading(client, ALIAS, host.token) as hosts, reading(client, ALIAS, guest.token) as own:
        room = create(host, "Room A", description="Ideas", participants={"main": [guest.uuid]})
        begin = own.wait_for("breakout_begin")
        assert begin["breakout_uuid"] == room
        inside = begin["participant_uuid"]
        assert inside and inside != guest.uuid
        # the member gets the room's own sync, with itself in it
        synced = inner(own, room, "participant_create", lambda p: p["uuid"] == inside)
        assert synced["display_name"] == "Gus Guest"
        status = inner(own, room, "conference_update")
        assert status["breakout"] is True and status["breakout_name"] == "Room A"
        assert status["breakout_description"] == "Ideas"
        # hosts: the guest left the main room and appears in the room
        hosts.wait_for("participant_delete", lambda p: p["uuid"] == guest.uuid)
        inner(hosts, room, "participant_sync_begin")
        inner(hosts, room, "participant_create", lambda p: p["uuid"] == inside)
        assert guest.uuid not in {p["uuid"] for p in host.get("participants").json()["result"]}
        in_room = room_post(
            host,
            room,
            "participants/breakout",
            json={"breakout_uuid": "main", "participants": [inside]},
        )
        assert in_room.status_code == 200 and in_room.json()["result"] is True
        end = own.wait_for("breakout_end")
        assert end == {"breakout_uuid": room, "participant_uuid": inside}
        back = hosts.wait_for("participant_create", lambda p: p["uuid"] == guest.uuid)
        assert back["display_name"] == "Gus Guest"
    assert guest.participant()["uuid"] == guest.uuid


def test_move_from_main_and_between_rooms(client: httpx.Client) -> None:
    host, guest = host_and_guest(client)
    first, second = create(host, "One"), create(host, "Two")
    with reading(client, ALIAS, guest.token) as own:
        assert (
            host.act(
                "participants/breakout", json={"breakout_uuid": first, "participants": [guest.uuid]}
            )
            is True
        )
        inside = own.wait_for("breakout_begin", lambda b: b["breakout_uuid"] == first)
        room_post(
            host,
            first,
            "participants/breakout",
            json={"breakout_uuid": second, "participants": [inside["participant_uuid"]]},
        )
        own.wait_for("breakout_end", lambda b: b["breakout_uuid"] == first)
        again = own.wait_for("breakout_begin", lambda b: b["breakout_uuid"] == second)
        # named by its main UUID, a member can also be moved back from the main prefix
        host.act("participants/breakout", json={"breakout_uuid": "", "participants": [guest.uuid]})
        own.wait_for(
            "breakout_end",
            lambda b: b == {"breakout_uuid": second, "participant_uuid": again["participant_uuid"]},
        )
    assert guest.participant()["display_name"] == "Gus Guest"


def test_a_member_acts_on_itself_in_its_room_only(client: httpx.Client) -> None:
    host, guest = host_and_guest(client)
    other = join(client, ALIAS, "Olga Other", pin="")
    room = create(host, participants={"main": [guest.uuid, other.uuid]})
    state = wait_until(lambda: [r for r in host_state(client, ALIAS) if r["uuid"] == room], 5)[0]
    links = state["links"]
    mine = next(r for r, m in links.items() if m == guest.uuid)
    theirs = next(r for r, m in links.items() if m == other.uuid)
    assert room_post(guest, room, f"participants/{mine}/mute").json()["result"] is True
    assert room_post(guest, room, f"participants/{theirs}/mute").status_code == 403
    assert room_post(guest, room, "lock").status_code == 403
    assert guest.post("breakouts", json={"name": "Mine"}).status_code == 403
    assert room_post(host, room, f"participants/{theirs}/mute").status_code == 200
    muted = {p["uuid"]: p["is_muted"] for p in room_get(guest, room, "participants")}
    assert muted == {mine: "YES", theirs: "YES"}
    assert room_get(guest, room, "conference_status")["breakout"] is True
    assert room_post(host, room, "participants/nobody/mute").status_code == 404
    assert host.post("breakouts/no-such-room/lock").status_code == 404


def host_state(client: httpx.Client, alias: str) -> list[dict[str, Any]]:
    state = client.get("/_sim/state").json()
    conference = next(c for c in state["conferences"] if c["alias"] == alias)
    return list(conference["breakouts"])


def room_get(who: Joined, room: str, path: str) -> Any:
    response = who.get(f"breakouts/{room}/{path}")
    assert response.status_code == 200, response.text
    return response.json()["result"]


def test_room_functions(client: httpx.Client) -> None:
    host, guest = host_and_guest(client)
    room = create(host, participants={"main": [guest.uuid]})
    with reading(client, ALIAS, guest.token) as own:
        own.wait_for("breakout_begin")
        for path, body, check in (
            ("lock", None, lambda s: s["locked"] is True),
            ("unlock", None, lambda s: s["locked"] is False),
            ("muteguests", None, lambda s: s["guests_muted"] is True),
            ("unmuteguests", None, lambda s: s["guests_muted"] is False),
        ):
            assert room_post(host, room, path, json=body).json()["result"] is True
            inner(own, room, "conference_update", check)
        message = {"type": "text/plain", "payload": "Five minutes left"}
        assert room_post(host, room, "message", json=message).json()["result"] is True
        said = inner(own, room, "message_received")
        assert said["payload"] == "Five minutes left" and said["origin"] == "Hanna Host"
        layout = {"transforms": {"layout": "2x2"}}
        assert room_post(host, room, "transform_layout", json=layout).status_code == 200
        assert room_post(host, room, "clearallbuzz").json()["result"] is True
        mix = {"mix_name": "main.!personal"}
        assert room_post(host, room, "video_mixes/create", json=mix).json()["result"] is True
        configure = {"transform_layout": {"layout": "4:0"}}
        path = "video_mixes/main.!personal/configure"
        assert room_post(host, room, path, json=configure).status_code == 200
        assert room_post(host, room, "video_mixes/main.!personal/delete").status_code == 200
        assert room_post(host, room, "video_mixes/main.!personal/delete").status_code == 404
        everyone = {"type": "text/plain", "payload": "Back in two"}
        assert host.act("breakouts/message", json=everyone) is True
        inner(own, room, "message_received", lambda m: m["payload"] == "Back in two")


def test_help_request_reaches_the_hosts(client: httpx.Client) -> None:
    host, guest = host_and_guest(client)
    room = create(host, "Help Desk", participants={"main": [guest.uuid]})
    with reading(client, ALIAS, host.token) as hosts:
        assert guest.act("breakoutbuzz") is True
        refer = hosts.wait_for("breakout_refer")
        assert refer["breakout_uuid"] == room and refer["breakout_name"] == "Help Desk"
        assert refer["requester_uuid"]
        inner(hosts, room, "conference_update", lambda s: s["breakoutbuzz"]["value"] is True)
        assert guest.act("clearbreakoutbuzz") is True
        inner(hosts, room, "conference_update", lambda s: s["breakoutbuzz"]["value"] is False)
        assert room_post(host, room, "breakoutbuzz").json()["result"] is True
        assert room_post(host, room, "clearbreakoutbuzz").json()["result"] is True
    assert host.post("breakoutbuzz").status_code == 403  # the host is not in a room


def test_leaving_a_room_only_when_allowed(client: httpx.Client) -> None:
    host, guest = host_and_guest(client)
    create(host, "Strict", participants={"main": [guest.uuid]})
    refused = guest.post("leavebreakout")
    assert refused.status_code == 403 and "may not leave" in refused.json()["result"]
    host.act("breakouts/empty")
    create(host, "Open", guests_allowed_to_leave=True, participants={"main": [guest.uuid]})
    assert guest.act("leavebreakout") is True
    assert guest.participant()["uuid"] == guest.uuid
    assert guest.post("leavebreakout").status_code == 403  # in the main room already


def test_rooms_end_when_their_time_is_up(client: httpx.Client) -> None:
    host, guest = host_and_guest(client)
    other = join(client, ALIAS, "Olga Other", pin="")
    with reading(client, ALIAS, host.token) as hosts, reading(client, ALIAS, guest.token) as own:
        back = create(host, "Short", duration=0.3, participants={"main": [guest.uuid]})
        status = inner(hosts, back, "conference_update")
        assert status["end_action"] == "transfer" and status["end_time"] > 0
        own.wait_for("breakout_end", lambda b: b["breakout_uuid"] == back)
        hosts.wait_for("breakout_end", lambda b: b["breakout_uuid"] == back)
        hosts.wait_for("participant_create", lambda p: p["uuid"] == guest.uuid)
    with reading(client, ALIAS, other.token) as theirs:
        create(
            host, "Gone", duration=0.3, end_action="disconnect", participants={"main": [other.uuid]}
        )
        ended = theirs.wait_for("disconnect")
        assert ended["reason"]
    wait_until(lambda: other.get("conference_status").status_code == 403, 5, "token gone")
    assert host_state(client, ALIAS) == []


def test_closing_rooms(client: httpx.Client) -> None:
    host, guest = host_and_guest(client)
    with reading(client, ALIAS, host.token) as hosts:
        one = create(host, "One", participants={"main": [guest.uuid]})
        two = create(host, "Two")
        assert room_post(host, two, "disconnect").json()["result"] is True
        hosts.wait_for("breakout_end", lambda b: b["breakout_uuid"] == two)
        assert host.act("breakouts/disconnect") is None
        hosts.wait_for("breakout_end", lambda b: b["breakout_uuid"] == one)
    assert guest.participant()["uuid"] == guest.uuid
    assert host_state(client, ALIAS) == []


def test_request_guest_token_joins_the_room(client: httpx.Client) -> None:
    host = join(client, ALIAS, "Hanna", pin="1234")
    room = create(host, "Direct")
    token = room_post(host, room, "request_guest_token").json()["result"]
    assert isinstance(token, str) and token
    guest = join(client, ALIAS, "Dora Direct", token=token)
    assert guest.result["role"] == "GUEST"
    with reading(client, ALIAS, guest.token) as own:
        begin = own.wait_for("breakout_begin")
        assert begin["breakout_uuid"] == room
        inner(own, room, "participant_create", lambda p: p["display_name"] == "Dora Direct")
    again = client.post(
        API + ALIAS + "/request_token", json={"display_name": "Again", "token": token}
    )
    assert again.status_code == 403  # one-time


def test_a_reconnecting_member_is_told_where_it_is(client: httpx.Client) -> None:
    host, guest = host_and_guest(client)
    room = create(host, participants={"main": [guest.uuid]})
    with reading(client, ALIAS, guest.token) as own:
        assert own.wait_for("breakout_begin")["breakout_uuid"] == room
        inner(own, room, "participant_sync_end")
    with reading(client, ALIAS, host.token) as hosts:
        inner(hosts, room, "participant_sync_end")
    refreshed = guest.act("refresh_token")
    assert refreshed["token"] != guest.token


def test_people_in_a_room(client: httpx.Client, sim: SimServer) -> None:
    host, guest = host_and_guest(client)
    room = create(host, participants={"main": [guest.uuid]})
    inside = next(r for r, m in host_state(client, ALIAS)[0]["links"].items() if m == guest.uuid)
    base = f"participants/{inside}/"
    with reading(client, ALIAS, guest.token) as own:
        for path, body in (
            ("spotlighton", None),
            ("spotlightoff", None),
            ("buzz", None),
            ("clearbuzz", None),
            ("video_muted", None),
            ("video_unmuted", None),
            ("client_mute", None),
            ("client_unmute", None),
            ("unmute", None),
            ("dtmf", {"digits": "12#"}),
            ("overlaytext", {"text": "Gus"}),
            ("show_live_captions", None),
            ("hide_live_captions", None),
            ("take_floor", None),
            ("release_floor", None),
        ):
            response = room_post(
                host if path != "take_floor" else guest, room, base + path, json=body
            )
            assert response.status_code == 200, (path, response.text)
        fecc = {
            "action": "start",
            "target": inside,
            "movement": [{"axis": "pan", "direction": "left"}],
        }
        assert room_post(host, room, base + "fecc", json=fecc).status_code == 200
        assert own.wait_for("fecc")["action"] == "start"  # to the member itself, not wrapped
        rtmp = room_post(guest, room, base + "calls", json={"call_type": "RTMP"}).json()
        call = rtmp["result"]["call_uuid"]
        assert room_post(guest, room, f"{base}calls/{call}/disconnect").status_code == 200
        transfer = {"conference_alias": "meet.board", "role": "guest", "pin": "5678"}
        assert room_post(host, room, base + "transfer", json=transfer).status_code == 200
        refer = own.wait_for("refer")
        assert refer["alias"] == "meet.board" and refer["token"]
    assert sim.conference_state(ALIAS)["breakouts"][0]["participants"] == []


def test_disconnecting_a_member(client: httpx.Client) -> None:
    host, guest = host_and_guest(client)
    room = create(host, participants={"main": [guest.uuid]})
    inside = next(r for r, m in host_state(client, ALIAS)[0]["links"].items() if m == guest.uuid)
    with reading(client, ALIAS, guest.token) as own:
        assert room_post(host, room, f"participants/{inside}/disconnect").status_code == 200
        assert own.wait_for("disconnect")["reason"] == "Disconnected by another participant"
    assert guest.get("conference_status").status_code == 403


def test_breakout_bodies_are_checked(client: httpx.Client) -> None:
    host, _ = host_and_guest(client)
    room = create(host)
    for body in (
        {},
        {"name": " "},
        {"name": "x", "duration": -1},
        {"name": "x", "end_action": "explode"},
        {"name": "x", "participants": ["a"]},
        {"name": "x", "participants": {"no-such-room": []}},
        {"name": "x", "participants": {"main": "abc"}},
    ):
        response = host.post("breakouts", json=body)
        assert response.status_code == 400, body
        assert isinstance(response.json()["result"], str)
    move = host.post("participants/breakout", json={"breakout_uuid": "nope", "participants": []})
    assert move.status_code == 404
    bad = room_post(host, room, "participants/breakout", json={"breakout_uuid": "main"})
    assert bad.status_code == 400
    assert host.post("breakouts/message", json={"payload": 5}).status_code == 400


def test_workshop_scenario_runs_breakout_rounds() -> None:
    config = fast_config(scenario="workshop")
    config.timings.scenario_speed = 40.0
    with SimServer(config) as server, httpx.Client(base_url=server.base_url, timeout=5) as http:
        host = join(http, ALIAS, "Hanna", pin="1234")
        with reading(http, ALIAS, host.token) as hosts:
            names = set()
            for _ in range(3):
                status = hosts.wait_for(
                    "breakout_event",
                    lambda e: (
                        e["event"] == "conference_update"
                        and e["data"]["breakout_name"] not in names
                    ),
                    timeout=15,
                )
                names.add(status["data"]["breakout_name"])
            assert names == {"Team Amber", "Team Blue", "Team Cedar"}
            refer = hosts.wait_for("breakout_refer", timeout=15)
            assert refer["breakout_name"] == "Team Blue"
            hosts.wait_for("breakout_end", timeout=15)
            moved_in = [
                e.json()["data"]
                for e in hosts.of("breakout_event")
                if e.json()["event"] == "participant_create"
            ]
            assert moved_in  # guests were spread over the rooms


def test_a_host_back_from_a_room_sees_every_room_again(client: httpx.Client) -> None:
    host, guest = host_and_guest(client)
    other = join(client, ALIAS, "Hugo Host", pin="1234")
    room = create(host, "Both", participants={"main": [guest.uuid, other.uuid]})
    with reading(client, ALIAS, other.token) as theirs:
        begin = theirs.wait_for("breakout_begin")
        host.act(
            "participants/breakout", json={"breakout_uuid": "main", "participants": [other.uuid]}
        )
        theirs.wait_for(
            "breakout_end", lambda e: e["participant_uuid"] == begin["participant_uuid"]
        )

        def syncs() -> list[Any]:
            return [
                e
                for e in theirs.of("breakout_event")
                if e.json()["event"] == "participant_sync_begin"
            ]

        wait_until(lambda: len(syncs()) >= 2, 5, "the room's sync again, as a host in main")
        room_post(guest, room, "message", json={"type": "text/plain", "payload": "still here"})
        inner(theirs, room, "message_received", lambda m: m["payload"] == "still here")
