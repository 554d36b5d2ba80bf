"""The event stream: reconnect after drops, roster convergence, malformed events, backoff."""

from __future__ import annotations

import asyncio
import random
import time
from collections.abc import Callable
from typing import Any

import httpx
import pytest

from pextui.protocol.client import NO_PIN, ApiClient, connect
from pextui.protocol.errors import ActionError
from pextui.protocol.session import Session
from pextui.protocol.stream import (
    Backoff,
    Connected,
    Directive,
    EventStream,
    Reconnecting,
    Resynced,
    StreamItem,
)
from pextui.sim.server import SimServer
from tests.protocol.protocol_helpers import Collector, control, host_params, wait_until

FIELDS = ("display_name", "role", "is_muted", "buzz_time", "spotlight", "service_type")


def server_roster(sim: SimServer) -> dict[str, tuple[Any, ...]]:
    return {
        p["uuid"]: tuple(p[f] for f in FIELDS)
        for p in sim.conference_state("meet.demo")["participants"]
    }


def client_roster(collector: Collector) -> dict[str, tuple[Any, ...]]:
    return {
        uuid: tuple(getattr(record.participant, f) for f in FIELDS)
        for uuid, record in collector.store.roster.items()
    }


async def join_guests(sim: SimServer, count: int) -> list[Session]:
    return [
        await connect(host_params(sim, pin=NO_PIN, display_name=f"Guest {n}")) for n in range(count)
    ]


async def churn_by_hand(host: Session, guests: list[Session], rounds: int) -> None:
    """Real roster changes through the API: mute, hands, spotlight, overlay text."""
    for n in range(rounds):
        guest = guests[n % len(guests)].participant_uuid
        if n % 2:
            await host.unmute(guest)
            await host.clear_buzz(guest)
            await host.spotlight_off(guest)
        else:
            await host.mute(guest)
            await host.buzz(guest)
            await host.spotlight_on(guest)
        await host.set_overlay_text(guest, f"round {n}")
        await asyncio.sleep(0.01)


async def churn_until(
    host: Session, guests: list[Session], done: Callable[[], bool], what: str
) -> None:
    """Churn by hand until `done()`; fail after 15 s instead of looping forever."""
    deadline = time.monotonic() + 15.0
    while not done():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        await churn_by_hand(host, guests, 6)


async def test_roster_converges_after_repeated_drops(make_sim: Callable[..., SimServer]) -> None:
    sim = make_sim(participants=30, churn=40.0, faults={"drop-stream-every": 0.4})
    guests = await join_guests(sim, 5)
    async with await connect(host_params(sim)) as session:
        collector = Collector(session)
        await churn_until(session, guests, lambda: session.stream_connections >= 4, "4 drops")
        await guests.pop().close()  # someone leaves ...
        guests.append(
            await connect(host_params(sim, pin=NO_PIN, display_name="Late"))
        )  # ... one joins
        await churn_by_hand(session, guests, 7)
        await control(sim, {"churn": 0})
        # Drops go on; after the next resync the roster must equal the server's exactly.
        resyncs = len(collector.of(Resynced))
        await wait_until(lambda: len(collector.of(Resynced)) >= resyncs + 1, 3.0, "a resync")
        await wait_until(
            lambda: client_roster(collector) == server_roster(sim), 3.0, "the roster to converge"
        )
        assert len(collector.store.roster) == sim.conference_state("meet.demo")["participant_count"]
        assert len(collector.store.roster) >= 6  # five guests and us
        reconnects = collector.of(Reconnecting)
        assert reconnects, "the client saw no reconnect"
        assert all(0 < r.delay_s <= 30 for r in reconnects)
        assert len(collector.of(Connected)) == session.stream_connections
        await collector.stop()
    for guest in guests:
        await guest.close()


async def test_malformed_events_are_skipped(make_sim: Callable[..., SimServer]) -> None:
    sim = make_sim(participants=20, churn=60.0, faults={"malformed-rate": 0.3})
    guests = await join_guests(sim, 3)
    async with await connect(host_params(sim)) as session:
        collector = Collector(session)
        await churn_until(
            session, guests, lambda: session.malformed_events >= 5, "5 malformed events"
        )
        assert not collector.task.done(), "the stream died on bad data"
        # Heal: no more faults or churn, then one reconnect gives a clean sync.
        await control(sim, {"faults": {}, "churn": 0})
        session._stream.reconnect_now()
        await wait_until(
            lambda: client_roster(collector) == server_roster(sim), 4.0, "the roster to heal"
        )
        fired = sim.state()["faults_fired"]["malformed"]
        assert sum(fired.values()) >= session.malformed_events
        await collector.stop()
    for guest in guests:
        await guest.close()


