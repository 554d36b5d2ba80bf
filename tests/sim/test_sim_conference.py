"""Conference functions over loopback HTTP, each with its event."""

from __future__ import annotations

import httpx
import pytest

from pextui.sim.server import SimServer
from tests.sim.sim_helpers import API, join, reading, wait_until

HOST_ONLY = [
    ("lock", None),
    ("unlock", None),
    ("start_conference", None),
    ("muteguests", None),
    ("unmuteguests", None),
    ("set_guests_can_unmute", {"setting": False}),
    ("disconnect", None),
    ("transform_layout", {"transforms": {"layout": "1:7"}}),
    ("clearallbuzz", None),
    ("silent_video_detection", {"config": {"enable": True}}),
    ("dial", {"role": "GUEST", "destination": "bob@example.com", "protocol": "sip"}),
]


def test_host_only_functions_refuse_guests(client: httpx.Client) -> None:
    join(client, "meet.demo", "Hanna", pin="1234")
    guest = join(client, "meet.demo", "Gus", pin="none")
    for name, body in HOST_ONLY:
        response = guest.post(name, json=body) if body else guest.post(name)
        assert response.status_code == 403, name
        assert isinstance(response.json()["result"], str)
    assert guest.get("conference_status").status_code == 200


def test_locked_room_holds_guests_until_admitted(client: httpx.Client) -> None:
    host = join(client, "meet.demo", "Hanna", pin="1234")
    host.act("lock")
    with reading(client, "meet.demo", host.token) as events:
        guest = join(client, "meet.demo", "Gus", pin="none")
        assert guest.result["current_service_type"] == "waiting_room"
        waiting = events.wait_for("participant_create", lambda p: p["uuid"] == guest.uuid)
        assert waiting["service_type"] == "waiting_room"
        # a host still walks straight in
        cohost = join(client, "meet.demo", "Cora", pin="1234")
        assert cohost.result["current_service_type"] == "conference"
        assert host.act(f"participants/{guest.uuid}/unlock") is True
        admitted = events.wait_for(
            "participant_update",
            lambda p: p["uuid"] == guest.uuid and p["service_type"] == "conference",
        )
        assert admitted["display_name"] == "Gus"


def test_unlocking_the_room_admits_everyone_waiting(client: httpx.Client) -> None:
    host = join(client, "meet.demo", "Hanna", pin="1234")
    host.act("lock")
    guests = [join(client, "meet.demo", f"G{i}", pin="none") for i in range(3)]
    assert all(g.participant()["service_type"] == "waiting_room" for g in guests)
    host.act("unlock")
    assert all(host.participant(g.uuid)["service_type"] == "conference" for g in guests)


def test_start_conference_admits_and_reports_started(client: httpx.Client) -> None:
    host = join(client, "meet.demo", "Hanna", pin="1234")
    host.act("lock")
    guest = join(client, "meet.demo", "Gus", pin="none")
    assert host.act("start_conference") is True
    assert host.status()["started"] is True
    assert host.participant(guest.uuid)["service_type"] == "conference"


def test_muteguests_mutes_present_and_future_guests(client: httpx.Client) -> None:
    host = join(client, "meet.demo", "Hanna", pin="1234")
    early = join(client, "meet.demo", "Early", pin="none")
    with reading(client, "meet.demo", host.token) as events:
        host.act("muteguests")
        events.wait_for("conference_update", lambda s: s["guests_muted"] is True)
        events.wait_for(
            "participant_update", lambda p: p["uuid"] == early.uuid and p["is_muted"] == "YES"
        )
    late = join(client, "meet.demo", "Late", pin="none")
    assert host.participant(late.uuid)["is_muted"] == "YES"
    assert host.participant()["is_muted"] == "NO"  # hosts are not guests
    host.act("unmuteguests")
    assert host.participant(early.uuid)["is_muted"] == "NO"
    assert host.status()["guests_muted"] is False


def test_guests_can_unmute_setting_governs_self_unmute(client: httpx.Client) -> None:
    host = join(client, "meet.demo", "Hanna", pin="1234")
    guest = join(client, "meet.demo", "Gus", pin="none")
    host.act("muteguests")
    host.act("set_guests_can_unmute", json={"setting": False})
    assert host.status()["guests_can_unmute"] is False
    assert guest.post(f"participants/{guest.uuid}/unmute").status_code == 403
    host.act("set_guests_can_unmute", json={"setting": True})
    assert guest.act(f"participants/{guest.uuid}/unmute") is True
    assert host.participant(guest.uuid)["is_muted"] == "NO"


def test_conference_disconnect_ends_everyone(client: httpx.Client) -> None:
    host = join(client, "meet.demo", "Hanna", pin="1234")
    guest = join(client, "meet.demo", "Gus", pin="none")
    with reading(client, "meet.demo", guest.token) as events:
        assert host.act("disconnect") is True
        reason = events.wait_for("disconnect")["reason"]
        assert reason == "Conference terminated by another participant"
    assert host.get("conference_status").status_code == 403
    assert guest.get("conference_status").status_code == 403


def test_conference_message_reaches_others_with_origin(client: httpx.Client) -> None:
    host = join(client, "meet.demo", "Hanna", pin="1234")
    guest = join(client, "meet.demo", "Gus", pin="none")
    with reading(client, "meet.demo", guest.token) as events:
        assert host.act("message", json={"type": "text/plain", "payload": "Hello"}) is True
        message = events.wait_for("message_received")
    assert message == {
        "origin": "Hanna",
        "uuid": host.uuid,
        "type": "text/plain",
        "payload": "Hello",
        "direct": False,
    }
    # guests may chat too
    assert guest.act("message", json={"type": "text/plain", "payload": "Hi"}) is True


