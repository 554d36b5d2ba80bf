"""The store's apply per churn event, counted: instructions and cache misses under callgrind.

Timings of the store's apply at 50,000 participants move by up to 1.5x from one process to
the next (memory layout, a shared machine); counts do not. For each size this runs a child
under valgrind's callgrind with its cache simulation (L1 data 32 KiB, last level 32 MiB,
64-byte lines: this machine's), and the child counts only the churn it applies: it builds
the synced store and parses the churn natively (instrumentation off), then switches
instrumentation on for ``--warmup`` events (code paths and caches warm; not counted) and
collection on for ``--events`` more. Per event it reports instructions (``Ir``), L1 data
read / write misses and last-level read / write misses (each a trip to memory), and the
growth of each from the smallest size to the largest.

Needs valgrind and a C compiler (a two-line helper that toggles callgrind is built into
``~/.cache/pextui-bench``). About 2 minutes per size.

    python benchmarks/apply_misses.py [--sizes 1000,50000] [--events 10000] [--json]
"""

from __future__ import annotations

import argparse
import ctypes
import gc
import json
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
CACHE = Path.home() / ".cache" / "pextui-bench"
EVENTS = ("Ir", "D1mr", "D1mw", "DLmr", "DLmw")
TOGGLE_C = """#include <valgrind/callgrind.h>
void start(void) { CALLGRIND_START_INSTRUMENTATION; }
void toggle(void) { CALLGRIND_TOGGLE_COLLECT; }
"""


def toggle_library() -> Path:
    """The helper library (built once) that switches callgrind on from Python."""
    CACHE.mkdir(parents=True, exist_ok=True)
    library = CACHE / "cgtoggle.so"
    if not library.exists():
        source = CACHE / "cgtoggle.c"
        source.write_text(TOGGLE_C)
        subprocess.run(
            ["cc", "-O2", "-shared", "-fPIC", "-o", str(library), str(source)], check=True
        )
    return library


def child(size: int, warmup: int, events: int, library: Path) -> None:
    """Build the store natively, then apply the churn with callgrind counting."""
    sys.path.insert(0, str(HERE))
    import ingest

    from pextui.conference import ConferenceStore
    from pextui.protocol.models import parse_event

    # As in scaling.py: a whole sync built and dropped first, so the store's memory is
    # reused memory, as in a console that has run for a while.
    sync = ingest.sync_events(size, 1)
    ingest.run_pipeline(sync, ConferenceStore(clock=lambda: 1_763_300_000.0))
    del sync
    churn = ingest.churn_events(size, warmup + events, 1)
    store = ingest.synced_store(size, 1)()
    parsed = [e for e in (parse_event(name, data) for name, data in churn) if e is not None]
    warm, counted = parsed[:warmup], parsed[warmup:]
    del churn, parsed
    toggle = ctypes.CDLL(str(library))
    apply = store.apply
    gc.collect()
    gc.disable()
    toggle.start()
    for event in warm:
        apply(event)
    toggle.toggle()
    for event in counted:
        apply(event)
    toggle.toggle()
    print(json.dumps({"counted_events": len(counted)}))


def totals(out_file: Path) -> dict[str, int]:
    """The collected totals of a callgrind output file."""
    names: list[str] = []
    values: list[int] = []
    for line in out_file.read_text().splitlines():
        if line.startswith("events:"):
            names = line.split()[1:]
        elif line.startswith(("summary:", "totals:")):
            values = [int(part) for part in line.split()[1:]]
    return dict(zip(names, values, strict=False))


def measure(size: int, warmup: int, events: int, library: Path) -> dict[str, Any]:
    with tempfile.TemporaryDirectory() as folder:
        out_file = Path(folder) / "callgrind.out"
        command = ["valgrind", "--tool=callgrind", "--cache-sim=yes"]
        command += ["--D1=32768,8,64", "--LL=33554432,16,64"]
        command += ["--instr-atstart=no", "--collect-atstart=no"]
        command += [f"--callgrind-out-file={out_file}", sys.executable, __file__]
        command += ["--child", str(size), "--warmup", str(warmup), "--events", str(events)]
        done = subprocess.run(command, capture_output=True, text=True, check=True, timeout=1800)
        counted = json.loads(done.stdout.strip().splitlines()[-1])["counted_events"]
        counts = totals(out_file)
    row: dict[str, Any] = {"participants": size, "events": counted}
    for name in EVENTS:
        row[f"{name}_per_event"] = round(counts.get(name, 0) / counted, 2)
    row["memory_trips_per_event"] = round(row["DLmr_per_event"] + row["DLmw_per_event"], 2)
    return row


def main() -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--sizes", default="1000,50000")
    parser.add_argument("--warmup", type=int, default=4000)
    parser.add_argument("--events", type=int, default=10000)
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--child", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    library = toggle_library()
    if args.child:
        child(args.child, args.warmup, args.events, library)
        return 0
    if shutil.which("valgrind") is None:
        print("apply_misses.py needs valgrind (apt-get install valgrind)", file=sys.stderr)
        return 2
    sizes = [int(part) for part in args.sizes.split(",")]
    rows = [measure(size, args.warmup, args.events, library) for size in sizes]
    keys = [f"{name}_per_event" for name in EVENTS] + ["memory_trips_per_event"]
    first, last = rows[0], rows[-1]
    report = {
        "benchmark": "apply_misses",
        "statistic": "callgrind counts per applied churn event (cache simulated)",
        "sizes": rows,
        "growth_first_to_last": {
            key: round(last[key] / first[key], 3) if first[key] else None for key in keys
        },
    }
    if args.json:
        print(json.dumps(report, indent=2))
    else:
        for row in rows:
            print("  ".join(f"{key}={value}" for key, value in row.items()))
        print("growth:", report["growth_first_to_last"])
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
