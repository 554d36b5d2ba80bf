"""Helpers of the chaos suite: a simulator that counts what it received, the truth, the
divergence between a store and that truth, bounded waiting, and an event-counting client."""

from __future__ import annotations

import asyncio
import subprocess
import sys
import time
from collections import Counter
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

import httpx
import pytest
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from pextui.conference import ConferenceStore
from pextui.protocol.client import JoinParams, connect
from pextui.protocol.session import Session
from pextui.protocol.stream import STATE_CLASSES, StreamItem
from pextui.sim.config import SimConfig, Timings
from pextui.sim.server import SimServer

ALIAS = "meet.demo"
HOST_PIN = "1234"


LONG_RUN = [pytest.mark.slow, pytest.mark.timeout(600)]
"""Marks of a scenario's full-length variant (pytest tests/chaos -m slow)."""


@dataclass(frozen=True)
class Variant:
    """How long a scenario runs: `short` in the default suite, `long` under -m slow."""

    name: str
    seconds: float


def chaos_timings() -> Timings:
    return Timings(
        dial_answer=0.05,
        dial_reject=0.05,
        dial_timeout=0.5,
        refresh_grace=1.0,
        keepalive=0.5,
        expiry_sweep=0.1,
    )


def chaos_config(**fields: Any) -> SimConfig:
    fields.setdefault("timings", chaos_timings())
    fields.setdefault("scenario", "quiet")
    return SimConfig(**fields)


# -- a simulator that counts the requests it received -------------------------------------


class RequestCounter:
    """ASGI wrapper around the simulator app: counts every request by function and status.

    It sits outside the simulator's fault middleware, so it sees requests that the
    error-rate fault answers 502/503 as well as those that were handled.
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app
        self.received: Counter[str] = Counter()
        self.answered: Counter[tuple[str, int]] = Counter()
        self.targets: Counter[tuple[str, str]] = Counter()  # (function, participant) handled

    def __getattr__(self, name: str) -> Any:  # `state` etc. of the wrapped Starlette app
        return getattr(self.app, name)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not scope["path"].startswith("/api/"):
            await self.app(scope, receive, send)
            return
        parts = scope["path"].rstrip("/").split("/")
        function = parts[-1]
        participant = parts[-2] if len(parts) >= 3 and parts[-3] == "participants" else ""
        self.received[function] += 1
        status = 0

        async def watch(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = int(message["status"])
            await send(message)

        await self.app(scope, receive, watch)
        self.answered[(function, status)] += 1
        if status == 200 and participant:
            self.targets[(function, participant)] += 1

    def handled(self, function: str) -> int:
        """Requests of `function` that were not refused by the error-rate fault."""
        return sum(n for (name, status), n in self.answered.items() if name == function) - sum(
            self.answered[(function, s)] for s in (502, 503)
        )


def counting_sim(config: SimConfig) -> tuple[SimServer, RequestCounter]:
    """A started simulator whose requests are counted."""
    sim = SimServer(config)
    counter = RequestCounter(sim.app)
    sim.app = counter  # type: ignore[assignment]  # served by start(); node stays the same
    sim.start()
    return sim, counter


# -- the truth ------------------------------------------------------------------------------


def sim_conference(sim: SimServer, alias: str = ALIAS) -> dict[str, Any]:
    for conference in sim.state()["conferences"]:
        if conference["alias"] == alias:
            return dict(conference)
    raise KeyError(alias)


def events_sent(sim: SimServer, alias: str = ALIAS) -> int:
    """How many events the simulator emitted in the conference so far."""
    conference = sim.node.conferences[alias]
    return int(sim.run_on_loop(lambda: conference.events_sent))


def divergence(store: ConferenceStore, sim: SimServer, alias: str = ALIAS) -> list[str]:
    """Participants that differ between the store and the simulator's truth."""
    return divergence_from(store, sim_conference(sim, alias)["participants"])


def divergence_from(store: ConferenceStore, participants: list[dict[str, Any]]) -> list[str]:
    """Participants that differ between the store and `participants` (the truth).

    A participant diverges when it is missing on one side, or when any field the
    simulator holds has another value in the store's model.
    """
    truth = {p["uuid"]: p for p in participants}
    roster = store.roster
    problems = [f"missing {uuid}" for uuid in truth.keys() - roster.keys()]
    problems += [f"extra {uuid}" for uuid in roster.keys() - truth.keys()]
    for uuid in truth.keys() & roster.keys():
        ours = roster[uuid].participant.model_dump(mode="json", exclude_unset=True)
        differing = sorted(k for k, v in truth[uuid].items() if ours.get(k) != v)
        if differing:
            problems.append(f"{uuid} differs in {', '.join(differing[:5])}")
    return problems


