"""Scaling: how each cost grows with the meeting (1,000 / 5,000 / 20,000 / 50,000 participants).

Per size, in a fresh process (so RSS and caches start from zero), with the workloads of
``ingest.py``:

* sync_us_per_participant: parse + validate + apply of a whole sync, per participant;
* churn_apply_us_per_event: ``ConferenceStore.apply`` of pre-parsed churn events
  (updates, joins, leaves) against the synced roster, per event; and
  churn_pipeline_us_per_event: parse + validate + apply of the same events;
* rss_bytes_per_participant: resident memory the synced store added, per participant;
* render_ms_per_frame (unless ``--no-console``): the console's compositor time per frame,
  from ``tui_scale.py`` against ``pextui sim`` with N participants and a light churn.

Timings are the best of ``--rounds`` with the cyclic GC paused (as ``timeit`` does) on
this process's CPU clock. The costs that grow with the roster are memory-bound, and one
process's memory layout moves them by up to 1.5x from run to run, so each size is measured
in ``--repeat`` fresh processes, the sizes interleaved (1k, 5k, ..., 1k, 5k, ...); a size's
figure is the median of its processes (``runs`` lists them all), and the growth of each
per-event cost from the smallest to the largest size, a ratio of medians, is reported next
to the 1.3x target.

    python benchmarks/scaling.py [--sizes 1000,5000,20000,50000] [--rounds 3] [--repeat 3]
                                 [--churn-events 30000] [--no-console] [--json]
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import ingest

from pextui.conference import ConferenceStore
from pextui.protocol.models import Event, parse_event

HERE = Path(__file__).resolve().parent
TARGET_GROWTH = 1.3
PAGE = os.sysconf("SC_PAGE_SIZE")


def rss_bytes() -> int:
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * PAGE


def best_cpu(work: Callable[[Any], None], rounds: int, setup: Callable[[], Any]) -> float:
    """Best CPU time of ``rounds`` runs of ``work(setup())`` (the setup is not timed)."""
    best = float("inf")
    for _ in range(rounds):
        state = setup()
        gc.collect()
        gc.disable()
        try:
            started = time.process_time()
            work(state)
            best = min(best, time.process_time() - started)
        finally:
            gc.enable()
        del state
    return best


def measure_size(size: int, rounds: int, churn_count: int) -> dict[str, Any]:
    sync = ingest.sync_events(size, 1)
    gc.collect()
    before = rss_bytes()
    store = ConferenceStore(clock=lambda: 1_763_300_000.0)
    ingest.run_pipeline(sync, store)
    gc.collect()
    rss_per_participant = (rss_bytes() - before) / size
    del store
    churn = ingest.churn_events(size, churn_count, 1)  # after the RSS reading: its garbage
    # would otherwise be the memory the store reuses

    def fresh_store() -> ConferenceStore:
        return ConferenceStore(clock=lambda: 1_763_300_000.0)

    sync_s = best_cpu(lambda s: ingest.run_pipeline(sync, s), rounds, fresh_store)
    synced = ingest.synced_store(size, 1)
    parsed: list[Event] = [e for e in (parse_event(n, d) for n, d in churn) if e is not None]

    def apply_all(store: ConferenceStore) -> None:
        apply = store.apply
        for event in parsed:
            apply(event)

    apply_s = best_cpu(apply_all, rounds, synced)
    pipeline_s = best_cpu(lambda s: ingest.run_pipeline(churn, s), rounds, synced)
    return {
        "participants": size,
        "sync_us_per_participant": round(sync_s / len(sync) * 1e6, 3),
        "churn_apply_us_per_event": round(apply_s / len(parsed) * 1e6, 3),
        "churn_pipeline_us_per_event": round(pipeline_s / len(churn) * 1e6, 3),
        "rss_bytes_per_participant": round(rss_per_participant),
    }


def render_cost(size: int, seconds: float) -> float | None:
    """ms per compositor frame of the real console at ``size`` participants."""
    command = [sys.executable, str(HERE / "tui_scale.py"), "--json", "--participants", str(size)]
    command += ["--rate", "200", "--seconds", f"{seconds:g}"]
    done = subprocess.run(command, capture_output=True, text=True, timeout=600)
    if done.returncode != 0 or not done.stdout.strip():
        return None
    value = json.loads(done.stdout.strip().splitlines()[-1]).get("ms_per_frame")
    return float(value) if value is not None else None


def growth(rows: list[dict[str, Any]], key: str) -> float | None:
    first, last = rows[0].get(key), rows[-1].get(key)
    if not first or last is None:
        return None
    return round(last / first, 3)


def median_row(runs: list[dict[str, Any]]) -> dict[str, Any]:
    """Each figure's median over a size's processes, and every process's figures."""
    row: dict[str, Any] = {"participants": runs[0]["participants"]}
    for key in runs[0]:
        if key != "participants":
            row[key] = round(statistics.median(run[key] for run in runs), 3)
    row["runs"] = [{k: v for k, v in run.items() if k != "participants"} for run in runs]
    return row


def main() -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--sizes", default="1000,5000,20000,50000")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--repeat", type=int, default=3, help="fresh processes per size")
    parser.add_argument("--churn-events", type=int, default=30_000)
    parser.add_argument("--no-console", action="store_true", help="skip the render cost")
    parser.add_argument("--console-seconds", type=float, default=5.0)
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--one", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        print(json.dumps(measure_size(args.one, args.rounds, args.churn_events)))
        return 0
    sizes = [int(part) for part in args.sizes.split(",")]
    runs: dict[int, list[dict[str, Any]]] = {size: [] for size in sizes}
    for _ in range(args.repeat):
        for size in sizes:
            command = [sys.executable, __file__, "--one", str(size), "--rounds", str(args.rounds)]
            command += ["--churn-events", str(args.churn_events)]
            done = subprocess.run(command, capture_output=True, text=True, check=True, timeout=900)
            runs[size].append(json.loads(done.stdout.strip().splitlines()[-1]))
    rows = [median_row(runs[size]) for size in sizes]
    for row in rows:
        if not args.no_console:
            row["render_ms_per_frame"] = render_cost(row["participants"], args.console_seconds)
    keys = ["sync_us_per_participant", "churn_apply_us_per_event", "churn_pipeline_us_per_event"]
    growths = {key: growth(rows, key) for key in [*keys, "render_ms_per_frame"]}
    report = {
        "benchmark": "scaling",
        "statistic": (
            f"median of {args.repeat} fresh processes per size (interleaved), each the best of "
            f"{args.rounds} rounds, CPU clock, GC paused"
        ),
        "sizes": rows,
        "growth_first_to_last": growths,
        "target_max_growth": TARGET_GROWTH,
        "per_event_growth_within_target": all(
            (value := growths[key]) is not None and value <= TARGET_GROWTH for key in keys
        ),
    }
    if args.json:
        print(json.dumps(report, indent=2))
    else:
        for row in rows:
            print("  ".join(f"{key}={value}" for key, value in row.items() if key != "runs"))
        print("growth:", growths)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
