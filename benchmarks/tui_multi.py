"""Two conferences at once: the real app, headless, joined as host to two busy sims.

Starts two `pextui sim --port 0 --participants N --churn R --scenario quiet` processes (one
conference each, their CPU off the app's loop), runs the real app (`make_app(joins=...)` +
`run_test`) with one tab per conference, the first in front, and measures over a window:

* applied_ratio_front / applied_ratio_back: participant events the console applied to each
  conference's store / events that sim sent in the window (counted by a guest subscriber in a
  child process, `console_counter.py`). Both counts start from zero: the churn is paused
  until the app has applied everything, then resumed for the window.
* shown_ratio_front: the front conference's applied events as of its screen's last drain of
  the store's change feed (what was drawn) / events sent.
* back_drains / back_roster_renders: how often the conference behind drained its changes or
  drew its roster during the window (0: a background conference costs no rendering).
* loop_delay_p99_ms: an asyncio task sleeps 10 ms in a loop and records how late it wakes.
* key_to_render_p95_ms: every ~150 ms a `down` key is posted; from posting to the end of the
  front roster's first render after its cursor moved.
* load_average: the machine's 1-minute load at the start and the end (the machine may be
  shared: read the numbers with it).

    python benchmarks/tui_multi.py [--participants 10000] [--rate 500] [--seconds 20]
                                   [--size 160x50] [--json]

Targets (`TARGETS`): applied >= 0.99 in both, loop delay p99 <= 20 ms, key-to-render p95 <=
50 ms on the one in front.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import sys
import time
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from console_counter import EventCounter, set_churn, settled_count  # noqa: E402
from console_probe import percentile, rounded, wait_until  # noqa: E402
from simproc import ALIAS, HOST_PIN, start_sim, stop_sim  # noqa: E402

TARGETS = {
    "applied_ratio_front": (">=", 0.99),
    "applied_ratio_back": (">=", 0.99),
    "loop_delay_p99_ms": ("<=", 20.0),
    "key_to_render_p95_ms": ("<=", 50.0),
}


class Counts:
    """Per conference (by node URL): events applied, applied as of the last drain, drains,
    roster renders; and the front roster's key probe."""

    def __init__(self) -> None:
        self.applied: dict[str, int] = {}
        self.shown: dict[str, int] = {}
        self.drains: dict[str, int] = {}
        self.renders: dict[str, int] = {}
        self.node_of_store: dict[int, str] = {}
        self.delays_ms: list[float] = []
        self.key_from: str | None = None
        self.key_rendered_at: float | None = None


COUNTS = Counts()


def install_hooks(app: Any) -> None:
    """Wrap the roster's render and the store's drain (this process only)."""
    from pextui.conference import ConferenceStore
    from pextui.tui.widgets.roster import Roster

    drain_changes = ConferenceStore.drain_changes

    def counted_drain(self: ConferenceStore) -> Any:
        node = COUNTS.node_of_store.get(id(self))
        if node is not None:
            COUNTS.shown[node] = COUNTS.applied.get(node, 0)
            COUNTS.drains[node] = COUNTS.drains.get(node, 0) + 1
        return drain_changes(self)

    render_lines = Roster.render_lines

    def counted_render(self: Roster, crop: Any) -> Any:
        strips = render_lines(self, crop)
        console = getattr(self.screen, "console", None)
        node = str(getattr(console.join_params, "node_url", "")) if console else ""
        COUNTS.renders[node] = COUNTS.renders.get(node, 0) + 1
        if COUNTS.key_from is not None and self.cursor_uuid != COUNTS.key_from:
            COUNTS.key_rendered_at, COUNTS.key_from = time.perf_counter(), None
        return strips

    setattr(ConferenceStore, "drain_changes", counted_drain)  # noqa: B010 (a benchmark hook)
    setattr(Roster, "render_lines", counted_render)  # noqa: B010