class SimProcess:
    """`pextui sim` as a separate process (so that it can be killed outright)."""

    def __init__(self, *args: str) -> None:
        command = [sys.executable, "-m", "pextui", "sim", *args]
        self.process = subprocess.Popen(
            command, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True
        )
        assert self.process.stdout is not None
        first = self.process.stdout.readline().strip()
        prefix = "pextui sim listening on "
        if not first.startswith(prefix):
            self.kill()
            raise AssertionError(f"pextui sim did not start: {first!r}")
        self.base_url = first[len(prefix) :]
        self.port = int(self.base_url.rsplit(":", 1)[1])

    def participants(self, alias: str = ALIAS) -> list[dict[str, Any]]:
        state = httpx.get(f"{self.base_url}/_sim/state", timeout=10).json()
        for conference in state["conferences"]:
            if conference["alias"] == alias:
                return list(conference["participants"])
        raise KeyError(alias)

    def kill(self) -> None:
        """SIGKILL: no clean shutdown, no stream closed politely."""
        if self.process.poll() is None:
            self.process.kill()
        self.process.wait(10)
        if self.process.stdout is not None:
            self.process.stdout.close()


async def control(sim: SimServer, body: dict[str, Any]) -> None:
    """POST /_sim/control over loopback."""
    async with httpx.AsyncClient(base_url=sim.base_url, timeout=10.0) as http:
        response = await http.post("/_sim/control", json=body)
        response.raise_for_status()


# -- waiting --------------------------------------------------------------------------------


async def wait_until(
    predicate: Callable[[], Any], limit_s: float, what: str, step_s: float = 0.05
) -> Any:
    """Poll `predicate` every `step_s`; fail after `limit_s` seconds naming `what`."""
    deadline = time.monotonic() + limit_s
    while True:
        value = predicate()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {limit_s:.0f} s waiting for {what}")
        await asyncio.sleep(step_s)


async def settle(probe: Callable[[], list[str]], limit_s: float, step_s: float = 0.1) -> list[str]:
    """Poll until `probe()` returns no problems or time runs out; the last problems."""
    deadline = time.monotonic() + limit_s
    problems = probe()
    while problems and time.monotonic() < deadline:
        await asyncio.sleep(step_s)
        problems = probe()
    return problems


# -- a client that counts what it applied ---------------------------------------------------


@dataclass
class EventTally:
    """Typed events and stream states seen by whoever consumes a session."""

    events: int = 0
    states: Counter[str] = field(default_factory=Counter)


def count_events(session: Session, tally: EventTally) -> Session:
    """Make `session.events()` and `session.batches()` (what the console reads) count what
    they yield (the app consumes it unchanged)."""
    original, original_batches = session.events, session.batches

    def count(item: StreamItem) -> None:
        if isinstance(item, STATE_CLASSES):
            tally.states[item.name] += 1
        else:
            tally.events += 1

    async def counted() -> AsyncIterator[StreamItem]:
        async for item in original():
            count(item)
            yield item

    async def counted_batches() -> AsyncIterator[list[StreamItem]]:
        async for batch in original_batches():
            for item in batch:
                count(item)
            yield batch

    session.events = counted  # type: ignore[method-assign]
    session.batches = counted_batches  # type: ignore[method-assign]
    return session


def counting_connector(tally: EventTally) -> Callable[[JoinParams], Awaitable[Session]]:
    """A connector for `make_app` whose sessions count their events into `tally`."""

    async def connector(params: JoinParams) -> Session:
        return count_events(await connect(params), tally)

    return connector


class Collector:
    """Consumes a session's events in a task into its own store (no console)."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self.tally = EventTally()
        self.store = ConferenceStore(self_uuid=session.participant_uuid)
        self.error: BaseException | None = None
        self.items: list[StreamItem] = []
        self.task = asyncio.create_task(self._run())

    async def _run(self) -> None:
        try:
            async for item in self.session.events():
                if isinstance(item, STATE_CLASSES):
                    self.tally.states[item.name] += 1
                    self.items.append(item)
                else:
                    self.tally.events += 1
                    self.store.apply(item)
        except Exception as exc:  # counted as a crash by the scenario
            self.error = exc

    async def stop(self) -> None:
        if not self.task.done():
            self.task.cancel()
        await asyncio.gather(self.task, return_exceptions=True)


def host_params(sim: SimServer, **overrides: Any) -> JoinParams:
    values: dict[str, Any] = {
        "node_url": sim.base_url,
        "alias": ALIAS,
        "display_name": "Chaos Host",
        "pin": HOST_PIN,
        "timeout_s": 5.0,
    }
    values.update(overrides)
    return JoinParams(**values)
