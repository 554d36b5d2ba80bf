"""The simulator's transfer as a client tracks it: identity kept across the move, a gateway
that rejects the call after accepting the transfer, and the overlap on request."""

from __future__ import annotations

from typing import Any

import httpx

from pextui.sim.server import SimServer
from tests.sim.sim_helpers import Joined, join, reading, request_token, wait_until
from tests.sim.test_sim_dial_transfer import dial

IDENTITY = ("display_name", "uri", "protocol", "is_audio_only_call", "is_video_call", "has_media")


def roster(sim: SimServer, alias: str) -> list[dict[str, Any]]:
    conference = next(c for c in sim.state()["conferences"] if c["alias"] == alias)
    return list(conference["participants"])


def answered(host: Joined, uuid: str) -> dict[str, Any]:
    return dict(
        wait_until(
            lambda: (
                host.participant(uuid)["service_type"] == "conference" and host.participant(uuid)
            ),
            what="the dialled call answered",
        )
    )


def test_a_moved_participant_keeps_what_identifies_it(client: httpx.Client) -> None:
    host = join(client, "meet.demo", "Hanna", pin="1234")
    board = join(client, "meet.board", "Bea", pin="1234")
    uuid = dial(host, "carol@example.com", call_type="audio", remote_display_name="Carol")
    before = answered(host, uuid)
    with reading(client, "meet.board", board.token) as there:
        body = {"conference_alias": "meet.board", "role": "guest", "pin": "5678"}
        assert host.act(f"participants/{uuid}/transfer", json=body) is True
        moved = there.wait_for("participant_create", lambda p: p["display_name"] == "Carol")
    assert {k: moved[k] for k in IDENTITY} == {k: before[k] for k in IDENTITY}
    assert moved["is_audio_only_call"] == "YES" and moved["protocol"] == "sip"


def test_an_api_participant_rejoins_under_the_name_it_was_transferred_with(
    client: httpx.Client,
) -> None:
    host = join(client, "meet.demo", "Hanna", pin="1234")
    guest = join(client, "meet.demo", "Gus Grant", pin="none")
    with reading(client, "meet.demo", guest.token) as own:
        body = {"conference_alias": "meet.board", "role": "guest", "pin": "5678"}
        assert host.act(f"participants/{guest.uuid}/transfer", json=body) is True
        token = own.wait_for("refer")["token"]
    joined = request_token(client, "meet.board", "someone else", token=token).json()["result"]
    assert joined["display_name"] == "Gus Grant"


def test_a_rejecting_gateway_accepts_then_disconnects_for_good(
    sim: SimServer, client: httpx.Client
) -> None:
    host = join(client, "meet.demo", "Hanna", pin="1234")
    uuid = dial(host, "dave@example.com", remote_display_name="Dave")
    answered(host, uuid)
    guest = join(client, "meet.demo", "Gus", pin="none")
    with (
        reading(client, "meet.demo", host.token) as here,
        reading(client, "meet.demo", guest.token) as own,
    ):
        body = {"conference_alias": "gateway.reject", "role": "guest"}
        assert host.act(f"participants/{uuid}/transfer", json=body) is True
        assert host.act(f"participants/{guest.uuid}/transfer", json=body) is True
        here.wait_for("participant_update", lambda p: p["uuid"] == uuid and p["is_transferring"])
        gone = here.wait_for("participant_delete", lambda p: p["uuid"] == uuid)
        assert gone["reason"] == "Call rejected"
        assert own.wait_for("disconnect")["reason"] == "Call rejected"
        here.wait_for("participant_delete", lambda p: p["uuid"] == guest.uuid)
    everywhere = [p for c in sim.state()["conferences"] for p in c["participants"]]
    assert not [p for p in everywhere if p["uuid"] in (uuid, guest.uuid)]
    assert not [p for p in everywhere if p["display_name"] in ("Dave", "Gus")]
    assert guest.get("conference_status").status_code == 403  # its token went with it
    assert sim.state()["rejecting_gateways"] == ["gateway.reject"]


def test_overlap_on_request_shows_the_participant_in_both_for_a_while(
    sim: SimServer, client: httpx.Client
) -> None:
    control = client.post("/_sim/control", json={"transfer_overlap": 2.0}).json()["result"]
    assert control["transfer_overlap"] == 2.0 and sim.state()["transfer_overlap"] == 2.0
    host = join(client, "meet.demo", "Hanna", pin="1234")
    board = join(client, "meet.board", "Bea", pin="1234")
    uuid = dial(host, "erin@example.com", remote_display_name="Erin")
    answered(host, uuid)
    with (
        reading(client, "meet.demo", host.token) as here,
        reading(client, "meet.board", board.token) as there,
    ):
        body = {"conference_alias": "meet.board", "role": "guest", "pin": "5678"}
        assert host.act(f"participants/{uuid}/transfer", json=body) is True
        there.wait_for("participant_create", lambda p: p["uuid"] == uuid)
        # the target shows Erin and the source still does
        assert uuid in [p["uuid"] for p in roster(sim, "meet.board")]
        assert uuid in [p["uuid"] for p in roster(sim, "meet.demo")]
        assert not [e for e in here.of("participant_delete") if e.json()["uuid"] == uuid]
        here.wait_for("participant_delete", lambda p: p["uuid"] == uuid)
    assert uuid not in [p["uuid"] for p in roster(sim, "meet.demo")]
    assert uuid in [p["uuid"] for p in roster(sim, "meet.board")]


def test_overlap_control_is_validated(client: httpx.Client) -> None:
    for value in (-1, "long", 1e9, True):
        response = client.post("/_sim/control", json={"transfer_overlap": value})
        assert response.status_code == 400, value
        assert "transfer_overlap" in response.json()["result"]
