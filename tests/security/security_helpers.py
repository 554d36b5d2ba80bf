"""Running pextui commands as separate processes, with a private home, config and state."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

PEXTUI = [sys.executable, "-m", "pextui"]


def private_env(home: Path, **extra: str) -> dict[str, str]:
    """An environment whose config, state and log files all land under `home`."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PEXTUI_", "XDG_"))}
    env.update(
        HOME=str(home),
        XDG_CONFIG_HOME=str(home / "config"),
        XDG_STATE_HOME=str(home / "state"),
        XDG_CACHE_HOME=str(home / "cache"),
        XDG_DATA_HOME=str(home / "data"),
        PEXTUI_CONFIG=str(home / "config" / "pextui" / "config.toml"),
        PYTHONUNBUFFERED="1",
    )
    env.update(extra)
    return env


def run_pextui(
    *args: str, env: dict[str, str], timeout: float = 30.0
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*PEXTUI, *args], env=env, capture_output=True, text=True, timeout=timeout, check=False
    )


def files_under(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*") if p.is_file())
