"""Probes inside the console benchmark's app process: hooks on a few classes (this process
only), the time breakdown, loop-delay sampling and GC pauses."""

from __future__ import annotations

import asyncio
import cProfile
import gc
import pstats
import time
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from simproc import process_cpu_s


@dataclass
class Probe:
    """What the hooks record (all times from time.perf_counter)."""

    join_at: float | None = None
    sync_end_at: float | None = None
    first_event_at: float | None = None
    joined_at: float | None = None  # connect() returned
    synced_rendered_at: float | None = None
    join_cpu: float | None = None  # time.process_time() when the join started
    synced_rendered_cpu: float | None = None  # ... and when the synced roster was drawn
    sim_pid: int | None = None  # the simulator's process
    join_sim_cpu: float | None = None  # its CPU seconds when the join started
    synced_sim_cpu: float | None = None  # ... and when the synced roster was drawn
    synced_rows: int = 0
    synced_count: int = 0  # index length right after participant_sync_end was applied
    app: Any = None
    applied: int = 0  # participant events applied to the store
    shown: int = 0  # `applied` as of the screen's last drain of the change feed
    drains: int = 0
    renders: int = 0
    key_from: str | None = None
    key_rendered_at: float | None = None
    timing: bool = False  # the breakdown is collected during the window only
    frames: int = 0  # compositor updates during the window
    delays_ms: list[float] = field(default_factory=list)


PROBE = Probe()


def install_hooks() -> None:
    """Wrap the roster's render and the store's drain (this process only)."""
    from pextui.conference import ConferenceStore
    from pextui.tui.widgets.roster import Roster

    install_breakdown()  # first: the roster's hook below wraps the timed render_lines
    gc.callbacks.append(GC_PAUSES)

    render_lines = Roster.render_lines

    def timed_render_lines(self: Roster, crop: Any) -> Any:
        strips = render_lines(self, crop)
        now = time.perf_counter()
        PROBE.renders += 1
        rows = int(getattr(self, "row_count", self.virtual_size.height))
        if (
            PROBE.synced_rendered_at is None
            and PROBE.synced_count
            and rows >= 0.9 * PROBE.synced_count
            and self.virtual_size.height >= rows
        ):
            PROBE.synced_rendered_at, PROBE.synced_rows = now, rows
            PROBE.synced_rendered_cpu = time.process_time()
            PROBE.synced_sim_cpu = process_cpu_s(PROBE.sim_pid)
        if PROBE.key_from is not None and self.cursor_uuid != PROBE.key_from:
            PROBE.key_rendered_at, PROBE.key_from = now, None
        return strips

    count_applied()
    drain_changes = ConferenceStore.drain_changes

    def counted_drain(self: ConferenceStore) -> Any:
        PROBE.shown = PROBE.applied
        PROBE.drains += 1
        return drain_changes(self)

    setattr(Roster, "render_lines", timed_render_lines)  # noqa: B010 (a benchmark hook)
    setattr(ConferenceStore, "drain_changes", counted_drain)  # noqa: B010


def count_applied() -> None:
    """Count the participant events the console applies after the sync, as it applies them
    (`StreamConsumer.consume_all` takes a read's batch in slices, the loop running between
    them): at any await point elsewhere `applied` equals what the store has applied."""
    from pextui.protocol.models import (
        ParticipantCreateEvent,
        ParticipantDeleteEvent,
        ParticipantSyncEndEvent,
        ParticipantUpdateEvent,
    )
    from pextui.tui.stream import StreamConsumer

    if not hasattr(StreamConsumer, "consume_all"):
        return  # an older pextui (ab.py): `timed_connector` counts item by item
    kinds = (ParticipantCreateEvent, ParticipantUpdateEvent, ParticipantDeleteEvent)
    consume_all = StreamConsumer.consume_all
    synced = [False]

    def counted(self: Any, items: list[Any], *args: Any) -> Any:
        stop = consume_all(self, items, *args)
        start = args[0] if args else 0
        applied = items[start : len(items) if stop is None else stop]  # None: all of them
        if not synced[0]:
            ends = [
                n for n, item in enumerate(applied) if isinstance(item, ParticipantSyncEndEvent)
            ]
            if not ends:
                return stop
            synced[0], applied = True, applied[ends[0] + 1 :]
        PROBE.applied += sum(isinstance(item, kinds) for item in applied)
        return stop

    setattr(StreamConsumer, "consume_all", counted)  # noqa: B010


