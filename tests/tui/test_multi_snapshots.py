"""Snapshots of two conferences with the tab strip (plain `def` tests: snap_compare runs its
own loop). Deterministic: the quiet scenario, fixed guests who join over plain HTTP before the
console, a frozen clock; the green room's speaker raised a hand after the console joined, so
its badge is marked."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from textual.pilot import Pilot

from pextui.sim.server import SimServer
from pextui.tui.app import PextuiApp, make_app
from pextui.tui.screens.conference import ConferenceScreen
from pextui.tui.widgets.conference_tabs import ConferenceTabs
from tests.tui.console_helpers import sim_config, until
from tests.tui.multi_helpers import GREEN, MAIN, host_join

API = "/api/client/v2/conferences/"
FROZEN = 1_700_000_000.0
MAIN_GUESTS = ("Alice Johnson", "Bob Smith", "Carla Diaz")
GREEN_GUESTS = ("Ben Tanaka", "[bold]Mallory[/bold]")


@pytest.fixture
def rooms() -> Iterator[tuple[SimServer, httpx.Client, dict[str, tuple[str, str]]]]:
    with SimServer(sim_config()) as sim, httpx.Client(base_url=sim.base_url) as http:
        tokens: dict[str, tuple[str, str]] = {}
        for alias, names, pin in ((MAIN, MAIN_GUESTS, "none"), (GREEN, GREEN_GUESTS, "5678")):
            for name in names:
                reply = http.post(
                    API + alias + "/request_token",
                    json={"display_name": name},
                    headers={"pin": pin},
                )
                result = reply.json()["result"]
                tokens[name] = (result["token"], result["participant_uuid"])
        yield sim, http, tokens


def two_rooms(sim: SimServer) -> PextuiApp:
    joins = [host_join(sim, MAIN), host_join(sim, GREEN)]
    return make_app(joins=joins, clock=lambda: FROZEN, load_settings=False)


def settle(
    http: httpx.Client, tokens: dict[str, tuple[str, str]]
) -> Any:  # the run_before coroutine
    async def run_before(pilot: Pilot[Any]) -> None:
        app = pilot.app
        assert isinstance(app, PextuiApp)

        def joined() -> bool:
            return (
                isinstance(app.screen, ConferenceScreen)
                and all(
                    c.store is not None and c.store.me is not None and c.connection.state == "live"
                    for c in app.consoles
                )
                and len(app.consoles) == 2
            )

        await until(
            pilot,
            lambda: joined() and len(app.consoles[0].store.roster) == 4,  # type: ignore[union-attr]
            "both conferences joined",
        )
        green = app.conferences.find(GREEN)
        assert green is not None
        # the watch has seen the green room's synced roster (a hand raised before is no news)
        await until(
            pilot,
            lambda: (tab := app.conferences.tab_of(green)) is not None and tab.seen.synced,
            "the green room's roster synced",
        )
        token, uuid = tokens["Ben Tanaka"]
        async with httpx.AsyncClient(base_url=str(http.base_url)) as client:
            await client.post(API + GREEN + f"/participants/{uuid}/buzz", headers={"token": token})
        strip = app.screen.query_one(ConferenceTabs)
        await until(
            pilot,
            lambda: "1 hand !" in strip.render().plain,  # type: ignore[union-attr]
            "the hand on the green tab",
        )
        app.clear_notifications()
        screen = app.screen
        assert isinstance(screen, ConferenceScreen)
        start = screen.painter.ticks
        while screen.painter.ticks < start + 3:
            await pilot.pause(0.02)

    return run_before


def test_two_conferences_with_the_tab_strip(snap_compare: Any, rooms: Any) -> None:
    sim, http, tokens = rooms
    assert snap_compare(two_rooms(sim), terminal_size=(120, 36), run_before=settle(http, tokens))


def test_two_conferences_80x24(snap_compare: Any, rooms: Any) -> None:
    sim, http, tokens = rooms
    assert snap_compare(two_rooms(sim), terminal_size=(80, 24), run_before=settle(http, tokens))
