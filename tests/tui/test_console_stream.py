"""The console's stream reader (`Console.stream`: `Session.batches` into `StreamConsumer`),
without the screens: a real session against the sim, the store and the activity log."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Iterator
from typing import Any

import pytest

from pextui.protocol.client import NO_PIN, JoinParams, connect
from pextui.sim.server import SimServer
from pextui.tui.console import Console
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