BREAKDOWN: dict[str, float] = {}  # seconds per label, collected while `PROBE.timing` is on


def _timed(label_of: Callable[..., str], function: Callable[..., Any]) -> Callable[..., Any]:
    def timed(*args: Any, **kwargs: Any) -> Any:
        if not PROBE.timing:
            return function(*args, **kwargs)
        started = time.perf_counter()
        try:
            return function(*args, **kwargs)
        finally:
            label = label_of(*args)
            BREAKDOWN[label] = BREAKDOWN.get(label, 0.0) + time.perf_counter() - started

    return timed


def install_breakdown() -> None:
    """Time where the app's loop goes during the window: drawing per widget, the screen's
    refresh tick, the compositor's frame updates and the stream consumer (per event)."""
    from textual import screen as textual_screen
    from textual.widget import Widget

    from pextui.protocol.stream import EventStream
    from pextui.tui.painter import ConferencePainter
    from pextui.tui.stream import StreamConsumer
    from pextui.tui.widgets.roster import Roster

    # The screens' compositor, reached through the public module that uses it.
    compositor: Any = textual_screen.Compositor  # type: ignore[attr-defined]

    def count_frame(*_: Any) -> str:
        PROBE.frames += 1
        return "compositor render_update (all drawing)"

    def widget_label(widget: Any, *_: Any) -> str:
        name = type(widget).__name__
        return f"render_lines {name}#{widget.id}" if widget.id else f"render_lines {name}"

    # What the console calls per network read (an older pextui, under ab.py: per item).
    consume = "consume_all" if hasattr(StreamConsumer, "consume_all") else "consume"
    hooks: list[tuple[Any, str, Callable[..., str]]] = [
        (Widget, "render_lines", widget_label),
        (Roster, "render_lines", widget_label),  # the roster finishes its own lines
        (compositor, "render_update", count_frame),
        (ConferencePainter, "refresh", lambda *_: "screen refresh_from_store"),
        (StreamConsumer, consume, lambda *_: "stream consume (apply events)"),
        (EventStream, "_parse", lambda *_: "stream parse (SSE data -> typed event)"),
    ]
    for owner, name, label_of in hooks:
        setattr(owner, name, _timed(label_of, getattr(owner, name)))


def timed_connector() -> Callable[[Any], Any]:
    """The real `connect`, noting when the join starts and counting the session's events
    (as the console reads them: `Session.batches`)."""
    from pextui.protocol.client import connect
    from pextui.protocol.models import (
        ParticipantCreateEvent,
        ParticipantDeleteEvent,
        ParticipantSyncEndEvent,
        ParticipantUpdateEvent,
    )

    participant_events = (ParticipantCreateEvent, ParticipantUpdateEvent, ParticipantDeleteEvent)
    sync_end = ParticipantSyncEndEvent

    async def connector(params: Any) -> Any:
        PROBE.join_at, PROBE.join_cpu = time.perf_counter(), time.process_time()
        PROBE.join_sim_cpu = process_cpu_s(PROBE.sim_pid)
        session = await connect(params)
        PROBE.joined_at = time.perf_counter()
        if not hasattr(session, "batches"):  # an older pextui (ab.py): item by item
            setattr(session, "events", counted_items(session.events))  # noqa: B010
            return session
        batches = session.batches

        async def counted() -> AsyncIterator[Any]:
            synced = False
            async for batch in batches():
                if PROBE.first_event_at is None:
                    PROBE.first_event_at = time.perf_counter()
                start = 0
                if not synced:
                    ends = [n for n, item in enumerate(batch) if isinstance(item, sync_end)]
                    if not ends:
                        yield batch
                        continue
                    synced, start = True, ends[0] + 1
                    PROBE.sync_end_at = time.perf_counter()
                yield batch  # applied (in slices after the sync): counted by `count_applied`
                if start:  # this batch held the sync's end: the synced roster is in the store
                    store = PROBE.app.store if PROBE.app is not None else None
                    PROBE.synced_count = len(store.index) if store is not None else 0

        setattr(session, "batches", counted)  # noqa: B010
        return session

    def counted_items(events: Callable[[], AsyncIterator[Any]]) -> Callable[[], Any]:
        async def counted() -> AsyncIterator[Any]:
            synced = False
            async for item in events():
                if PROBE.first_event_at is None:
                    PROBE.first_event_at = time.perf_counter()
                if synced and isinstance(item, participant_events):
                    PROBE.applied += 1
                elif isinstance(item, sync_end):
                    synced = True
                    PROBE.sync_end_at = time.perf_counter()
                    yield item
                    store = PROBE.app.store if PROBE.app is not None else None
                    PROBE.synced_count = len(store.index) if store is not None else 0
                    continue
                yield item

        return counted

    return connector


