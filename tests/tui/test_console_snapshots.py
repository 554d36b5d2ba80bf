"""Snapshots of the conference screen (plain `def` tests: snap_compare runs its own loop).

Deterministic: the quiet scenario, guests with fixed names who join over plain HTTP before
the console, a frozen clock (durations show as "<1m" / "0:00"), sort by name.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from textual.pilot import Pilot
from textual.widgets import Input

from pextui.protocol.client import JoinParams
from pextui.sim.server import SimServer
from pextui.tui.app import PextuiApp, make_app
from pextui.tui.screens.conference import ConferenceScreen
from pextui.tui.screens.transfer import TransferDialog
from tests.tui.console_helpers import ALIAS, HOST_PIN, sim_config, until

API = "/api/client/v2/conferences/"
GUESTS = ("Alice Johnson", "Bob Smith", "Carla Diaz", "[bold]Mallory[/bold]\x1b[31m")
FROZEN = 1_700_000_000.0


@pytest.fixture
def meeting() -> Iterator[SimServer]:
    """A simulator with four guests; Bob raised his hand."""
    with SimServer(sim_config()) as sim, httpx.Client(base_url=sim.base_url) as http:
        tokens: dict[str, tuple[str, str]] = {}
        for name in GUESTS:
            reply = http.post(
                API + ALIAS + "/request_token", json={"display_name": name}, headers={"pin": "none"}
            )
            result = reply.json()["result"]
            tokens[name] = (result["token"], result["participant_uuid"])
        token, uuid = tokens["Bob Smith"]
        http.post(API + ALIAS + f"/participants/{uuid}/buzz", headers={"token": token})
        yield sim


def console(sim: SimServer) -> PextuiApp:
    join = JoinParams(node_url=sim.base_url, alias=ALIAS, display_name="Host", pin=HOST_PIN)
    return make_app(join=join, clock=lambda: FROZEN, load_settings=False)


async def settled(pilot: Pilot[Any]) -> None:
    app = pilot.app
    assert isinstance(app, PextuiApp)
    await until(
        pilot,
        lambda: (
            isinstance(app.screen, ConferenceScreen)
            and (store := app.store) is not None
            and len(store.roster) == len(GUESTS) + 1
            and store.raised_hands
            and app.connection.state == "live"
        ),
        "the whole roster, live, with a raised hand",
    )
    # The roster's title (its counts) is redrawn at most every 0.25 s: wait until it says
    # the whole roster, and the status bar has drawn the raised hand.
    screen = app.screen
    assert isinstance(screen, ConferenceScreen)
    expected = f"Participants {len(GUESTS) + 1} "
    await until(
        pilot,
        lambda: (
            expected in str(screen.query_one("#left").border_title)
            and "1 hand" in str(screen.query_one("#status").render())
        ),
        "the roster's title and the status bar",
    )
    start = screen.painter.ticks
    while screen.painter.ticks < start + 2:  # two more redraws: nothing left to draw
        await pilot.pause(0.02)


def test_conference_screen(snap_compare: Any, meeting: SimServer) -> None:
    assert snap_compare(console(meeting), terminal_size=(120, 36), run_before=settled)


def test_conference_screen_80x24(snap_compare: Any, meeting: SimServer) -> None:
    assert snap_compare(console(meeting), terminal_size=(80, 24), run_before=settled)


def test_transfer_dialog_over_the_conference(snap_compare: Any, meeting: SimServer) -> None:
    async def open_transfer(pilot: Pilot[Any]) -> None:
        await settled(pilot)
        await pilot.press("down", "t")
        dialog = await until(
            pilot,
            lambda: (
                isinstance(pilot.app.screen, TransferDialog)
                and pilot.app.screen.query("#alias")
                and pilot.app.screen
            ),
            "the transfer dialog",
        )
        alias = dialog.query_one("#alias", Input)
        await until(pilot, lambda: alias.has_focus, "the alias field's focus")
        await pilot.press(*"meet.board")
        await until(pilot, lambda: alias.value == "meet.board", "the alias typed")
        await pilot.pause()

    assert snap_compare(console(meeting), terminal_size=(120, 36), run_before=open_transfer)
