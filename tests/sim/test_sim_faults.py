"""Faults (--fault / control) and the /_sim endpoints."""

from __future__ import annotations

import json
import time

import httpx
import pytest

from pextui.sim.config import parse_fault
from pextui.sim.faults import MALFORMED_KINDS
from pextui.sim.server import SimServer
from tests.sim.sim_helpers import (
    API,
    Event,
    EventReader,
    fast_config,
    join,
    reading,
    request_token,
    wait_until,
)


def test_drop_stream_every_closes_streams() -> None:
    config = fast_config(faults={"drop-stream-every": 0.3})
    with SimServer(config) as sim, httpx.Client(base_url=sim.base_url) as client:
        host = join(client, "meet.demo", "Hanna", pin="1234")
        reader = EventReader(client, "meet.demo", host.token)
        reader.wait_synced()
        wait_until(lambda: reader.ended, 5, "the stream to be dropped")
        # the participant is still there: the client just reconnects
        with reading(client, "meet.demo", host.token) as again:
            assert again.names()[0] == "participant_sync_begin"


def test_error_rate_answers_502_or_503_with_a_reason() -> None:
    config = fast_config(faults={"error-rate": 1.0})
    with SimServer(config) as sim, httpx.Client(base_url=sim.base_url) as client:
        seen = set()
        for _ in range(12):
            response = request_token(client, "meet.demo", pin="1234")
            assert response.status_code in (502, 503)
            body = response.json()
            assert body["status"] == "failed" and str(response.status_code) in body["result"]
            seen.add(response.status_code)
        assert seen == {502, 503}
        # the control endpoints are never affected
        assert client.get("/_sim/state").status_code == 200
        client.post("/_sim/control", json={"faults": {}})
        assert request_token(client, "meet.demo", pin="1234").status_code == 200


def test_partial_error_rate_fails_some_requests() -> None:
    config = fast_config(faults={"error-rate": 0.5}, seed=4)
    with SimServer(config) as sim, httpx.Client(base_url=sim.base_url) as client:
        codes = [client.get("/api/client/v2/status").status_code for _ in range(40)]
        assert 200 in codes and ({502, 503} & set(codes))


def test_latency_delays_answers() -> None:
    with (
        SimServer(fast_config(faults={"latency-ms": 150})) as sim,
        httpx.Client(base_url=sim.base_url) as client,
    ):
        started = time.monotonic()
        client.get("/api/client/v2/status")
        assert time.monotonic() - started >= 0.15


def test_refuse_refresh_answers_403() -> None:
    with (
        SimServer(fast_config(faults={"refuse-refresh": 1})) as sim,
        httpx.Client(base_url=sim.base_url) as client,
    ):
        host = join(client, "meet.demo", "Hanna", pin="1234")
        response = host.post("refresh_token")
        assert response.status_code == 403 and response.json()["result"] == "Invalid token"
        assert host.get("conference_status").status_code == 200  # the token itself lives on


def test_malformed_rate_produces_every_kind_of_bad_event() -> None:
    config = fast_config(participants=30, churn=600.0, faults={"malformed-rate": 0.3}, seed=2)
    with SimServer(config) as sim, httpx.Client(base_url=sim.base_url) as client:
        host = join(client, "meet.demo", "Hanna", pin="1234")
        with reading(client, "meet.demo", host.token) as events:

            def fired() -> dict[str, int]:
                malformed: dict[str, int] = sim.state()["faults_fired"]["malformed"]
                return malformed

            wait_until(lambda: all(fired().values()), 15, "every malformed kind")
            wait_until(lambda: kinds_seen(events.events) == set(MALFORMED_KINDS), 10, "kinds")


