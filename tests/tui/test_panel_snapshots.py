"""Snapshots of the breakout view, the captions line and the slides pane (half-blocks).

Deterministic: fixed names joined over HTTP before the console, open-ended rooms, a frozen
clock, captions sent with fixed words, one presentation frame (no frame ticks after it).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import httpx
import pytest
from textual.pilot import Pilot
from textual.screen import Screen
from textual.widgets import DataTable

from pextui.protocol.client import JoinParams
from pextui.sim.server import SimServer
from pextui.tui.app import PextuiApp, make_app
from pextui.tui.screens.breakouts import BreakoutScreen
from pextui.tui.screens.conference import ConferenceScreen
from pextui.tui.widgets.captions import CaptionsLine
from pextui.tui.widgets.slides import SlidesPane
from tests.tui.console_helpers import ALIAS, HOST_PIN, sim_config

API = "/api/client/v2/conferences/"
GUESTS = ("Alice Johnson", "Bob Smith", "Carla Diaz", "[bold]Mallory[/bold]")
FROZEN = 1_700_000_000.0


@pytest.fixture
def workshop(monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[SimServer, dict[str, Any]]]:
    monkeypatch.setenv("PEXTUI_IMAGE", "halfcell")
    config = sim_config()
    config.timings.frame_interval = 10_000.0  # the first frame only
    with SimServer(config) as sim, httpx.Client(base_url=sim.base_url) as http:
        people: dict[str, Any] = {}
        for name in GUESTS:
            reply = http.post(
                API + ALIAS + "/request_token", json={"display_name": name}, headers={"pin": "none"}
            )
            result = reply.json()["result"]
            people[name] = (result["token"], result["participant_uuid"])
        yield sim, people


def console(sim: SimServer) -> PextuiApp:
    join = JoinParams(node_url=sim.base_url, alias=ALIAS, display_name="Host", pin=HOST_PIN)
    return make_app(join=join, clock=lambda: FROZEN, load_settings=False)


async def wait(pilot: Pilot[Any], condition: Callable[[], object]) -> None:
    for _ in range(300):
        if condition():
            return
        await pilot.pause(0.05)
    raise AssertionError("the screen did not settle")


def rooms_drawn(screen: Screen[Any]) -> bool:
    """Both rooms listed, one asking for help, and the people of the first one."""
    rooms = screen.query_one("#rooms", DataTable)
    people = screen.query_one("#people", DataTable)
    helps = [str(rooms.get_row_at(row)[-1]) for row in range(rooms.row_count)]
    return rooms.row_count == 2 and "HELP" in helps and people.row_count == 2


async def without_toasts(pilot: Pilot[Any]) -> None:
    """Clear the notifications and wait until their toasts are gone from the screen."""
    pilot.app.clear_notifications()
    await wait(pilot, lambda: not pilot.app.screen.query("Toast"))
    await pilot.pause()


async def joined(pilot: Pilot[Any]) -> PextuiApp:
    app = pilot.app
    assert isinstance(app, PextuiApp)
    await wait(
        pilot,
        lambda: (
            isinstance(app.screen, ConferenceScreen)
            and app.store is not None
            and len(app.store.roster) >= 1
            and app.connection.state == "live"
        ),
    )
    return app


def test_breakout_view(snap_compare: Any, workshop: tuple[SimServer, dict[str, Any]]) -> None:
    sim, people = workshop
    with httpx.Client(base_url=sim.base_url) as http:
        host = http.post(
            API + ALIAS + "/request_token",
            json={"display_name": "Planner"},
            headers={"pin": "1234"},
        ).json()["result"]
        for name, members in (("Team Amber", GUESTS[:2]), ("Team [red]Blue[/red]", GUESTS[2:])):
            body = {"name": name, "participants": {"main": [people[m][1] for m in members]}}
            http.post(API + ALIAS + "/breakouts", json=body, headers={"token": host["token"]})
        token, _ = people["Carla Diaz"]
        http.post(API + ALIAS + "/breakoutbuzz", headers={"token": token})

    async def open_view(pilot: Pilot[Any]) -> None:
        app = await joined(pilot)
        await wait(pilot, lambda: len(app.store.breakouts) == 2)  # type: ignore[union-attr]
        await pilot.press("b")
        await wait(pilot, lambda: isinstance(app.screen, BreakoutScreen))
        # the rooms with their people, and Carla's request for help, drawn by the view's tick
        await wait(pilot, lambda: rooms_drawn(app.screen))
        await without_toasts(pilot)

    assert snap_compare(console(sim), terminal_size=(100, 30), run_before=open_view)


def test_captions_line(snap_compare: Any, workshop: tuple[SimServer, dict[str, Any]]) -> None:
    sim, people = workshop

    async def captions(pilot: Pilot[Any]) -> None:
        app = await joined(pilot)
        await wait(pilot, lambda: len(app.store.roster) == len(GUESTS) + 1)  # type: ignore[union-attr]
        await pilot.press("C")
        conference = sim.node.conferences[ALIAS]
        await wait(pilot, lambda: conference.caption_viewers)
        speaker = people["[bold]Mallory[/bold]"][1]
        words = ["Let", "us", "[i]start[/i]", "with", "the", "numbers"]
        sim.run_on_loop(lambda: sim.node.captioner.send(conference, speaker, words, True))
        line = app.screen.query_one(CaptionsLine)
        await wait(pilot, lambda: "numbers" in line.render().plain)
        await without_toasts(pilot)

    assert snap_compare(console(sim), terminal_size=(100, 30), run_before=captions)


def test_slides_pane_half_blocks(
    snap_compare: Any, workshop: tuple[SimServer, dict[str, Any]]
) -> None:
    sim, people = workshop
    token, uuid = people["Alice Johnson"]
    with httpx.Client(base_url=sim.base_url) as http:
        http.post(API + ALIAS + f"/participants/{uuid}/take_floor", headers={"token": token})

    async def slides(pilot: Pilot[Any]) -> None:
        app = await joined(pilot)
        conference = sim.node.conferences[ALIAS]
        await wait(pilot, lambda: conference.frame_id == 1 and app.store.presentation_frame)  # type: ignore[union-attr]
        await pilot.press("w")
        pane = app.screen.query_one(SlidesPane)
        await wait(pilot, lambda: pane.query_one("#slide").image is not None)  # type: ignore[attr-defined]
        await without_toasts(pilot)

    assert snap_compare(console(sim), terminal_size=(100, 34), run_before=slides)
