"""Run a benchmark on two checkouts alternately (A, B, A, B, ...) and compare medians.

    python benchmarks/ab.py [--rounds 2] OLD_TREE NEW_TREE -- benchmarks/tui_scale.py \\
        --participants 20000 --rate 1000 --seconds 20 --repeat 3

Each round runs the benchmark (with ``--json``) in OLD_TREE, then in NEW_TREE, with that tree
first on ``PYTHONPATH`` and as the working directory, so each side imports its own pextui
(the same interpreter and dependencies). The machine is shared: interleaving spreads the
load's drift over both sides. Prints each run's figures and the medians of the numbers.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
from pathlib import Path
from typing import Any


def run(tree: Path, command: list[str]) -> dict[str, Any]:
    env = dict(os.environ, PYTHONPATH=str(tree))
    out = subprocess.run(
        [sys.executable, *command, "--json"],
        cwd=tree,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    try:  # one indented document (ingest.py), or a log whose last line is the JSON
        result: dict[str, Any] = json.loads(out)
    except json.JSONDecodeError:
        result = json.loads(out.strip().splitlines()[-1])
    return result


def medians(runs: list[dict[str, Any]]) -> dict[str, float]:
    keys = [k for k, v in runs[0].items() if isinstance(v, int | float) and not isinstance(v, bool)]
    return {k: statistics.median(float(r[k]) for r in runs if k in r) for k in keys}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("old", type=Path)
    parser.add_argument("new", type=Path)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("command", nargs=argparse.REMAINDER)
    args = parser.parse_args()
    command = [part for part in args.command if part != "--"]
    sides: dict[str, list[dict[str, Any]]] = {"old": [], "new": []}
    for round_ in range(args.rounds):
        for side in ("old", "new"):
            result = run(getattr(args, side), command)
            sides[side].append(result)
            print(json.dumps({"round": round_ + 1, "side": side, **result}), flush=True)
    old, new = medians(sides["old"]), medians(sides["new"])
    print(f"{'median':>26} {'old':>10} {'new':>10}")
    for key in old:
        print(f"{key:>26} {old[key]:>10.3f} {new.get(key, float('nan')):>10.3f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
