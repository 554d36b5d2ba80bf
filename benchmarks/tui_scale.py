"""Console scale benchmark: the real app, headless, against a busy `pextui sim` process.

Starts `pextui sim --port 0 --participants N --churn R --scenario quiet` as a separate
process (its CPU stays off the app's event loop), runs the real app (`make_app` +
`run_test`, 160x50) joined to `meet.demo` as host, and measures:

* initial_sync_ms: from the join request (the connector is called) to the end of the
  first roster render (`Roster.render_lines`) showing the synced list: its row count
  (`Roster.row_count`, covered by its scrollable height) is at least 90% of the index
  length right after `participant_sync_end` was applied (churn keeps changing the count;
  before the sync the roster is empty), i.e. all N rows are in the index and drawn.
* applied_ratio: participant events shown / participant events the simulator sent during
  the window. "Sent" is counted by a second subscriber in a small child process (this
  script with `--count-events`), reading the same conference's stream and counting frames
  without decoding them. "Shown" is the number of participant events the app had applied
  to its store when the conference screen last drained the store's change feed (the
  screen redraws from each drain). Both start from zero: before the window the churn is
  paused (POST /_sim/control) until the app has drained everything, then resumed; so a
  lagging app scores below 1 and a backlog cannot inflate the ratio. After the window
  the churn stops again: behind_at_end is how many events the app still had to show,
  catch_up_ms how long it took to show them.
* loop_delay_p99_ms: an asyncio task on the app's loop sleeps 10 ms in a loop and
  records how late it wakes.
* key_to_render_p95_ms: every ~150 ms a `down` key event is posted to the app (as a
  terminal driver does); measured from posting to the end of the first roster render
  after the cursor moved to another participant.
* rss_mb: peak resident set size of this process (`resource.getrusage`).

To find where time goes it also reports: join_ms / first_event_ms / sync_end_applied_ms
(the sync's phases), sync_busy_ms and busy_ms_per_second (wall time inside the
compositor's frame updates, each widget's render_lines, the screen's refresh tick, the
stream's parse and the consumer's apply), frames_per_second, ms_per_frame, the garbage
collector's pauses per generation (gc.callbacks), app_cpu_share (process CPU / wall).
The machine is shared: compare medians of `--repeat 3` taken at similar load averages.

    python benchmarks/tui_scale.py [--participants 20000] [--rate 1000] [--seconds 20]
                                   [--size 160x50] [--repeat 3] [--profile FILE] [--json]
                                   [--gc-freeze] [--gc-threshold G0,G1,G2]

Hooks are installed on classes in this process only (`Roster.render_lines`,
`ConferenceStore.drain_changes`, `Widget.render_lines`, `Compositor.render_update`,
`ConferencePainter.refresh`, `StreamConsumer.consume`, `EventStream._parse`, the
session's `events`); the app is otherwise unchanged.
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import gc
import json
import pstats
import resource
import statistics
import subprocess
import sys
import threading
import time
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

ALIAS = "meet.demo"
API = f"/api/client/v2/conferences/{ALIAS}/"
HOST_PIN = "1234"
PARTICIPANT_FRAMES = (b"participant_create", b"participant_update", b"participant_delete")
TARGETS = {
    "initial_sync_ms": ("<=", 1500.0),
    "applied_ratio": (">=", 0.99),
    "loop_delay_p99_ms": ("<=", 20.0),
    "key_to_render_p95_ms": ("<=", 50.0),
    "rss_mb": ("<=", 250.0),
}


# -- the event counter child process ---------------------------------------------------------


def count_events(base_url: str) -> int:
    """Child mode: join as a guest, count participant frames; print the count per stdin line."""
    import httpx

    count = 0
    ready = threading.Event()
    failed: list[str] = []

    def read() -> None:
        nonlocal count
        try:
            with httpx.Client(base_url=base_url, timeout=60) as client:
                joined = client.post(
                    API + "request_token",
                    json={"display_name": "Event counter"},
                    headers={"pin": "none"},
                )
                token = joined.json()["result"]["token"]
                with client.stream("GET", API + "events", headers={"token": token}) as response:
                    tail = b""
                    for chunk in response.iter_raw():
                        frames = (tail + chunk).split(b"\n\n")
                        tail = frames.pop()
                        for frame in frames:
                            if not ready.is_set():
                                if frame.startswith(b"event: participant_sync_end"):
                                    ready.set()
                                continue
                            if frame[7:].split(b"\n", 1)[0] in PARTICIPANT_FRAMES:
                                count += 1
        except Exception as error:  # reported to the parent, never a traceback
            failed.append(type(error).__name__)
            ready.set()

    threading.Thread(target=read, daemon=True).start()
    ready.wait(120)
    print("error " + failed[0] if failed else "ready", flush=True)
    for _line in sys.stdin:
        print(count, flush=True)
    return 0


class EventCounter:
    """The parent's handle on the counting child."""

    def __init__(self, base_url: str) -> None:
        self.process = subprocess.Popen(
            [sys.executable, __file__, "--count-events", base_url],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        assert self.process.stdout is not None
        first = self.process.stdout.readline().strip()
        if first != "ready":
            self.close()
            raise SystemExit(f"event counter failed: {first or 'no answer'}")

    def count(self) -> int:
        assert self.process.stdin is not None and self.process.stdout is not None
        self.process.stdin.write("\n")
        self.process.stdin.flush()
        return int(self.process.stdout.readline())

    def close(self) -> None:
        if self.process.stdin is not None:
            self.process.stdin.close()
        try:
            self.process.wait(5)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(5)


# -- the simulator process -------------------------------------------------------------------


def start_sim(participants: int, rate: float) -> tuple[subprocess.Popen[str], str]:
    process = subprocess.Popen(
        [
            *(sys.executable, "-m", "pextui", "sim", "--port", "0", "--scenario", "quiet"),
            *("--participants", str(participants), "--churn", f"{rate:g}"),
        ],
        stdout=subprocess.PIPE,
        text=True,
        cwd=ROOT,
    )
    assert process.stdout is not None
    first = process.stdout.readline().strip()
    prefix = "pextui sim listening on "
    if not first.startswith(prefix):
        process.kill()
        raise SystemExit(f"unexpected first line from pextui sim: {first!r}")
    return process, first[len(prefix) :]


# -- probes inside the app process -----------------------------------------------------------


@dataclass
class Probe:
    """What the hooks record (all times from time.perf_counter)."""

    join_at: float | None = None
    sync_end_at: float | None = None
    first_event_at: float | None = None
    joined_at: float | None = None  # connect() returned
    synced_rendered_at: float | None = None
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
        if PROBE.key_from is not None and self.cursor_uuid != PROBE.key_from:
            PROBE.key_rendered_at, PROBE.key_from = now, None
        return strips

    drain_changes = ConferenceStore.drain_changes

    def counted_drain(self: ConferenceStore) -> Any:
        PROBE.shown = PROBE.applied
        PROBE.drains += 1
        return drain_changes(self)

    setattr(Roster, "render_lines", timed_render_lines)  # noqa: B010 (a benchmark hook)
    setattr(ConferenceStore, "drain_changes", counted_drain)  # noqa: B010


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

    # The screens' compositor, reached through the public module that uses it.
    compositor: Any = textual_screen.Compositor  # type: ignore[attr-defined]

    def count_frame(*_: Any) -> str:
        PROBE.frames += 1
        return "compositor render_update (all drawing)"

    def widget_label(widget: Any, *_: Any) -> str:
        name = type(widget).__name__
        return f"render_lines {name}#{widget.id}" if widget.id else f"render_lines {name}"

    hooks: list[tuple[Any, str, Callable[..., str]]] = [
        (Widget, "render_lines", widget_label),
        (compositor, "render_update", count_frame),
        (ConferencePainter, "refresh", lambda *_: "screen refresh_from_store"),
        (StreamConsumer, "consume", lambda *_: "stream consume (apply events)"),
        (EventStream, "_parse", lambda *_: "stream parse (SSE data -> typed event)"),
    ]
    for owner, name, label_of in hooks:
        setattr(owner, name, _timed(label_of, getattr(owner, name)))


def timed_connector() -> Callable[[Any], Any]:
    """The real `connect`, noting when the join starts and counting the session's events."""
    from pextui.protocol.client import connect
    from pextui.protocol.models import (
        ParticipantCreateEvent,
        ParticipantDeleteEvent,
        ParticipantSyncEndEvent,
        ParticipantUpdateEvent,
    )

    participant_events = (ParticipantCreateEvent, ParticipantUpdateEvent, ParticipantDeleteEvent)

    async def connector(params: Any) -> Any:
        PROBE.join_at = time.perf_counter()
        session = await connect(params)
        PROBE.joined_at = time.perf_counter()
        events = session.events

        async def counted() -> AsyncIterator[Any]:
            # The consumer applies each item synchronously before asking for the next one,
            # so at any await point elsewhere `applied` equals what the store has applied.
            synced = False
            async for item in events():
                if PROBE.first_event_at is None:
                    PROBE.first_event_at = time.perf_counter()
                if synced and isinstance(item, participant_events):
                    PROBE.applied += 1
                elif isinstance(item, ParticipantSyncEndEvent):
                    synced = True
                    PROBE.sync_end_at = time.perf_counter()
                    yield item
                    store = PROBE.app.store if PROBE.app is not None else None
                    PROBE.synced_count = len(store.index) if store is not None else 0
                    continue
                yield item

        setattr(session, "events", counted)  # noqa: B010
        return session

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


def set_churn(base_url: str, rate: float) -> None:
    """Change the simulator's churn through its control API."""
    import httpx

    httpx.post(base_url + "/_sim/control", json={"churn": rate}, timeout=10).raise_for_status()


def settled_count(counter: EventCounter) -> int:
    """The counter's total once it stops growing (churn is off)."""
    last = counter.count()
    while True:
        time.sleep(0.2)
        now = counter.count()
        if now == last:
            return now
        last = now


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


# -- the run ---------------------------------------------------------------------------------


async def drive(
    base_url: str,
    rate: float,
    seconds: float,
    size: tuple[int, int],
    profile: Path | None,
    gc_freeze: bool = False,
) -> dict[str, Any]:
    from textual import events

    from pextui.protocol.client import JoinParams
    from pextui.tui.app import make_app
    from pextui.tui.widgets.roster import Roster

    join = JoinParams(node_url=base_url, alias=ALIAS, display_name="Bench host", pin=HOST_PIN)
    app = make_app(join=join, connector=timed_connector(), load_settings=False)
    PROBE.app = app
    result: dict[str, Any] = {}
    sync_profiler = cProfile.Profile() if profile else None
    if sync_profiler:
        sync_profiler.enable()
    PROBE.timing = True
    started = time.perf_counter()
    async with app.run_test(size=size) as pilot:
        if not await wait_until(lambda: PROBE.synced_rendered_at is not None, 180):
            raise SystemExit("the roster never showed the synced participants")
        PROBE.timing = False
        result["sync_busy_ms"] = breakdown(1.0)
        result["sync_cpu_share"] = round(time.process_time() / (time.perf_counter() - started), 2)
        sync_gc = GC_PAUSES.summary()
        result["sync_gc_ms"] = sync_gc["gc_total_ms"]
        result["sync_gc_collections"] = sync_gc["gc_collections"]
        GC_PAUSES.reset()
        BREAKDOWN.clear()
        PROBE.frames = 0
        if gc_freeze:
            gc.freeze()  # what an app could do after a sync: old objects leave the GC's scans
        if sync_profiler and profile:
            sync_profiler.disable()
            write_profile(sync_profiler, profile.with_suffix(".sync.txt"))
        assert PROBE.join_at is not None and PROBE.synced_rendered_at is not None
        assert PROBE.sync_end_at is not None
        result["initial_sync_ms"] = rounded((PROBE.synced_rendered_at - PROBE.join_at) * 1000)
        if PROBE.joined_at is not None:
            result["join_ms"] = rounded((PROBE.joined_at - PROBE.join_at) * 1000)
        if PROBE.first_event_at is not None:
            first = (PROBE.first_event_at - PROBE.join_at) * 1000
            result["first_event_ms"] = rounded(first)
        result["sync_end_applied_ms"] = rounded((PROBE.sync_end_at - PROBE.join_at) * 1000)
        result["synced_rows"] = PROBE.synced_rows
        await pilot.pause(1.0)
        roster = app.screen.query_one(Roster)

        # Both counts start from zero: churn stops, the app drains its backlog, the
        # counter joins, then churn resumes at the window's start.
        await asyncio.to_thread(set_churn, base_url, 0.0)
        counter = await asyncio.to_thread(EventCounter, base_url)
        await settle_applied(pilot)
        stop = asyncio.Event()
        sampler = asyncio.create_task(sample_loop_delay(stop))
        key_ms: list[float] = []
        missed_keys = 0
        profiler = cProfile.Profile() if profile else None
        sent_before = await asyncio.to_thread(counter.count)
        shown_before, cpu_before = PROBE.shown, time.process_time()
        await asyncio.to_thread(set_churn, base_url, rate)
        started = time.perf_counter()
        PROBE.timing = True
        if profiler:
            profiler.enable()
        while time.perf_counter() - started < seconds:
            PROBE.key_from, PROBE.key_rendered_at = roster.cursor_uuid, None
            pressed = time.perf_counter()
            app.post_message(events.Key("down", None))
            await wait_until(lambda: PROBE.key_rendered_at is not None, 2.0)
            rendered: float | None = getattr(PROBE, "key_rendered_at")  # noqa: B009
            if rendered is not None:
                key_ms.append((rendered - pressed) * 1000)
            else:
                PROBE.key_from = None
                missed_keys += 1
            await asyncio.sleep(0.15)
        if profiler:
            profiler.disable()
        PROBE.timing = False
        window = time.perf_counter() - started
        shown_after, cpu_after = PROBE.shown, time.process_time()
        sent_after = await asyncio.to_thread(counter.count)
        await asyncio.to_thread(set_churn, base_url, 0.0)
        stop.set()
        await sampler
        # How long the app needs after the churn stops to show everything sent.
        caught_up_started = time.perf_counter()
        total_sent = await asyncio.to_thread(settled_count, counter)
        caught_up = await wait_until(
            lambda: PROBE.shown - shown_before >= total_sent - sent_before, 30
        )
        catch_up_ms = (time.perf_counter() - caught_up_started) * 1000 if caught_up else None
        await asyncio.to_thread(counter.close)
        sent = sent_after - sent_before
        shown = shown_after - shown_before
        result.update(
            applied_ratio=round(shown / sent, 4) if sent else None,
            events_sent=sent,
            events_shown=shown,
            sent_per_second=rounded(sent / window),
            shown_per_second=rounded(shown / window),
            loop_delay_p50_ms=rounded(percentile(PROBE.delays_ms, 0.50)),
            loop_delay_p99_ms=rounded(percentile(PROBE.delays_ms, 0.99)),
            loop_delay_max_ms=rounded(max(PROBE.delays_ms, default=0.0)),
            key_to_render_p50_ms=rounded(percentile(key_ms, 0.50)),
            key_to_render_p95_ms=rounded(percentile(key_ms, 0.95)),
            key_presses=len(key_ms),
            keys_without_render=missed_keys,
            app_cpu_share=round((cpu_after - cpu_before) / window, 3),
            window_seconds=round(window, 2),
            roster_rows_at_end=len(app.store.index) if app.store else 0,
            behind_at_end=(sent_after - sent_before) - (shown_after - shown_before),
            catch_up_ms=rounded(catch_up_ms),
            frames_per_second=rounded(PROBE.frames / window),
            ms_per_frame=rounded(
                BREAKDOWN.get("compositor render_update (all drawing)", 0.0)
                * 1000
                / max(1, PROBE.frames)
            ),
            busy_ms_per_second=breakdown(window),
            **GC_PAUSES.summary(),
        )
        if profiler and profile:
            write_profile(profiler, profile)
        await app.leave()
    return result


def measure(
    participants: int,
    rate: float,
    seconds: float,
    size: tuple[int, int],
    profile: Path | None,
    gc_freeze: bool = False,
) -> dict[str, Any]:
    install_hooks()
    process, base_url = start_sim(participants, rate)
    try:
        result = {"participants": participants, "rate": rate, "size": f"{size[0]}x{size[1]}"}
        result.update(asyncio.run(drive(base_url, rate, seconds, size, profile, gc_freeze)))
    finally:
        process.terminate()
        process.wait(20)
    result["rss_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)
    result["targets_met"] = targets_met(result)
    return result


def targets_met(result: dict[str, Any]) -> dict[str, bool | None]:
    met: dict[str, bool | None] = {}
    for name, (op, limit) in TARGETS.items():
        value = result.get(name)
        met[name] = None if value is None else (value <= limit if op == "<=" else value >= limit)
    return met


def parse_size(text: str) -> tuple[int, int]:
    width, _, height = text.partition("x")
    return int(width), int(height)


def main() -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--participants", type=int, default=20_000)
    parser.add_argument("--rate", type=float, default=1000.0, help="churn, events per second")
    parser.add_argument("--seconds", type=float, default=20.0, help="length of the window")
    parser.add_argument("--size", type=parse_size, default=(160, 50), help="terminal WxH")
    parser.add_argument(
        "--profile",
        type=Path,
        help="write cProfile stats of the window to FILE and of the initial sync to FILE.sync.txt",
    )
    parser.add_argument(
        "--gc-freeze",
        action="store_true",
        help="experiment: gc.freeze() after the initial sync (shows what GC pauses cost)",
    )
    parser.add_argument(
        "--gc-threshold",
        metavar="G0,G1,G2",
        help="experiment: gc.set_threshold(G0, G1, G2) before the app starts",
    )
    parser.add_argument("--repeat", type=int, default=1, help="runs; medians are reported")
    parser.add_argument("--json", action="store_true", help="machine-readable output")
    parser.add_argument("--count-events", metavar="URL", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.count_events:
        return count_events(args.count_events)
    if args.gc_threshold:
        gc.set_threshold(*(int(part) for part in args.gc_threshold.split(",")))
    if args.repeat > 1:
        result = median_of([run_child(args) for _ in range(args.repeat)])
    else:
        result = measure(
            args.participants, args.rate, args.seconds, args.size, args.profile, args.gc_freeze
        )
    if args.json:
        print(json.dumps(result))
    else:
        for key, value in result.items():
            print(f"{key:>24}: {value}")
    return 0


def run_child(args: argparse.Namespace) -> dict[str, Any]:
    """One run in a fresh process (hooks, peak RSS and caches start from zero)."""
    command = [sys.executable, __file__, "--json", "--participants", str(args.participants)]
    command += ["--rate", f"{args.rate:g}", "--seconds", f"{args.seconds:g}"]
    command += ["--size", f"{args.size[0]}x{args.size[1]}"]
    command += ["--gc-freeze"] if args.gc_freeze else []
    command += ["--gc-threshold", args.gc_threshold] if args.gc_threshold else []
    output = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    run: dict[str, Any] = json.loads(output.strip().splitlines()[-1])
    return run


def median_of(runs: list[dict[str, Any]]) -> dict[str, Any]:
    """Medians of the numeric fields over several runs (each run in its own process state)."""
    merged: dict[str, Any] = dict(runs[0])
    for key, value in runs[0].items():
        if isinstance(value, int | float) and not isinstance(value, bool):
            values = [run[key] for run in runs if isinstance(run.get(key), int | float)]
            merged[key] = statistics.median(values)
    merged["runs"] = len(runs)
    merged["each_run"] = {name: [run.get(name) for run in runs] for name in TARGETS}
    merged["targets_met"] = targets_met(merged)
    return merged


if __name__ == "__main__":
    raise SystemExit(main())
