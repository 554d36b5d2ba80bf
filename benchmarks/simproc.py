"""Start and stop a `pextui sim` process on an ephemeral loopback port (for benchmarks)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ALIAS = "meet.demo"
HOST_PIN = "1234"
_PREFIX = "pextui sim listening on "


def pextui_root() -> Path:
    """The checkout whose `pextui` this process imports (another one's, under `ab.py`)."""
    import pextui

    return Path(pextui.__file__).resolve().parent.parent


def start_sim(participants: int, rate: float) -> tuple[subprocess.Popen[str], str]:
    """`pextui sim --port 0 --scenario quiet` with N participants and R churn events/s, from
    the checkout this process imports; returns the process and its base URL (127.0.0.1)."""
    process = subprocess.Popen(
        [
            *(sys.executable, "-m", "pextui", "sim", "--host", "127.0.0.1", "--port", "0"),
            *("--scenario", "quiet", "--participants", str(participants), "--churn", f"{rate:g}"),
        ],
        stdout=subprocess.PIPE,
        text=True,
        cwd=pextui_root(),  # `python -m` imports from its working directory first
    )
    assert process.stdout is not None
    first = process.stdout.readline().strip()
    if not first.startswith(_PREFIX):
        process.kill()
        process.wait(10)
        raise SystemExit(f"unexpected first line from pextui sim: {first!r}")
    return process, first[len(_PREFIX) :]


def stop_sim(process: subprocess.Popen[str]) -> None:
    process.terminate()
    try:
        process.wait(20)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(10)


def process_cpu_s(pid: int | None) -> float | None:
    """User + system CPU seconds of process `pid` so far (Linux /proc), or None."""
    if pid is None:
        return None
    try:
        with open(f"/proc/{pid}/stat") as stat:
            fields = stat.read().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