async def sample_loop_delay(stop: asyncio.Event) -> None:
    while not stop.is_set():
        before = time.perf_counter()
        await asyncio.sleep(0.01)
        PROBE.delays_ms.append(max(0.0, (time.perf_counter() - before - 0.01) * 1000))


async def wait_until(predicate: Callable[[], bool], limit_s: float) -> bool:
    deadline = time.perf_counter() + limit_s
    while not predicate():
        if time.perf_counter() > deadline:
            return False
        await asyncio.sleep(0.002)
    return True


class GcPauses:
    """Garbage-collector pauses on the app's thread, per generation (gc.callbacks)."""

    def __init__(self) -> None:
        self.started: float | None = None
        self.pauses: dict[int, list[float]] = {0: [], 1: [], 2: []}

    def reset(self) -> None:
        self.pauses = {0: [], 1: [], 2: []}

    def __call__(self, phase: str, info: dict[str, int]) -> None:
        if phase == "start":
            self.started = time.perf_counter()
        elif self.started is not None and PROBE.timing:
            self.pauses[info["generation"]].append((time.perf_counter() - self.started) * 1000)

    def summary(self) -> dict[str, Any]:
        gen2 = self.pauses[2]
        every = [p for pauses in self.pauses.values() for p in pauses]
        return {
            "gc_collections": [len(self.pauses[g]) for g in (0, 1, 2)],
            "gc_ms_by_generation": [rounded(sum(self.pauses[g])) for g in (0, 1, 2)],
            "gc_pause_max_ms": rounded(max(every, default=0.0)),
            "gc_gen2_collections": len(gen2),
            "gc_gen2_max_ms": rounded(max(gen2, default=0.0)),
            "gc_total_ms": rounded(sum(every)),
        }


GC_PAUSES = GcPauses()


def breakdown(window: float) -> dict[str, float]:
    """Milliseconds per second of window, biggest first (the ten biggest)."""
    ranked = sorted(BREAKDOWN.items(), key=lambda item: -item[1])[:10]
    return {label: round(seconds * 1000 / window, 1) for label, seconds in ranked}


def write_profile(profiler: cProfile.Profile, path: Path) -> None:
    with path.open("w") as out:
        stats = pstats.Stats(profiler, stream=out)
        stats.sort_stats("tottime").print_stats(40)
        stats.sort_stats("cumulative").print_stats(80)


async def settle_applied(pilot: Any) -> None:
    """Wait until the app has applied and drained everything that was sent (churn is off)."""
    last = -1
    while PROBE.applied != last or PROBE.shown != PROBE.applied:
        last = PROBE.applied
        await pilot.pause(0.3)


def percentile(values: list[float], share: float) -> float | None:
    if not values:
        return None
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def rounded(value: float | None, digits: int = 1) -> float | None:
    return None if value is None else round(value, digits)
