"""Snapshot of the attended-transfer consult view: the green room in front, Ben Tanaka
marked for the main room, the consult panel with the main room's hosts, roster and keys.

Deterministic: the quiet scenario, SIP participants with fixed names, a frozen clock.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from textual.pilot import Pilot
from textual.widgets import Input

from pextui.protocol.client import JoinParams
from pextui.sim.server import SimServer
from pextui.tui.app import PextuiApp, make_app
from pextui.tui.screens.conference import ConferenceScreen
from pextui.tui.screens.consult import is_consult_dialog
from pextui.tui.widgets.roster import Roster
from tests.tui.attended_helpers import GREEN, MAIN, add_sip
from tests.tui.console_helpers import HOST_PIN, sim_config, until

FROZEN = 1_700_000_000.0


@pytest.fixture
def rooms() -> Iterator[tuple[SimServer, str]]:
    with SimServer(sim_config()) as sim:
        speaker = add_sip(sim, GREEN, "Ben Tanaka")
        add_sip(sim, GREEN, "Rita [b]Okafor[/b]")
        add_sip(sim, MAIN, "Mia Stage", role="chair", direct_chat=True)
        add_sip(sim, MAIN, "Guest Audience")
        yield sim, speaker


def console(sim: SimServer) -> PextuiApp:
    joins = [
        JoinParams(node_url=sim.base_url, alias=alias, display_name="Host", pin=HOST_PIN)
        for alias in (GREEN, MAIN)
    ]
    return make_app(joins=joins, clock=lambda: FROZEN, load_settings=False)


async def _wait(pilot: Pilot[Any], condition: Any) -> None:
    await until(pilot, condition, "the scene")


def consult_open(speaker: str) -> Any:
    async def run_before(pilot: Pilot[Any]) -> None:
        app = pilot.app
        assert isinstance(app, PextuiApp)

        def live(alias: str) -> bool:
            found = app.conferences.find(alias)
            return bool(found and found.store and found.connection.state == "live")

        await _wait(pilot, lambda: live(GREEN) and live(MAIN))
        green = app.conferences.find(GREEN)
        await _wait(
            pilot,
            lambda: (
                isinstance(app.screen, ConferenceScreen)
                and app.screen.console is green
                and speaker in app.screen.store.roster
            ),
        )
        screen = app.screen
        assert isinstance(screen, ConferenceScreen)
        screen.go_to_participant(speaker)
        await _wait(pilot, lambda: screen.query_one(Roster).cursor_uuid == speaker)
        await pilot.press("T")
        # the dialog composes on a later turn (under load it was current with no fields yet)
        await _wait(pilot, lambda: is_consult_dialog(app.screen) and app.screen.query("#message"))
        app.screen.query_one("#alias", Input).value = MAIN
        message = app.screen.query_one("#message", Input)
        message.focus()
        await _wait(pilot, lambda: message.has_focus)  # focus moves on a later turn too
        await pilot.press("enter")
        await _wait(
            pilot,
            lambda: (
                app.screen is screen
                and (view := screen.consult.shown()) is not None
                and view.message_state == "sent"
            ),
        )
        app.clear_notifications()
        start = screen.painter.ticks
        await _wait(pilot, lambda: screen.painter.ticks >= start + 3)

    return run_before


def test_consult_view(snap_compare: Any, rooms: tuple[SimServer, str]) -> None:
    sim, speaker = rooms
    assert snap_compare(console(sim), terminal_size=(120, 36), run_before=consult_open(speaker))


def test_consult_view_at_80x24(snap_compare: Any, rooms: tuple[SimServer, str]) -> None:
    """Narrow: the row's mark in short ("→meet.demo"), the columns in place; the panel
    spells it out ("transfer pending to meet.demo")."""
    sim, speaker = rooms
    assert snap_compare(console(sim), terminal_size=(80, 24), run_before=consult_open(speaker))
