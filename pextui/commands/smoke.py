"""`pextui demo --smoke`: the demo without a terminal, for checking an installation.

The console runs headless against the embedded simulator, waits until the roster has
synced, leaves the meeting and prints one JSON line: the version, the conference, the roster
size and the stylesheet files the console actually loaded (so an install check can see that
they came from the installed package). Exit 0 when the roster synced in time, else 1.
"""

from __future__ import annotations

import asyncio
import json
import time
from pathlib import Path
from typing import Any

from pextui import __version__

SMOKE_TIMEOUT_S = 60.0
SMOKE_SIZE = (120, 40)


def stylesheet_files(app: Any) -> list[str]:
    """The .tcss files in the app's stylesheet, as absolute paths."""
    paths = {
        str(Path(path).resolve()) for path, _ in app.stylesheet.source if path.endswith(".tcss")
    }
    return sorted(paths)


def synced(app: Any) -> bool:
    store = getattr(app, "store", None)
    return store is not None and not store.syncing and store.me is not None and bool(store.roster)


def run_smoke(app: Any, timeout_s: float = SMOKE_TIMEOUT_S) -> int:
    """Run `app` headless until its roster synced; print the summary line; 0 when it did."""
    summary: dict[str, Any] = {"version": __version__, "synced": False}

    async def pilot(_pilot: Any) -> None:
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            if synced(app):
                break
            await asyncio.sleep(0.1)
        if synced(app):
            summary.update(
                synced=True,
                conference=app.session.conference_name if app.session else None,
                roster=len(app.store.roster),
            )
        summary["stylesheets"] = stylesheet_files(app)
        await app.action_quit()  # leaves the meeting (releases the token) and exits

    app.run(headless=True, size=SMOKE_SIZE, auto_pilot=pilot)
    print(json.dumps(summary), flush=True)
    return 0 if summary["synced"] and summary["stylesheets"] else 1