def counting_connector() -> Any:
    """The real `connect`, counting each session's participant events after its sync."""
    from pextui.protocol.client import connect
    from pextui.protocol.models import (
        ParticipantCreateEvent,
        ParticipantDeleteEvent,
        ParticipantSyncEndEvent,
        ParticipantUpdateEvent,
    )

    kinds = (ParticipantCreateEvent, ParticipantUpdateEvent, ParticipantDeleteEvent)

    async def connector(params: Any) -> Any:
        session = await connect(params)
        node, batches = params.node_url, session.batches

        async def counted() -> AsyncIterator[Any]:
            synced = False
            async for batch in batches():  # as the console reads them
                for item in batch:
                    if synced and isinstance(item, kinds):
                        COUNTS.applied[node] = COUNTS.applied.get(node, 0) + 1
                    elif isinstance(item, ParticipantSyncEndEvent):
                        synced = True
                yield batch

        setattr(session, "batches", counted)  # noqa: B010
        return session

    return connector


async def drive(
    urls: list[str], participants: int, rate: float, seconds: float, size: tuple[int, int]
) -> Any:
    from textual import events

    from pextui.protocol.client import JoinParams
    from pextui.tui.app import make_app
    from pextui.tui.screens.conference import ConferenceScreen
    from pextui.tui.widgets.roster import Roster

    joins = [
        JoinParams(node_url=u, alias=ALIAS, display_name="Bench host", pin=HOST_PIN) for u in urls
    ]
    app = make_app(joins=joins, connector=counting_connector(), load_settings=False)
    install_hooks(app)
    front, back = urls
    result: dict[str, Any] = {}
    async with app.run_test(size=size) as pilot:

        def synced() -> bool:
            return len(app.consoles) == 2 and all(
                c.store is not None
                and not c.store.syncing
                and len(c.store.roster) >= 0.9 * participants
                for c in app.consoles
            )

        started = time.perf_counter()
        if not await wait_until(synced, 240):
            raise SystemExit("the two conferences never synced")
        result["both_synced_ms"] = rounded((time.perf_counter() - started) * 1000)
        for console in app.consoles:
            assert console.store is not None and console.join_params is not None
            COUNTS.node_of_store[id(console.store)] = console.join_params.node_url
        await wait_until(lambda: isinstance(app.screen, ConferenceScreen), 30)
        await pilot.pause(1.0)
        roster = app.screen.query_one(Roster)
        await asyncio.gather(*(asyncio.to_thread(set_churn, u, 0.0) for u in urls))
        counters = [await asyncio.to_thread(EventCounter, u) for u in urls]
        # both counts from zero: wait until nothing more arrives and the front has drawn it
        last: dict[str, int] = {}
        while last != COUNTS.applied or COUNTS.shown.get(front) != COUNTS.applied.get(front):
            last = dict(COUNTS.applied)
            await asyncio.sleep(0.5)
        stop = asyncio.Event()
        sampler = asyncio.create_task(_sample(stop))
        sent_before = [await asyncio.to_thread(c.count) for c in counters]
        applied_before = dict(COUNTS.applied)
        shown_before = COUNTS.shown.get(front, 0)
        drains_before, renders_before = dict(COUNTS.drains), dict(COUNTS.renders)
        load_start = os.getloadavg()[0]
        await asyncio.gather(*(asyncio.to_thread(set_churn, u, rate) for u in urls))
        key_ms: list[float] = []
        missed = 0
        window_start = time.perf_counter()
        while time.perf_counter() - window_start < seconds:
            COUNTS.key_from, COUNTS.key_rendered_at = roster.cursor_uuid, None
            pressed = time.perf_counter()
            app.post_message(events.Key("down", None))
            await wait_until(lambda: COUNTS.key_rendered_at is not None, 2.0)
            rendered = COUNTS.key_rendered_at
            if rendered is not None:
                key_ms.append((rendered - pressed) * 1000)
            else:
                COUNTS.key_from, missed = None, missed + 1
            await asyncio.sleep(0.15)
        window = time.perf_counter() - window_start
        sent_after = [await asyncio.to_thread(c.count) for c in counters]
        applied_after, shown_after = dict(COUNTS.applied), COUNTS.shown.get(front, 0)
        drains_after, renders_after = dict(COUNTS.drains), dict(COUNTS.renders)
        await asyncio.gather(*(asyncio.to_thread(set_churn, u, 0.0) for u in urls))
        stop.set()
        await sampler
        for counter in counters:
            await asyncio.to_thread(settled_count, counter)
            await asyncio.to_thread(counter.close)
        sent = [after - before for before, after in zip(sent_before, sent_after, strict=True)]
        applied = [applied_after.get(u, 0) - applied_before.get(u, 0) for u in urls]
        result.update(
            events_sent=sent,
            events_applied=applied,
            applied_ratio_front=round(applied[0] / sent[0], 4) if sent[0] else None,
            applied_ratio_back=round(applied[1] / sent[1], 4) if sent[1] else None,
            shown_ratio_front=round((shown_after - shown_before) / sent[0], 4) if sent[0] else None,
            sent_per_second=[rounded(n / window) for n in sent],
            back_drains=drains_after.get(back, 0) - drains_before.get(back, 0),
            back_roster_renders=renders_after.get(back, 0) - renders_before.get(back, 0),
            front_drains=drains_after.get(front, 0) - drains_before.get(front, 0),
            loop_delay_p50_ms=rounded(percentile(COUNTS.delays_ms, 0.50)),
            loop_delay_p99_ms=rounded(percentile(COUNTS.delays_ms, 0.99)),
            loop_delay_max_ms=rounded(max(COUNTS.delays_ms, default=0.0)),
            key_to_render_p50_ms=rounded(percentile(key_ms, 0.50)),
            key_to_render_p95_ms=rounded(percentile(key_ms, 0.95)),
            key_presses=len(key_ms),
            keys_without_render=missed,
            window_seconds=round(window, 2),
            load_average=[round(load_start, 2), round(os.getloadavg()[0], 2)],
        )
        await app.leave()
    return result


