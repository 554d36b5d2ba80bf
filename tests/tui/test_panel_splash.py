"""The host panel shows the splash screen the simulator names (`--splash-screens`), in the
theme's words, and drops it when the simulator clears it."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from textual.widgets import Static

from pextui.sim.server import SimServer
from pextui.sim.splash import TEXTS, WELCOME
from tests.tui.console_helpers import running_console, sim_config


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
