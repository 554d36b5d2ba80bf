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
  the window. "Sent" is counted by a second subscriber in a small child process
  (`console_counter.py`), reading the same conference's stream and counting frames
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

Targets: up to 20,000 participants `TARGETS`; above, `LARGE_TARGETS` (initial sync <= 3 s,
RSS <= 400 MB). The pieces: `console_drive.py` (the run), `console_probe.py` (the hooks),
`console_counter.py` (the counting child and the sim control), `simproc.py` (the sim).
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import importlib.util
import json
import resource
import statistics
import subprocess
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if importlib.util.find_spec("pextui") is None:  # else: the one given (ab.py's PYTHONPATH)
    sys.path.insert(0, str(ROOT))

from console_drive import drive  # noqa: E402 (after the path set-up)
from console_probe import PROBE, install_hooks  # noqa: E402
from simproc import start_sim, stop_sim  # noqa: E402

TARGETS = {
    "initial_sync_ms": ("<=", 1500.0),
    "applied_ratio": (">=", 0.99),
    "loop_delay_p99_ms": ("<=", 20.0),
    "key_to_render_p95_ms": ("<=", 50.0),
    "rss_mb": ("<=", 250.0),
}
"""Up to 20,000 participants (at 1,000 events/s)."""

LARGE_TARGETS = {**TARGETS, "initial_sync_ms": ("<=", 3000.0), "rss_mb": ("<=", 400.0)}
"""Above 20,000 participants (50,000 at 2,000 events/s)."""


def targets_for(participants: int) -> dict[str, tuple[str, float]]:
    return LARGE_TARGETS if participants > 20_000 else TARGETS


def measure(
    participants: int,
    rate: float,
    seconds: float,
    size: tuple[int, int],
    profile: Path | None,
    gc_freeze: bool = False,
    stalls_ms: float | None = None,
) -> dict[str, Any]:
    install_hooks()
    process, base_url = start_sim(participants, rate)
    PROBE.sim_pid = process.pid
    try:
        result = {"participants": participants, "rate": rate, "size": f"{size[0]}x{size[1]}"}
        result.update(
            asyncio.run(drive(base_url, rate, seconds, size, profile, gc_freeze, stalls_ms))
        )
    finally:
        stop_sim(process)
    result["rss_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)
    result["targets_met"] = targets_met(result)
    return result


def targets_met(result: dict[str, Any]) -> dict[str, bool | None]:
    met: dict[str, bool | None] = {}
    for name, (op, limit) in targets_for(int(result.get("participants", 0))).items():
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
    parser.add_argument(
        "--stalls",
        type=float,
        metavar="MS",
        help="sample the main thread's stack while the loop is late by more than MS "
        "(console_stalls.py); adds stall_report",
    )
    parser.add_argument("--repeat", type=int, default=1, help="runs; medians are reported")
    parser.add_argument("--json", action="store_true", help="machine-readable output")
    args = parser.parse_args()
    if args.gc_threshold:
        gc.set_threshold(*(int(part) for part in args.gc_threshold.split(",")))
    if args.repeat > 1:
        result = median_of([run_child(args) for _ in range(args.repeat)])
    else:
        result = measure(
            args.participants,
            args.rate,
            args.seconds,
            args.size,
            args.profile,
            args.gc_freeze,
            args.stalls,
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
    command += ["--stalls", f"{args.stalls:g}"] if args.stalls else []
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
