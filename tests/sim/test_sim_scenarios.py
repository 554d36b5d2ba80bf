"""Scenarios (demo, quiet), --participants and churn."""

from __future__ import annotations

import httpx
import pytest

from pextui.sim.config import SimConfig
from pextui.sim.node import Node
from pextui.sim.server import SimServer
from tests.sim.sim_helpers import fast_config, join, reading, wait_until


def test_demo_is_a_lively_meeting() -> None:
    with (
        SimServer(fast_config(scenario="demo", seed=3)) as sim,
        httpx.Client(base_url=sim.base_url) as client,
    ):
        host = join(client, "meet.demo", "Console", pin="1234")
        with reading(client, "meet.demo", host.token) as events:

            def roster() -> list[dict[str, object]]:
                return [p for p in sim.state()["conferences"][0]["participants"]]

            wait_until(lambda: len(roster()) >= 13, 10, "the cast to join")
            protocols = {p["protocol"] for p in roster()}
            assert {"webrtc", "sip", "h323", "api", "rtmp"} <= protocols
            stage = events.wait_for("stage", lambda s: any(e["vad"] == 100 for e in s), 10)
            assert all(set(e) == {"participant_uuid", "stage_index", "vad"} for e in stage)
            events.wait_for("message_received", timeout=15)
            events.wait_for("presentation_start", lambda p: bool(p["presenter_uuid"]), 20)
            events.wait_for("presentation_stop", timeout=20)
            events.wait_for("participant_create", lambda p: p["service_type"] == "waiting_room", 20)
            events.wait_for("conference_update", lambda s: s["locked"] is True, 20)


def test_demo_sends_the_host_console_direct_messages() -> None:
    """Some of the demo's chat goes to the first host console alone, marked direct."""
    with (
        SimServer(fast_config(scenario="demo", seed=3)) as sim,
        httpx.Client(base_url=sim.base_url) as client,
    ):
        host = join(client, "meet.demo", "Console", pin="1234")
        guest = join(client, "meet.demo", "Visitor", pin="none")
        with (
            reading(client, "meet.demo", host.token) as events,
            reading(client, "meet.demo", guest.token) as bystander,
        ):
            direct = events.wait_for("message_received", lambda m: m["direct"], 30)
            cast = {p["display_name"]: p for p in sim.state()["conferences"][0]["participants"]}
            assert cast[direct["origin"]]["protocol"] in ("webrtc", "api")
            assert cast[direct["origin"]]["supports_direct_chat"] is True
            sip = [p for p in cast.values() if p["protocol"] == "sip"]
            assert sip and not any(p["supports_direct_chat"] for p in sip)
            assert direct["uuid"] == cast[direct["origin"]]["uuid"]
            bystander.wait_for("message_received", timeout=30)  # it gets the room's chat
            assert not [m for m in bystander.of("message_received") if m.json()["direct"]]


def first_uuids(seed: int) -> list[str]:
    with SimServer(fast_config(scenario="demo", seed=seed)) as sim:
        wait_until(lambda: sim.state()["conferences"][0]["participant_count"] >= 3, 10, "joins")
        participants = sim.state()["conferences"][0]["participants"]
        return [p["uuid"] + p["display_name"] for p in participants[:3]]


def test_demo_is_deterministic_per_seed() -> None:
    assert first_uuids(11) == first_uuids(11)
    assert first_uuids(11) != first_uuids(12)


def test_quiet_has_only_who_joins(client: httpx.Client, sim: SimServer) -> None:
    host = join(client, "meet.demo", "Hanna", pin="1234")
    roster = host.get("participants").json()["result"]
    assert [p["uuid"] for p in roster] == [host.uuid]


def test_participants_prepopulates_the_first_conference() -> None:
    with (
        SimServer(fast_config(participants=300)) as sim,
        httpx.Client(base_url=sim.base_url) as client,
    ):
        host = join(client, "meet.demo", "Hanna", pin="1234")
        with reading(client, "meet.demo", host.token) as events:
            assert len(events.of("participant_create")) == 301
        assert len(host.get("participants").json()["result"]) == 301
        board = join(client, "meet.board", "Bea", pin="1234")
        assert len(board.get("participants").json()["result"]) == 1


def test_churn_streams_joins_updates_and_leaves() -> None:
    with (
        SimServer(fast_config(participants=40, churn=400.0)) as sim,
        httpx.Client(base_url=sim.base_url) as client,
    ):
        host = join(client, "meet.demo", "Hanna", pin="1234")
        with reading(client, "meet.demo", host.token) as events:
            wait_until(
                lambda: (
                    events.of("participant_update")
                    and events.of("participant_delete")
                    and len(events.of("participant_create")) > 41
                ),
                10,
                "churn events",
            )
        # the host itself is never churned away
        assert host.get("conference_status").status_code == 200


def test_churn_can_be_changed_by_control(sim: SimServer, client: httpx.Client) -> None:
    host = join(client, "meet.demo", "Hanna", pin="1234")
    with reading(client, "meet.demo", host.token) as events:
        assert client.post("/_sim/control", json={"churn": 300}).status_code == 200
        wait_until(lambda: len(events.of("participant_create")) > 5, 10, "churn starts")
        assert client.post("/_sim/control", json={"churn": 0}).json()["result"]["churn"] == 0
    assert sim.state()["churn"] == 0


def test_bad_scenario_and_population_are_refused() -> None:
    with pytest.raises(ValueError, match="scenario"):
        Node(SimConfig(scenario="party"))
    with pytest.raises(ValueError, match="participants"):
        Node(SimConfig(participants=-1))
