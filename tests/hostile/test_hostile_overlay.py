"""Hostile overlay texts (and names) in the overlay-text dialog: shown literally, no escape
or control character on screen, a 100,000-character value cut short."""

from __future__ import annotations

from pextui.sim.server import SimServer
from pextui.tui.screens.overlay import OverlayTextDialog
from tests.chaos.chaos_console import running_console
from tests.chaos.chaos_helpers import chaos_config
from tests.hostile.corpus import BY_KEY, CORPUS, FORBIDDEN_IN_OUTPUT, LONG
from tests.hostile.hostile_setup import (
    add_hostile_participants,
    hostile_uuid,
    screen_text,
    terminal_output,
)

# the entries most likely to break a dialog (the console test covers all of them)
KEYS = ("markup-action", "markup-close", "osc52-clipboard", "bidi", "long")


async def test_overlay_dialog_shows_hostile_text_literally() -> None:
    with SimServer(chaos_config()) as sim:
        async with running_console(sim, size=(160, 50)) as console:
            add_hostile_participants(sim)  # each one's overlay text is its hostile name
            await console.until(
                lambda: all(hostile_uuid(e) in console.store.roster for e in CORPUS),
                5,
                "the hostile participants",
            )
            for entry in (BY_KEY[key] for key in KEYS):
                await console.cursor_on(hostile_uuid(entry))
                await console.press("o")
                await console.until(
                    lambda: isinstance(console.app.screen, OverlayTextDialog), 5, "the dialog"
                )
                await console.until(
                    lambda e=entry: screen_text(console.app).count(e.visible[:16]) >= 2,
                    5,
                    "the dialog drawn",
                )
                text = screen_text(console.app)
                output = terminal_output(console.app)
                # the name in the title line and the current overlay text ("Now: ...")
                assert text.count(entry.visible[:16]) >= 2, entry.key
                assert LONG[:300] not in text
                for sequence in FORBIDDEN_IN_OUTPUT:
                    assert sequence not in output, (entry.key, sequence)
                await console.press("escape")
                await console.until(
                    lambda: console.app.screen is console.screen, 5, "the dialog closed"
                )
