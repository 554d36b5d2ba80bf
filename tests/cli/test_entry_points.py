"""`python -m pextui` is the `pextui` command; `pextui demo --smoke` runs the demo headless."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from pextui import __version__

SCRIPT = Path(sys.executable).parent / "pextui"  # the console script pip wrote


def private_env(home: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PEXTUI_", "XDG_"))}
    env.update(
        XDG_CONFIG_HOME=str(home / "config"),
        XDG_STATE_HOME=str(home / "state"),
        PEXTUI_CONFIG=str(home / "config.toml"),
    )
    return env


def both(args: list[str], home: Path) -> tuple[subprocess.CompletedProcess[str], ...]:
    runs = []
    for argv in ([str(SCRIPT)], [sys.executable, "-m", "pextui"]):
        runs.append(
            subprocess.run(
                [*argv, *args],
                env=private_env(home),
                capture_output=True,
                text=True,
                timeout=60,
                cwd=home,
            )
        )
    return tuple(runs)


@pytest.mark.skipif(not SCRIPT.exists(), reason="pextui is not installed as a console script")
@pytest.mark.parametrize(
    "args",
    [
        ["--version"],
        ["--help"],
        ["serve", "--help"],
        ["demo", "--help"],
        ["link", "parse", "https://node.example.com/webapp/conference/meet.alice?name=Ann"],
        ["serve", "--host", "0.0.0.0", "demo"],  # refused: exit 2 with the same message
        ["do", "--no-such-option"],
    ],
)
def test_python_m_pextui_is_pextui(args: list[str], tmp_path: Path) -> None:
    script, module = both(args, tmp_path)
    assert (script.returncode, script.stdout, script.stderr) == (
        module.returncode,
        module.stdout,
        module.stderr,
    )
    assert script.stdout or script.stderr
    if args == ["--version"]:
        assert script.stdout.strip() == f"pextui {__version__}"


def test_demo_smoke_runs_headless_until_the_roster_synced(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "pextui", "demo", "--smoke", "--participants", "5"],
        env=private_env(tmp_path),
        capture_output=True,
        text=True,
        timeout=90,
        cwd=tmp_path,
    )
    assert result.returncode == 0, result.stderr
    summary = json.loads(result.stdout.strip().splitlines()[-1])
    assert summary["synced"] is True and summary["version"] == __version__
    assert summary["conference"] == "Demo Meeting"
    assert summary["roster"] >= 5  # the extra participants, the demo's cast and the host
    assert summary["stylesheets"] and all(Path(p).is_file() for p in summary["stylesheets"])
    assert all(p.endswith(".tcss") for p in summary["stylesheets"])
