"""`pextui demo --smoke`: the demo without a terminal, for checking an installation.

The console runs headless against the embedded simulator (or, `pextui LINK... --smoke`, a
node), waits until every conference's roster has synced (or its join failed), leaves them
all and prints one JSON line: the version, the conference in front and its roster size,
every conference (alias, name, role, roster, state), and the stylesheet files the console actually
loaded (so an install check can see that they came from the installed package). Exit 0
when every roster synced in time, else 1.
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


def store_synced(store: Any) -> bool:
    return store is not None and not store.syncing and store.me is not None and bool(store.roster)


def synced(app: Any) -> bool:
    """Every conference's roster synced (the front one at least: a console with none)."""
    consoles = list(getattr(app, "consoles", ()))
    return bool(consoles) and all(store_synced(console.store) for console in consoles)


def settled(app: Any) -> bool:
    """Nothing more to wait for: each conference synced or failed for good."""
    consoles = list(getattr(app, "consoles", ()))
    return bool(consoles) and all(
        store_synced(c.store) or (c.store is None and c.connection.state == "ended")
        for c in consoles
    )


def describe(console: Any) -> dict[str, Any]:
    store = console.store
    ok = store_synced(store)
    return {
        "alias": console.alias,
        "conference": console.title,
        "role": console.role,
        "roster": len(store.roster) if store is not None else 0,
        "state": "synced" if ok else console.connection.state,
        "reason": "" if ok else console.connection.detail,
    }


def run_smoke(app: Any, timeout_s: float = SMOKE_TIMEOUT_S) -> int:
    """Run `app` headless until its rosters synced; print the summary line; 0 when they did."""
    summary: dict[str, Any] = {"version": __version__, "synced": False}

    async def pilot(_pilot: Any) -> None:
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            if settled(app):
                break
            await asyncio.sleep(0.1)
        if synced(app):
            summary.update(
                synced=True,
                conference=app.session.conference_name if app.session else None,
                roster=len(app.store.roster),
            )
        summary["conferences"] = [describe(console) for console in app.consoles]
        summary["stylesheets"] = stylesheet_files(app)
        await app.action_quit()  # leaves every meeting (releases the tokens) and exits

    app.run(headless=True, size=SMOKE_SIZE, auto_pilot=pilot)
    print(json.dumps(summary), flush=True)
    return 0 if summary["synced"] and summary["stylesheets"] else 1