async def _sample(stop: asyncio.Event) -> None:
    """How late a 10 ms sleep on the app's loop wakes, until ``stop``."""
    while not stop.is_set():
        before = time.perf_counter()
        await asyncio.sleep(0.01)
        COUNTS.delays_ms.append(max(0.0, (time.perf_counter() - before - 0.01) * 1000))


def targets_met(result: dict[str, Any]) -> dict[str, bool | None]:
    met: dict[str, bool | None] = {}
    for name, (op, limit) in TARGETS.items():
        value = result.get(name)
        met[name] = None if value is None else (value <= limit if op == "<=" else value >= limit)
    return met


def main() -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--participants", type=int, default=10_000, help="in each conference")
    parser.add_argument("--rate", type=float, default=500.0, help="churn of each, events/s")
    parser.add_argument("--seconds", type=float, default=20.0, help="length of the window")
    parser.add_argument("--size", default="160x50", help="terminal WxH")
    parser.add_argument("--json", action="store_true", help="machine-readable output")
    args = parser.parse_args()
    width, _, height = args.size.partition("x")
    sims = [start_sim(args.participants, args.rate) for _ in range(2)]
    try:
        result: dict[str, Any] = {
            "conferences": 2,
            "participants": args.participants,
            "rate": args.rate,
            "size": args.size,
        }
        urls = [url for _, url in sims]
        result.update(
            asyncio.run(
                drive(urls, args.participants, args.rate, args.seconds, (int(width), int(height)))
            )
        )
    finally:
        for process, _ in sims:
            stop_sim(process)
    result["targets_met"] = targets_met(result)
    if args.json:
        print(json.dumps(result))
    else:
        for key, value in result.items():
            print(f"{key:>24}: {value}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