def test_transform_layout_emits_layout_and_validates(client: httpx.Client) -> None:
    host = join(client, "meet.demo", "Hanna", pin="1234")
    with reading(client, "meet.demo", host.token) as events:
        host.act("transform_layout", json={"transforms": {"layout": "4:0"}})
        layout = events.wait_for("layout", lambda p: p["view"] == "4:0")
    assert layout["requested_layout"]["primary_screen"] == {
        "chair_layout": "4:0",
        "guest_layout": "4:0",
    }
    assert isinstance(layout["participants"], list)
    bad = host.post("transform_layout", json={"transforms": {"layout": "7:7"}})
    assert bad.status_code == 400 and "7:7" in bad.json()["result"]
    assert host.post("transform_layout", json={"transforms": "ac"}).status_code == 400


def test_auditorium_has_separate_host_and_guest_layouts(client: httpx.Client) -> None:
    host = join(client, "townhall", "Chair", pin="1234")
    viewer = join(client, "townhall", "Viewer", pin="none")
    with (
        reading(client, "townhall", host.token) as events,
        reading(client, "townhall", viewer.token) as guest_events,
    ):
        assert guest_events.of("layout")[0].json()["view"] == "1:0"
        assert events.of("layout")[0].json()["view"] == "1:7"
        host.act(
            "transform_layout", json={"transforms": {"host_layout": "2:21", "guest_layout": "ac"}}
        )
        layout = events.wait_for("layout", lambda p: p["view"] == "2:21")
        guest_layout = guest_events.wait_for("layout", lambda p: p["view"] == "ac")
    expected = {"chair_layout": "2:21", "guest_layout": "ac"}
    assert layout["requested_layout"]["primary_screen"] == expected
    assert guest_layout["requested_layout"]["primary_screen"] == expected


def test_available_layouts_plain_and_annotated(client: httpx.Client) -> None:
    host = join(client, "meet.demo", "Hanna", pin="1234")
    plain = host.get("available_layouts").json()["result"]
    for name in ("ac", "1:0", "1:7", "4:0", "2x2"):
        assert name in plain
    annotated = host.get("available_layouts", params={"annotate": "true"}).json()["result"]
    assert {entry["name"] for entry in annotated} == set(plain)
    assert host.get("layout_svgs").json()["result"] == {}


def test_clearallbuzz_lowers_every_hand(client: httpx.Client) -> None:
    host = join(client, "meet.demo", "Hanna", pin="1234")
    guests = [join(client, "meet.demo", f"G{i}", pin="none") for i in range(2)]
    for guest in guests:
        guest.act(f"participants/{guest.uuid}/buzz")
    assert all(host.participant(g.uuid)["buzz_time"] > 0 for g in guests)
    host.act("clearallbuzz")
    assert all(host.participant(g.uuid)["buzz_time"] == 0 for g in guests)


def test_silent_video_detection_checks_ranges(client: httpx.Client) -> None:
    host = join(client, "meet.demo", "Hanna", pin="1234")
    body = {
        "config": {
            "enable": True,
            "silent_after": 15,
            "require_no_faces": True,
            "reactivate_after": 2,
        }
    }
    assert host.act("silent_video_detection", json=body) is True
    too_long = {"config": {"silent_after": 1000}}
    response = host.post("silent_video_detection", json=too_long)
    assert response.status_code == 400 and "silent_after" in response.json()["result"]


def test_theme_is_empty_and_node_status_is_ok(client: httpx.Client) -> None:
    host = join(client, "meet.demo", "Hanna", pin="1234")
    theme = host.get("theme/")
    assert theme.status_code == 204 and theme.content == b""
    status = client.get("/api/client/v2/status")
    assert status.json() == {"status": "success", "result": "OK"}
    assert client.get(API + "meet.demo/theme/").status_code == 403


def test_video_mixes_for_personal_layouts(client: httpx.Client) -> None:
    host = join(client, "meet.demo", "Hanna", pin="1234")
    assert host.act("video_mixes/create", json={"mix_name": "main2"}) is True
    body = {"transform_layout": {"layout": "4:0"}}
    assert host.act("video_mixes/main2/configure", json=body) is True
    bad = host.post("video_mixes/main2/configure", json={"transform_layout": {"layout": "x"}})
    assert bad.status_code == 400
    assert host.act("video_mixes/main2/delete") is True
    assert host.post("video_mixes/main2/delete").status_code == 404
    assert host.post("video_mixes/create", json={"mix_name": "a b/c"}).status_code == 400


def test_every_host_action_is_answered_by_an_event_even_without_a_change(
    client: httpx.Client,
) -> None:
    host = join(client, "meet.demo", "Hanna", pin="1234")
    guest = join(client, "meet.demo", "Gus", pin="none")
    with reading(client, "meet.demo", host.token) as events:
        for _ in range(2):
            host.act("lock")
            host.act(f"participants/{guest.uuid}/mute")
        wait_until(lambda: len(events.of("conference_update")) >= 3, 5, "two lock updates")
        wait_until(lambda: len(events.of("participant_update")) >= 2, 5, "two mute updates")


def test_conference_and_participant_state_are_views_of_state(
    sim: SimServer, client: httpx.Client
) -> None:
    guest = join(client, "meet.demo", "Gus", pin="none")
    conference = sim.conference_state("meet.demo")
    assert conference in sim.state()["conferences"]
    participant = sim.participant_state("meet.demo", guest.uuid)
    assert participant is not None and participant["display_name"] == "Gus"
    assert sim.participant_state("meet.board", guest.uuid) is None
    with pytest.raises(KeyError):
        sim.conference_state("no.such.alias")
