"""80x24: the footer keeps the keys that fit (each with its label); a long presenter name is
cut with an ellipsis in the status bar instead of crowding it."""

from __future__ import annotations

from console_helpers import ALIAS, running_console
from rich.cells import cell_len
from textual.widgets import Footer

from pextui.sim.server import SimServer
from pextui.tui.widgets.status_bar import StatusBar

LONG_NAME = "Professor Maximiliana Featherstonehaugh-Cholmondeley of the Board"


def footer_keys(footer: Footer) -> dict[str, tuple[int, int]]:
    """Each shown key's label -> (left, right) cell of its region."""
    return {
        key.description: (key.region.x, key.region.right)
        for key in footer.query("FooterKey")
        if not key.has_class("-command-palette")
    }


async def test_footer_fits_80_columns_and_widens_again(simulator: SimServer) -> None:
    async with running_console(simulator, size=(80, 24)) as console:
        footer = console.screen.query_one(Footer)
        await console.until(lambda: footer.query("FooterKey"), "footer keys")
        palette = footer.query_one("FooterKey.-command-palette").region
        keys = footer_keys(footer)
        assert {"Mute", "Video", "Transfer", "Kick", "Help"} <= keys.keys(), keys
        assert all(right <= palette.x for _, right in keys.values()), (keys, palette)
        assert "Sort" not in keys
        await console.pilot.resize_terminal(140, 30)
        await console.until(lambda: "Sort" in footer_keys(footer), "more keys when wider")
        assert all(right <= 140 for _, right in footer_keys(footer).values())


async def test_long_presenter_name_is_cut_with_an_ellipsis(simulator: SimServer) -> None:
    async with running_console(simulator, guests=("Alice",), size=(80, 24)) as console:
        presenter = await console.add_guest(LONG_NAME)
        conference = simulator.node.conferences[ALIAS]
        simulator.run_on_loop(lambda: conference.start_presentation(presenter.participant_uuid))
        bar = console.screen.query_one(StatusBar)
        await console.until(lambda: "presenting" in console.status_text(), "the presenter shown")
        line = console.status_text().splitlines()[1]
        assert cell_len(line) <= bar.size.width, line
        assert "hands" in line and "presenting: Profes" in line, line
        assert line.rstrip().endswith("…") and LONG_NAME not in line, line
