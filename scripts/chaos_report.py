"""Run the chaos suite and print its figures table (markdown, for the README).

    python scripts/chaos_report.py            # the short variants (about a minute)
    python scripts/chaos_report.py --long     # the full-length ones (about ten minutes)
    python scripts/chaos_report.py --json     # the figures as JSON instead

The table is also left in `--out` (default: chaos-report.md / .json in the working
directory). Exit status: pytest's.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--long", action="store_true", help="the full-length variants (-m slow)")
    parser.add_argument("--json", action="store_true", help="print JSON instead of markdown")
    parser.add_argument(
        "--out", type=Path, default=Path("chaos-report"), help="report path without suffix"
    )
    args = parser.parse_args()
    out = args.out.resolve()
    env = dict(os.environ, PEXTUI_CHAOS_REPORT=str(out))
    command = [sys.executable, "-m", "pytest", "tests/chaos", "-q", "-p", "no:cacheprovider"]
    if args.long:
        command += ["-m", "slow"]
    result = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True)
    report = out.with_name(out.name + (".json" if args.json else ".md"))
    if report.exists():
        print(report.read_text(), end="")
    else:
        print(result.stdout[-4000:], result.stderr[-2000:], sep="\n", file=sys.stderr)
    return result.returncode


if __name__ == "__main__":
    sys.exit(main())
