"""Where a saved event log goes: the user's state directory, never the working directory."""

from __future__ import annotations

import time
from pathlib import Path

import platformdirs


def event_log_dir() -> Path:
    """The folder of saved event logs."""
    return Path(platformdirs.user_state_dir("pextui")) / "event-logs"


def new_event_log_path() -> Path:
    """A fresh file name in :func:`event_log_dir` (created private: mode 0700)."""
    folder = event_log_dir()
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    folder.chmod(0o700)
    stamp = time.strftime("%Y%m%d-%H%M%S")
    path = folder / f"pextui-events-{stamp}.log"
    serial = 1
    while path.exists():
        serial += 1
        path = folder / f"pextui-events-{stamp}-{serial}.log"
    return path
