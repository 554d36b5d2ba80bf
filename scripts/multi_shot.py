"""The two-conference screenshot for scripts/screenshots.py: `pextui demo`'s two tabs.

The demo's simulator (seed 1) with the green room (`meet.board`) filled as `pextui demo`
does; the console joins both as host, the main room in front; once both rosters are in, a
speaker in the green room raises a hand, so its badge is marked. The scenario runs on while
the picture is taken, so the main room's roster and stage may differ from run to run.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any

TWO_CONFERENCES = "two-conferences"


async def two_conferences_shot(
    shooter: Any,
    start_sim: Callable[[], Any],
    settle: Callable[..., Any],
    until: Callable[..., Any],
    size: tuple[int, int],
    app_now: float,
    pin: str,
) -> None:
    from pextui.commands.demo import GREEN_ROOM_ALIAS, GREEN_ROOM_SPEAKERS, fill_green_room
    from pextui.protocol.client import JoinParams
    from pextui.tui.app import make_app
    from pextui.tui.screens.conference import ConferenceScreen

    sim = start_sim()
    try:
        fill_green_room(sim)
        joins = [
            JoinParams(node_url=sim.base_url, alias=alias, display_name="Host", pin=pin)
            for alias in ("meet.demo", GREEN_ROOM_ALIAS)
        ]
        app = make_app(joins=joins, clock=lambda: app_now, load_settings=False)
        async with app.run_test(size=size) as pilot:

            def joined() -> bool:
                return isinstance(app.screen, ConferenceScreen) and all(
                    c.store is not None and c.store.me is not None for c in app.consoles
                )

            await until(joined, 60, "both conferences")
            await settle(pilot, 1.0)  # the background watch has seen the green room
            room = sim.node.conferences[GREEN_ROOM_ALIAS]
            speaker = next(
                p for p in room.participants.values() if p.display_name == GREEN_ROOM_SPEAKERS[0]
            )
            sim.run_on_loop(lambda: room.update(speaker, buzz_time=round(room.clock(), 3)))
            await until(lambda: "!" in str(app.screen.query_one("#tabs").render()), 10, "badge")
            await settle(pilot, 0.5)
            shooter.shoot(app, TWO_CONFERENCES, "pextui demo: two conferences")
            await app.leave()
            await asyncio.sleep(0)
    finally:
        sim.stop()
