"""The console's stream reader (`Console.stream`: `Session.batches` into `StreamConsumer`),
without the screens: a real session against the sim, the store and the activity log."""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import Iterator
from typing import Any

import pytest

from pextui.conference import ConferenceStore
from pextui.protocol.client import NO_PIN, JoinParams, connect
from pextui.protocol.models import parse_event
from pextui.protocol.stream import StreamItem
from pextui.sim.server import SimServer
from pextui.tui.console import Console
from pextui.tui.stream import StreamConsumer
from tests.protocol.protocol_helpers import wait_until
from tests.tui.console_helpers import sim_config

PARTICIPANTS = 300  # a sync of several network reads


@pytest.fixture
def sim() -> Iterator[SimServer]:
    server = SimServer(sim_config(participants=PARTICIPANTS)).start()
    try:
        yield server
    finally:
        server.stop()


def quiet_console() -> Console:
    def runner(work: Any, name: str) -> Any:
        raise AssertionError("no host call in this test")

    return Console(clock=time.time, notify=lambda *a, **k: None, runner=runner)


async def test_sync_fills_the_store_and_only_later_joins_are_logged(sim: SimServer) -> None:
    params = JoinParams(node_url=sim.base_url, alias="meet.demo", display_name="Host", pin="1234")
    session = await connect(params)
    console = quiet_console()
    store = console.begin(session)
    task = asyncio.create_task(console.stream(session))
    in_room = {p["uuid"] for p in sim.conference_state("meet.demo")["participants"]}
    await wait_until(lambda: set(store.roster) == in_room, 30, "the synced roster")
    assert not [a for a in console.activity if a.text.endswith(" joined")]

    guest = await connect(
        JoinParams(node_url=sim.base_url, alias="meet.demo", display_name="Late Guest", pin=NO_PIN)
    )
    await wait_until(lambda: guest.participant_uuid in store.roster, 30, "the guest")
    joined = [a.text for a in console.activity if a.text.endswith(" joined")]
    assert joined == ["Late Guest joined"]

    await session.close()
    await asyncio.wait_for(task, 10)  # the stream ends with the session
    assert console.connection.state == "ended"
    await guest.close()


def participant_json(number: int) -> bytes:
    return json.dumps(
        {"uuid": f"00000000-0000-4000-8000-{number:012d}", "display_name": f"Guest {number}"}
    ).encode()


def test_a_batch_after_the_sync_stops_at_its_deadline_and_goes_on_from_there() -> None:
    console = quiet_console()
    console.store = ConferenceStore()
    consumer = StreamConsumer(console)
    raw = [("participant_sync_begin", b"{}")]
    raw += [("participant_create", participant_json(n)) for n in range(50)]
    raw.append(("participant_sync_end", b"{}"))
    sync: list[StreamItem] = [event for name, data in raw if (event := parse_event(name, data))]
    assert len(sync) == len(raw)
    # During the sync a deadline long past does not cut the batch.
    assert consumer.consume_all(sync, 0, until=0.0) == len(sync)
    assert len(console.store.roster) == 50
    joins = [parse_event("participant_create", participant_json(n)) for n in range(50, 60)]
    items: list[StreamItem] = [item for item in joins if item is not None]
    done = consumer.consume_all(items, 0, until=0.0)
    assert done == 1  # after the sync: one event, then the loop gets a turn
    assert len(console.store.roster) == 51
    assert consumer.consume_all(items, done) == len(items)  # the rest, from where it stopped
    assert len(console.store.roster) == 60
    joined = [a.text for a in console.activity if a.text.endswith(" joined")]
    assert joined == [f"Guest {n} joined" for n in range(50, 60)]
