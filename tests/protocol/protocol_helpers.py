"""Helpers for the protocol client tests: bounded waiting, event collection, token capture."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from typing import Any

import httpx

from pextui.conference import ConferenceStore
from pextui.protocol.client import JoinParams
from pextui.protocol.session import Session
from pextui.protocol.stream import Ended, StreamItem, is_event
from pextui.sim.server import SimServer


async def wait_until(
    predicate: Callable[[], bool], limit_s: float = 5.0, what: str = "condition"
) -> None:
    """Poll `predicate` every 20 ms; fail the test after `limit_s` seconds."""
    deadline = time.monotonic() + limit_s
    while not predicate():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {limit_s} s waiting for {what}")
        await asyncio.sleep(0.02)


def host_params(sim: SimServer, alias: str = "meet.demo", **overrides: Any) -> JoinParams:
    values: dict[str, Any] = {"display_name": "Host Console", "pin": "1234", "timeout_s": 5.0}
    values.update(overrides)
    return JoinParams(node_url=sim.base_url, alias=alias, **values)


class Collector:
    """Consumes `session.events()` in a task: keeps every item and applies events to a store."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self.items: list[StreamItem] = []
        self.store = ConferenceStore(self_uuid=session.participant_uuid)
        self.task = asyncio.create_task(self._run())

    async def _run(self) -> None:
        async for item in self.session.events():
            self.items.append(item)
            if is_event(item):
                self.store.apply(item)

    def names(self) -> list[str]:
        return [item.name for item in self.items]

    def of(self, cls: type[Any]) -> list[Any]:
        return [item for item in self.items if isinstance(item, cls)]

    @property
    def ended(self) -> Ended | None:
        found = self.of(Ended)
        return found[-1] if found else None

    async def stop(self) -> None:
        if not self.task.done():
            self.task.cancel()
        await asyncio.gather(self.task, return_exceptions=True)


class RecordingTransport(httpx.AsyncHTTPTransport):
    """A real loopback transport that remembers every token and PIN it sent (for leak tests)."""

    def __init__(self) -> None:
        super().__init__()
        self.secrets: set[str] = set()
        self.paths: list[str] = []

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        for header in ("token", "pin"):
            value = request.headers.get(header)
            if value and value != "none":
                self.secrets.add(value)
        token = request.url.params.get("token")
        if token:
            self.secrets.add(token)
        self.paths.append(request.url.path)
        response = await super().handle_async_request(request)
        return response


async def control(sim: SimServer, body: dict[str, Any]) -> None:
    """POST /_sim/control (churn, faults) over loopback."""
    async with httpx.AsyncClient(base_url=sim.base_url, timeout=5.0) as http:
        response = await http.post("/_sim/control", json=body)
        response.raise_for_status()
