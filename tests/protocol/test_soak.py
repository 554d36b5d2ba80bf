"""The soak run (benchmarks/soak.py) as a marked long test: 30 minutes by default.

    PEXTUI_SOAK_MINUTES=30 .venv/bin/python -m pytest -m slow tests/protocol/test_soak.py

Resource growth only (RSS, open fds, asyncio tasks): no timing is asserted.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

SOAK = Path(__file__).resolve().parents[2] / "benchmarks" / "soak.py"


@pytest.mark.slow
@pytest.mark.timeout(7200)
def test_a_long_session_keeps_its_resources_flat() -> None:
    minutes = float(os.environ.get("PEXTUI_SOAK_MINUTES", "30"))
    warmup = min(2.0, minutes / 3)
    command = [sys.executable, str(SOAK), "--json", "--minutes", f"{minutes:g}"]
    done = subprocess.run(
        [*command, "--warmup", f"{warmup:g}"],
        capture_output=True,
        text=True,
        timeout=minutes * 60 + 600,
        check=True,
    )
    report = json.loads(done.stdout)
    assert report["enough_samples"], report
    assert report["stream_connections"] >= 2, "the stream was never dropped"
    assert report["applied"] > 0
    assert report["targets_met"] == {"rss_growth": True, "fds": True, "tasks": True}, report
