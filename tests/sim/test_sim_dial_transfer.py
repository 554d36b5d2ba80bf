"""Dial-out (answer / reject / timeout) and transfer (refer + one-time token)."""

from __future__ import annotations

import httpx

from pextui.sim.server import SimServer
from tests.sim.sim_helpers import API, Joined, join, reading, request_token


def dial(host_token_holder: Joined, destination: str, **extra: str) -> str:
    body = {"role": "GUEST", "destination": destination, "protocol": "sip", **extra}
    uuids = host_token_holder.act("dial", json=body)
    assert isinstance(uuids, list) and len(uuids) == 1
    return str(uuids[0])


def test_dial_creates_a_connecting_participant_that_is_answered(client: httpx.Client) -> None:
    host = join(client, "meet.demo", "Hanna", pin="1234")
    with reading(client, "meet.demo", host.token) as events:
        uuid = dial(host, "alice@example.com", remote_display_name="Alice")
        created = events.wait_for("participant_create", lambda p: p["uuid"] == uuid)
        assert created["service_type"] == "connecting"
        assert created["call_direction"] == "out" and created["display_name"] == "Alice"
        answered = events.wait_for(
            "participant_update", lambda p: p["uuid"] == uuid and p["service_type"] == "conference"
        )
    assert answered["has_media"] is True and answered["protocol"] == "sip"


def test_busy_destination_is_rejected(client: httpx.Client) -> None:
    host = join(client, "meet.demo", "Hanna", pin="1234")
    with reading(client, "meet.demo", host.token) as events:
        uuid = dial(host, "busy.line@example.com")
        events.wait_for("participant_create", lambda p: p["uuid"] == uuid)
        events.wait_for("participant_delete", lambda p: p["uuid"] == uuid)
        updates = [e.json() for e in events.of("participant_update")]
        assert not [p for p in updates if p["uuid"] == uuid and p["service_type"] != "connecting"]


def test_noanswer_destination_times_out(client: httpx.Client) -> None:
    host = join(client, "meet.demo", "Hanna", pin="1234")
    with reading(client, "meet.demo", host.token) as events:
        uuid = dial(host, "noanswer@example.com", call_type="audio")
        created = events.wait_for("participant_create", lambda p: p["uuid"] == uuid)
        assert created["is_audio_only_call"] == "YES"
        events.wait_for("participant_delete", lambda p: p["uuid"] == uuid)


def test_dial_validates_its_body(client: httpx.Client) -> None:
    host = join(client, "meet.demo", "Hanna", pin="1234")
    for body in (
        {"role": "GUEST", "protocol": "sip"},
        {"role": "KING", "destination": "x", "protocol": "sip"},
        {"role": "GUEST", "destination": "x", "protocol": "pigeon"},
        {"role": "GUEST", "destination": "x" * 5000, "protocol": "sip"},
    ):
        response = host.post("dial", json=body)
        assert response.status_code == 400, body
        assert isinstance(response.json()["result"], str)


def test_transfer_of_an_api_participant_sends_refer_and_the_token_joins_the_target(
    client: httpx.Client,
) -> None:
    host = join(client, "meet.demo", "Hanna", pin="1234")
    guest = join(client, "meet.demo", "Gus", pin="none")
    board_host = join(client, "meet.board", "Bea", pin="1234")
    with (
        reading(client, "meet.demo", guest.token) as guest_events,
        reading(client, "meet.demo", host.token) as here,
        reading(client, "meet.board", board_host.token) as there,
    ):
        body = {"conference_alias": "meet.board", "role": "host", "pin": "1234"}
        assert host.act(f"participants/{guest.uuid}/transfer", json=body) is True
        refer = guest_events.wait_for("refer")
        assert refer["alias"] == "meet.board" and isinstance(refer["token"], str)
        here.wait_for("participant_delete", lambda p: p["uuid"] == guest.uuid)
        # no PIN: the one-time token carries the role
        response = request_token(client, "meet.board", "Gus", token=refer["token"])
        assert response.status_code == 200
        result = response.json()["result"]
        assert result["role"] == "HOST"
        created = there.wait_for(
            "participant_create", lambda p: p["uuid"] == result["participant_uuid"]
        )
        assert created["role"] == "chair"
        # the token is one-time
        again = request_token(client, "meet.board", "Gus", token=refer["token"])
        assert again.status_code == 403 and again.json()["result"] == "Invalid token"
    assert guest.get("conference_status").status_code == 403


def test_transfer_of_a_dialled_participant_moves_it(client: httpx.Client) -> None:
    host = join(client, "meet.demo", "Hanna", pin="1234")
    board_host = join(client, "meet.board", "Bea", pin="1234")
    uuid = dial(host, "carol@example.com")
    with reading(client, "meet.board", board_host.token) as there:
        body = {"conference_alias": "meet.board", "role": "guest", "pin": "5678"}
        assert host.act(f"participants/{uuid}/transfer", json=body) is True
        moved = there.wait_for("participant_create", lambda p: p["uuid"] == uuid)
    assert moved["role"] == "guest" and moved["local_alias"] == "meet.board"
    assert uuid not in [p["uuid"] for p in host.get("participants").json()["result"]]


def test_transfer_failures_are_visible(client: httpx.Client) -> None:
    host = join(client, "meet.demo", "Hanna", pin="1234")
    guest = join(client, "meet.demo", "Gus", pin="none")
    cases = [
        ({"conference_alias": "meet.nowhere", "role": "guest"}, "Neither conference"),
        ({"conference_alias": "meet.board", "role": "guest", "pin": "1111"}, "Invalid PIN"),
        ({"conference_alias": "meet.board", "role": "host"}, "Invalid PIN"),
        ({"conference_alias": "reception", "role": "guest"}, "Reception"),
    ]
    for body, reason in cases:
        response = host.post(f"participants/{guest.uuid}/transfer", json=body)
        assert response.status_code == 403, body
        assert reason in response.json()["result"]
    assert (
        host.post(f"participants/{guest.uuid}/transfer", json={"role": "guest"}).status_code == 400
    )
    assert host.participant(guest.uuid)["display_name"] == "Gus"


def test_wrong_one_time_token_is_refused(sim: SimServer, client: httpx.Client) -> None:
    response = client.post(
        API + "meet.demo/request_token", json={"display_name": "X", "token": "made-up"}
    )
    assert response.status_code == 403 and response.json()["result"] == "Invalid token"
