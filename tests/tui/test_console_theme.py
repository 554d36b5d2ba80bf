"""A theme picked in the command palette is saved to the config file and used next time."""

from __future__ import annotations

from pathlib import Path

import pytest

from pextui.config import load_config
from pextui.sim.server import SimServer
from pextui.tui.app import make_app
from tests.tui.console_helpers import run_from_palette, running_console, until


async def test_palette_theme_is_saved_and_used_on_the_next_start(
    simulator: SimServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    config_file = tmp_path / "config.toml"
    monkeypatch.setenv("PEXTUI_CONFIG", str(config_file))
    async with running_console(simulator, load_settings=True) as console:
        assert console.app.theme == "textual-dark"
        assert not config_file.exists()  # the default theme is not written on its own
        await run_from_palette(console, "theme", "Theme")
        await run_from_palette(console, "nord", "nord")
        await console.until(lambda: console.app.theme == "nord", "the nord theme")
        await console.until(config_file.exists, "the config file")
        assert load_config().theme == "nord"
    again = make_app()  # the next start: the connect screen, with the saved theme
    async with again.run_test() as pilot:
        await until(pilot, lambda: again.theme == "nord", "the saved theme on start")
