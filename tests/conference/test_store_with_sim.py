"""The store fed by the simulator's real event stream over loopback HTTP.

A small SSE reader (reconnecting, like the client) parses every event with
parse_event and applies it; the store must converge to the simulator's own
roster and status, through churn and stream drops, and confirm host actions
from the server's updates.
"""

from __future__ import annotations

import contextlib
import threading
import time
from collections.abc import Callable, Iterator
from typing import Any

import httpx
import pytest

from pextui.conference import ConferenceStore
from pextui.protocol.models import MalformedEventError, parse_event
from pextui.sim.config import SimConfig
from pextui.sim.server import SimServer

API = "/api/client/v2/conferences/meet.demo/"


def wait_until(predicate: Callable[[], Any], timeout: float = 10.0, what: str = "condition") -> Any:
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.02)


class StreamFeeder:
    """Reads the event stream in a thread, reconnecting when it drops, into a store."""

    def __init__(self, client: httpx.Client, token: str, store: ConferenceStore) -> None:
        self.client, self.token, self.store = client, token, store
        self.lock = threading.Lock()
        self.connections = 0
        self.malformed = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while not self._stop.is_set():
            with contextlib.suppress(httpx.HTTPError):
                self._read_once()
            self._stop.wait(0.05)

    def _read_once(self) -> None:
        params = {"token": self.token}
        timeout = httpx.Timeout(5.0, read=2.0)
        with self.client.stream("GET", API + "events", params=params, timeout=timeout) as reply:
            if reply.status_code != 200:
                return
            self.connections += 1
            name, data = "message", []
            for line in reply.iter_lines():
                if self._stop.is_set():
                    return
                if line.startswith("event:"):
                    name = line[6:].strip()
                elif line.startswith("data:"):
                    data.append(line[5:].lstrip(" "))
                elif line == "" and data:
                    self._apply(name, "\n".join(data))
                    name, data = "message", []

    def _apply(self, name: str, data: str) -> None:
        try:
            event = parse_event(name, data)
        except MalformedEventError:
            self.malformed += 1
            return
        if event is not None:
            with self.lock:
                self.store.apply(event)

    def close(self) -> None:
        self._stop.set()
        self._thread.join(timeout=5)


def sim_conference(sim: SimServer) -> dict[str, Any]:
    state = sim.state()
    return next(c for c in state["conferences"] if c["alias"] == "meet.demo")


def converged(sim: SimServer, feeder: StreamFeeder) -> bool:
    truth = {p["uuid"]: p for p in sim_conference(sim)["participants"]}
    with feeder.lock:
        store = feeder.store
        if store.syncing or set(store.roster) != set(truth):
            return False
        for uuid, record in store.roster.items():
            mine = record.participant
            theirs = truth[uuid]
            if (mine.display_name, mine.is_muted, mine.buzz_time, mine.service_type) != (
                theirs.get("display_name", ""),
                theirs.get("is_muted", "NO"),
                theirs.get("buzz_time", 0),
                theirs.get("service_type", "conference"),
            ):
                return False
        return list(store.index) == sorted(
            store.roster, key=lambda u: store.index.key(store.roster[u])
        )


@pytest.fixture
def host() -> Iterator[tuple[SimServer, httpx.Client, str, str]]:
    config = SimConfig(participants=25, seed=7)
    with SimServer(config) as sim, httpx.Client(base_url=sim.base_url) as client:
        reply = client.post(
            API + "request_token", json={"display_name": "Console"}, headers={"pin": "1234"}
        )
        assert reply.status_code == 200, reply.text
        result = reply.json()["result"]
        yield sim, client, result["token"], result["participant_uuid"]


def control(client: httpx.Client, body: dict[str, Any]) -> None:
    assert client.post("/_sim/control", json=body).status_code == 200


def test_store_converges_through_churn_and_stream_drops(
    host: tuple[SimServer, httpx.Client, str, str],
) -> None:
    sim, client, token, me = host
    store = ConferenceStore()
    store.self_uuid = me
    feeder = StreamFeeder(client, token, store)
    try:
        wait_until(lambda: converged(sim, feeder), what="first sync")
        assert store.me is not None and store.me.participant.display_name == "Console"

        control(client, {"churn": 40.0, "faults": {"drop-stream-every": 0.4}})
        wait_until(lambda: feeder.connections >= 3, what="several reconnections")
        control(client, {"churn": 0.0, "faults": {}})
        wait_until(lambda: converged(sim, feeder), what="convergence after churn")

        status = sim_conference(sim)["status"]
        with feeder.lock:
            assert store.status.locked == status.get("locked", False)
            assert store.status.guests_muted == status.get("guests_muted", False)
    finally:
        feeder.close()


def test_host_actions_confirmed_by_the_stream(
    host: tuple[SimServer, httpx.Client, str, str],
) -> None:
    sim, client, token, me = host
    store = ConferenceStore()
    store.self_uuid = me
    feeder = StreamFeeder(client, token, store)
    headers = {"token": token}
    try:
        wait_until(lambda: converged(sim, feeder), what="first sync")
        with feeder.lock:
            target = next(
                uuid
                for uuid, record in store.roster.items()
                if uuid != me and record.participant.is_muted == "NO"
            )
            mute = store.actions.request("mute", target, "Mute one guest")
            lock = store.actions.request("lock", None, "Lock the meeting")
        reply = client.post(API + f"participants/{target}/mute", headers=headers)
        assert reply.status_code == 200, reply.text
        reply = client.post(API + "lock", headers=headers)
        assert reply.status_code == 200, reply.text

        def settled() -> bool:
            with feeder.lock:
                actions = [store.actions.get(mute), store.actions.get(lock)]
            return all(a is not None and a.state == "confirmed" for a in actions)

        wait_until(settled, what="mute and lock confirmed")

        # A transfer the server refuses: the caller fails it with the server's reason.
        with feeder.lock:
            refused = store.transfers.request(target, "no.such.room", "guest")
        reply = client.post(
            API + f"participants/{target}/transfer",
            headers=headers,
            json={"conference_alias": "no.such.room", "role": "guest"},
        )
        assert reply.status_code != 200
        reason = str(reply.json()["result"])
        with feeder.lock:
            store.transfers.fail(refused, reason)
        outcome = store.transfers.get(refused)
        assert outcome is not None and (outcome.state, outcome.reason) == ("failed", reason)

        # An accepted one: "left" once the participant leaves this conference.
        with feeder.lock:
            moved = store.transfers.request(target, "meet.board", "guest")
        reply = client.post(
            API + f"participants/{target}/transfer",
            headers=headers,
            json={"conference_alias": "meet.board", "role": "guest", "pin": "5678"},
        )
        assert reply.status_code == 200, reply.text

        def transferred() -> bool:
            with feeder.lock:
                transfer = store.transfers.get(moved)
                return transfer is not None and transfer.state == "left"

        wait_until(transferred, what="transfer outcome")
        assert target not in store.roster
    finally:
        feeder.close()
