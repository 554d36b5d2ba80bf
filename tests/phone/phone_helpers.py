"""Helpers for the phone desk tests: quick PBX configs, clients, bounded waiting."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from typing import Any

from pextui.phone.yeastar.client import YeastarClient
from pextui.phone.yeastar.credentials import Credentials
from pextui.sim.pbx.config import Caller, PbxConfig, PbxTimings
from pextui.sim.pbx.server import PbxServer

CLIENT_ID = "test-client-id"
SECRET = "test-secret-Zq8w1x"


def fast_pbx_config(**fields: Any) -> PbxConfig:
    fields.setdefault("timings", PbxTimings(answer=0.05, idle_close=5.0))
    fields.setdefault("callers", (Caller("+442079460018", "talking"),))
    return PbxConfig(client_id=CLIENT_ID, client_secret=SECRET, **fields)


def client_for(pbx: PbxServer, secret: str = SECRET, **kwargs: Any) -> YeastarClient:
    kwargs.setdefault("timeout", 5.0)
    return YeastarClient(pbx.base_url, Credentials(CLIENT_ID, secret), **kwargs)


async def wait_until(
    predicate: Callable[[], Any], limit_s: float = 5.0, what: str = "condition"
) -> Any:
    deadline = time.monotonic() + limit_s
    while True:
        value = predicate()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {limit_s} s waiting for {what}")
        await asyncio.sleep(0.02)


def first_call(pbx: PbxServer) -> dict[str, Any]:
    calls = pbx.state()["calls"]
    assert calls, "the PBX has no calls"
    call: dict[str, Any] = calls[0]
    return call


def channel_of(call: dict[str, Any], kind: str) -> str:
    for member in call["members"]:
        if kind in member:
            return str(member[kind]["channel_id"])
    raise AssertionError(f"no {kind} member in {call}")


class DeskRig:
    """A YeastarDesk fed by a live event stream; `roster()` feeds arrivals from the simulator."""

    def __init__(self, pbx: PbxServer, sim: Any, client: YeastarClient, **desk: Any) -> None:
        from pextui.phone.yeastar.desk import YeastarDesk
        from pextui.phone.yeastar.stream import EventStream

        self.pbx, self.sim, self.client = pbx, sim, client
        desk.setdefault("numbers", {"meet.demo": "8001", "meet.board": "8002"})
        desk.setdefault("operator", "2005")
        self.desk = YeastarDesk(client, **desk)
        self.stream = EventStream(client, heartbeat=0.5, backoff=(0.05,))
        self.task: asyncio.Task[None] | None = None

    async def start(self) -> DeskRig:
        self.task = asyncio.create_task(self.stream.run(self.desk.apply))
        await wait_until(lambda: self.stream.state == "connected", what="events connected")
        self.desk.load(await self.client.query_calls())
        return self

    def roster(self, alias: str) -> list[dict[str, Any]]:
        participants: list[dict[str, Any]] = self.sim.conference_state(alias)["participants"]
        for p in participants:
            self.desk.participant_seen(alias, p["uuid"], p["display_name"], p["uri"])
        return participants

    def names(self, alias: str) -> list[str]:
        return sorted(p["display_name"] for p in self.sim.conference_state(alias)["participants"])

    async def stop(self) -> None:
        await self.stream.stop()
        if self.task is not None:
            await self.task