def kinds_seen(events: list[Event]) -> set[str]:
    kinds = set()
    for event in events:
        if event.name == "sim_unknown_event":
            kinds.add("unknown-event")
        if len(event.data) > 1_000_000:
            kinds.add("huge-event")
        try:
            payload = json.loads(event.data)
        except ValueError:
            kinds.add("bad-json")
            continue
        if event.name == "participant_update" and isinstance(payload, dict):
            if "display_name" not in payload:
                kinds.add("missing-fields")
            elif not isinstance(payload["display_name"], str):
                kinds.add("wrong-types")
    return kinds


def test_control_sets_and_clears_faults_and_state_tells_the_truth(
    sim: SimServer, client: httpx.Client
) -> None:
    response = client.post("/_sim/control", json={"faults": {"latency-ms": 5, "error-rate": 0.1}})
    assert response.status_code == 200
    assert response.json()["result"]["faults"] == {"latency-ms": 5.0, "error-rate": 0.1}
    assert sim.state()["faults"] == {"latency-ms": 5.0, "error-rate": 0.1}
    client.post("/_sim/control", json={"faults": {}})
    state = client.get("/_sim/state").json()
    assert state["faults"] == {}
    aliases = [c["alias"] for c in state["conferences"]]
    assert aliases == ["meet.demo", "meet.board", "townhall"]
    assert [r["alias"] for r in state["receptions"]] == ["reception"]
    host = join(client, "meet.demo", "Hanna", pin="1234")
    demo = client.get("/_sim/state").json()["conferences"][0]
    assert demo["status"]["locked"] is False
    assert [p["uuid"] for p in demo["participants"]] == [host.uuid]
    over_http = client.get("/_sim/state").json()
    in_process = sim.state()
    assert in_process["uptime"] >= over_http.pop("uptime")
    in_process.pop("uptime")
    assert in_process == over_http


@pytest.mark.parametrize(
    "body",
    [
        {"churn": -1},
        {"churn": "fast"},
        {"churn": 1e12},
        {"faults": {"error-rate": 5}},
        {"faults": {"bogus": 1}},
        {"faults": {"latency-ms": "slow"}},
        {"faults": [1]},
        {"speed": 2},
    ],
)
def test_control_refuses_absurd_values(client: httpx.Client, body: object) -> None:
    response = client.post("/_sim/control", json=body)
    assert response.status_code == 400
    assert isinstance(response.json()["result"], str)


def test_fault_syntax() -> None:
    assert parse_fault("error-rate=0.05") == ("error-rate", 0.05)
    assert parse_fault("refuse-refresh=1") == ("refuse-refresh", 1.0)
    for bad in ("error-rate", "error-rate=2", "nope=1", "latency-ms=-3", "drop-stream-every=x"):
        with pytest.raises(ValueError):
            parse_fault(bad)


def test_faults_only_touch_the_client_api(client: httpx.Client) -> None:
    client.post("/_sim/control", json={"faults": {"error-rate": 1}})
    assert client.get("/_sim/state").status_code == 200
    assert client.get(API + "meet.demo/conference_status").status_code in (502, 503)


def test_maintenance_refuses_status_and_joins_but_not_joined_clients() -> None:
    with SimServer(fast_config()) as sim, httpx.Client(base_url=sim.base_url) as http:
        joined = http.post(
            "/api/client/v2/conferences/meet.demo/request_token",
            json={"display_name": "Early"},
            headers={"pin": "1234"},
        )
        token = joined.json()["result"]["token"]
        http.post("/_sim/control", json={"faults": {"maintenance": 1}})
        status = http.get("/api/client/v2/status")
        assert status.status_code == 503
        assert status.json() == {"status": "failed", "result": "System in maintenance mode"}
        refused = http.post(
            "/api/client/v2/conferences/meet.demo/request_token",
            json={"display_name": "Late"},
            headers={"pin": "1234"},
        )
        assert refused.status_code == 503
        assert refused.json()["result"] == "System in maintenance mode"
        still = http.get(
            "/api/client/v2/conferences/meet.demo/conference_status", headers={"token": token}
        )
        assert still.status_code == 200
        http.post("/_sim/control", json={"faults": {}})
        assert http.get("/api/client/v2/status").status_code == 200
