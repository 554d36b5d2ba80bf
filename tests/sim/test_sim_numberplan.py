"""The number plan: numbers and SIP addresses reach simulated conferences; callers come and go."""

from __future__ import annotations

import httpx
import pytest

from pextui.sim.numberplan import NumberPlan, NumberPlanError, plan_for
from pextui.sim.server import SimServer
from tests.sim.sim_helpers import fast_config


def test_default_numbers_follow_the_conference_order(sim: SimServer) -> None:
    plan = plan_for(sim.node)
    assert plan.numbers == {"8001": "meet.demo", "8002": "meet.board", "8003": "townhall"}
    assert plan_for(sim.node) is plan
    assert plan.resolve("8002") == "meet.board"
    assert plan.resolve("sip:8001@pexip.example.com") == "meet.demo"
    assert plan.resolve("sip:meet.board@pexip.example.com") == "meet.board"
    assert plan.resolve("townhall") == "townhall"
    assert plan.resolve("9999") is None and plan.resolve("reception") is None
    assert plan.number_of("meet.board") == "8002"


def test_configured_numbers_replace_the_defaults() -> None:
    with SimServer(fast_config(numbers={"5000": "meet.board"})) as server:
        plan = plan_for(server.node)
        assert plan.numbers == {"5000": "meet.board"}
        assert plan.resolve("8001") is None
    with pytest.raises(ValueError, match="unknown conferences: nowhere"):
        NumberPlan(server.node, {"1": "nowhere"})


def test_a_connected_caller_appears_as_a_sip_participant_and_leaves(
    sim: SimServer, client: httpx.Client
) -> None:
    plan = plan_for(sim.node)
    connected = sim.run_on_loop(lambda: plan.connect("PJSIP/trunk-1", "8001", "+15550100", "Eve"))
    state = client.get("/_sim/state").json()  # what the node serves over HTTP
    demo = next(c for c in state["conferences"] if c["alias"] == "meet.demo")
    caller = next(p for p in demo["participants"] if p["uuid"] == connected.uuid)
    assert caller["display_name"] == "Eve"
    assert caller["protocol"] == "sip" and caller["role"] == "guest"
    assert caller["uri"].startswith("sip:+15550100@")
    assert sim.run_on_loop(lambda: plan.hold("PJSIP/trunk-1", True))
    assert sim.participant_state("meet.demo", connected.uuid)["is_client_muted"] is True
    assert sim.run_on_loop(lambda: plan.disconnect("PJSIP/trunk-1"))
    assert sim.participant_state("meet.demo", connected.uuid) is None
    assert not sim.run_on_loop(lambda: plan.disconnect("PJSIP/trunk-1"))


def test_caller_id_is_kept_literally_and_the_uri_stays_clean(sim: SimServer) -> None:
    plan = plan_for(sim.node)
    hostile = "[red]x\x1b]0;pwn\x07 <sip:a@b>"
    connected = sim.run_on_loop(lambda: plan.connect("leg", "meet.demo", hostile))
    caller = sim.participant_state("meet.demo", connected.uuid)
    assert caller is not None and caller["display_name"] == hostile  # the console sanitises
    assert caller["uri"] == "sip:redx0pwnsipab@pbx.sim.invalid"


def test_reconnecting_a_call_moves_it(sim: SimServer) -> None:
    plan = plan_for(sim.node)
    first = sim.run_on_loop(lambda: plan.connect("leg", "8001", "+1"))
    second = sim.run_on_loop(lambda: plan.connect("leg", "8002", "+1"))
    assert sim.participant_state("meet.demo", first.uuid) is None
    assert sim.participant_state("meet.board", second.uuid) is not None
    assert [c.alias for c in sim.run_on_loop(plan.connected)] == ["meet.board"]


def test_unknown_number_is_refused_and_changes_nothing(sim: SimServer) -> None:
    plan = plan_for(sim.node)
    before = sim.state()
    with pytest.raises(NumberPlanError, match="no conference answers '4711'"):
        sim.run_on_loop(lambda: plan.connect("leg", "4711", "+1"))
    after = sim.state()
    assert [c["participants"] for c in after["conferences"]] == [
        c["participants"] for c in before["conferences"]
    ]


def test_a_locked_conference_puts_the_caller_in_its_waiting_room(sim: SimServer) -> None:
    plan = plan_for(sim.node)
    demo = sim.node.conferences["meet.demo"]
    sim.run_on_loop(lambda: demo.set_status(locked=True))
    connected = sim.run_on_loop(lambda: plan.connect("leg", "8001", "+1"))
    assert sim.participant_state("meet.demo", connected.uuid)["service_type"] == "waiting_room"


def test_a_caller_removed_by_the_host_is_forgotten(sim: SimServer) -> None:
    plan = plan_for(sim.node)
    connected = sim.run_on_loop(lambda: plan.connect("leg", "8001", "+1"))
    demo = sim.node.conferences["meet.demo"]
    sim.run_on_loop(lambda: demo.remove(connected.uuid, "Disconnected by another participant"))
    assert sim.run_on_loop(lambda: plan.participant("leg")) is None
    assert not sim.run_on_loop(lambda: plan.hold("leg", True))
