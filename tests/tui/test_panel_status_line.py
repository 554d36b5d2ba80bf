"""The status line under the status bar: the newer status fields a host cares about (end
time, classification, guests may not present, breakout rooms), and the splash screen the
simulator names (`--splash-screens`) in the theme's words, dropped when it is cleared."""

from __future__ import annotations

import re
import time
from collections.abc import Iterator

import pytest
from textual.widgets import Static

from pextui.sim.server import SimServer
from pextui.sim.splash import TEXTS, WELCOME
from tests.tui.console_helpers import ALIAS, running_console, sim_config


@pytest.fixture
def themed() -> Iterator[SimServer]:
    with SimServer(sim_config(theme=True)) as server:
        yield server


async def test_the_welcome_while_alone_goes_when_a_guest_joins(themed: SimServer) -> None:
    async with running_console(themed, ()) as console:
        info = console.screen.query_one("#panel-info", Static)
        welcome = f"splash: {TEXTS[WELCOME]}"
        await console.until(lambda: welcome in str(info.render()), "the welcome text")
        assert console.app.store.splash is not None
        await console.add_guest("Alice")
        await console.until(lambda: console.app.store.splash is None, "the splash cleared")
        await console.until(lambda: "splash:" not in str(info.render()), "the text gone")
        assert console.app.store.theme[WELCOME]["background"]["path"] == "background.jpg"


async def test_end_time_classification_presenting_and_rooms(simulator: SimServer) -> None:
    async with running_console(simulator, ("Alice",)) as console:
        info = console.screen.query_one("#panel-info", Static)
        conference = simulator.node.conferences[ALIAS]
        levels = {"0": "Official", "1": "[b]Secret[/b]"}
        status = {
            "end_time": time.time() + 3600,
            "classification": {"current": 1, "levels": levels},
            "guests_can_present": False,
        }
        simulator.run_on_loop(lambda: conference.set_status(**status))
        await console.until(lambda: "guests may not present" in str(info.render()), "status")
        line = str(info.render())
        assert re.search(r"ends in (59:\d\d|1:00:00)", line), line
        assert "classification: [b]Secret[/b]" in line  # literally
        assert "breakout room" not in line
        host = console.app.session
        assert host is not None
        await host.create_breakout("Side room")
        await console.until(lambda: "1 breakout room" in str(info.render()), "the room")
        simulator.run_on_loop(lambda: conference.set_status(guests_can_present=True))
        await console.until(lambda: "guests may not present" not in str(info.render()), "off")