async def test_server_errors_on_actions_and_recovery(make_sim: Callable[..., SimServer]) -> None:
    sim = make_sim()
    async with await connect(host_params(sim)) as session:
        await control(sim, {"faults": {"error-rate": 1.0}})
        with pytest.raises(ActionError) as caught:
            await session.lock()
        assert caught.value.status in (502, 503)
        assert caught.value.reason in ("502 Bad Gateway", "503 Service Unavailable") or (
            caught.value.reason
        )
        await control(sim, {"faults": {}})
        await session.lock()
        assert sim.conference_state("meet.demo")["status"]["locked"] is True


async def test_stream_reconnects_through_errors(make_sim: Callable[..., SimServer]) -> None:
    sim = make_sim(faults={"drop-stream-every": 0.3})
    async with await connect(host_params(sim)) as session:
        collector = Collector(session)
        await wait_until(lambda: session.stream_connections >= 1, 3.0, "the stream")
        await control(sim, {"faults": {"error-rate": 1.0, "drop-stream-every": 0.3}})
        await wait_until(lambda: len(collector.of(Reconnecting)) >= 3, 5.0, "failed attempts")
        delays = [r.delay_s for r in collector.of(Reconnecting)[-3:]]
        assert delays[-1] > delays[0]  # backing off
        await control(sim, {"faults": {}})
        connected = session.stream_connections
        await wait_until(lambda: session.stream_connections > connected, 5.0, "a reconnect")
        await collector.stop()


async def test_reconnect_now_cuts_a_long_backoff_short(sim: SimServer) -> None:
    """After a long outage the backoff waits 30 s; new credentials must not wait for it."""
    api = ApiClient(sim.base_url)
    token = {"value": "not-a-token-yet"}
    rejected = asyncio.Event()

    async def on_rejected() -> None:
        rejected.set()  # the caller renews the token elsewhere, as the session does

    stream = EventStream(
        api, lambda: ("meet.demo", token["value"]), on_rejected, backoff=Backoff(30.0, 30.0)
    )
    connected = asyncio.Event()

    async def handle(item: StreamItem) -> Directive:
        if isinstance(item, Connected):
            connected.set()
            return Directive.STOP
        return Directive.CONTINUE

    runner = asyncio.create_task(stream.run(handle))
    try:
        await asyncio.wait_for(rejected.wait(), 5.0)  # refused, now waiting 30 s
        joined = await api.http.post(
            sim.base_url + "/api/client/v2/conferences/meet.demo/request_token",
            json={"display_name": "Rejoiner"},
            headers={"pin": "1234"},
        )
        token["value"] = joined.json()["result"]["token"]  # as a rejoin would bring
        started = time.monotonic()
        stream.reconnect_now()
        await asyncio.wait_for(connected.wait(), 5.0)
        assert time.monotonic() - started < 5.0
        await asyncio.wait_for(runner, 5.0)
    finally:
        runner.cancel()
        await asyncio.gather(runner, return_exceptions=True)
        await api.aclose()


def test_backoff_doubles_with_jitter_up_to_the_cap() -> None:
    backoff = Backoff(rng=random.Random(7))
    delays = [backoff.next_delay() for _ in range(14)]
    for attempt, delay in enumerate(delays[:8]):
        base = 0.1 * 2**attempt
        assert base * 0.8 <= delay <= base * 1.2
    assert all(delay <= 30.0 for delay in delays)
    assert delays[-1] >= 24.0
    backoff.reset()
    assert backoff.next_delay() <= 0.12


async def test_parsing_skips_unknown_empty_and_malformed_events() -> None:
    """Exact bytes the simulator only sends at random: a fixed SSE body from a MockTransport."""
    body = (
        ": keepalive\n\n"
        "event: participant_sync_begin\ndata: {}\n\n"
        'event: participant_create\ndata: {"uuid": "p1", "display_name": "Ann"}\n\n'
        'event: participant_create\ndata: {"uuid": \n\n'
        'event: participant_update\ndata: {"uuid": 42}\n\n'
        'event: brand_new_event\ndata: {"x": 1}\n\n'
        'data: {"unnamed": true}\n\n'
        "event: presentation_stop\ndata:\n\n"
        "event: participant_sync_end\ndata: {}\n\n"
        'event: stage\ndata: [{"participant_uuid": "p1", "stage_index": 0, "vad": 10}]\n\n'
    )

    def handler(request: httpx.Request) -> httpx.Response:
        assert request.url.params["token"] == "t0k3n-value"
        return httpx.Response(200, text=body, headers={"content-type": "text/event-stream"})

    api = ApiClient("http://127.0.0.1:9", transport=httpx.MockTransport(handler))
    stream = EventStream(api, lambda: ("meet.demo", "t0k3n-value"), _never_rejected)
    seen: list[str] = []

    async def handle(item: StreamItem) -> Directive:
        seen.append(item.name)
        return Directive.STOP if item.name == "stage" else Directive.CONTINUE

    await asyncio.wait_for(stream.run(handle), 5.0)
    await api.aclose()
    assert seen == [
        "stream.connected",
        "participant_sync_begin",
        "participant_create",
        "participant_sync_end",
        "stage",
    ]
    assert stream.malformed == 2


async def _never_rejected() -> None:
    raise AssertionError("the token was not rejected")
