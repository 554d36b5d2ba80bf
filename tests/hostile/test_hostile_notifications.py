"""Hostile text in notifications: a transferred participant's name and the server's
disconnect reason are shown literally in the toast (markup such as `[/]` or
`[@click=app.quit]` is neither interpreted nor allowed to break the console)."""

from __future__ import annotations

import pytest
from chaos_console import running_console
from chaos_helpers import chaos_config
from corpus import BY_KEY, FORBIDDEN_IN_OUTPUT, unsafe_characters
from hostile_setup import add_hostile_participants, hostile_uuid, screen_text, terminal_output
from textual.widgets import Input

from pextui.sim.server import SimServer
from pextui.tui.screens.confirm import ConfirmScreen
from pextui.tui.screens.transfer import TransferDialog

MARKUP = ("markup-action", "markup-close", "markup-link", "markup-bold", "osc52-clipboard")


@pytest.mark.parametrize("key", MARKUP)
async def test_transfer_notification_shows_the_name_literally(key: str) -> None:
    entry = BY_KEY[key]
    with SimServer(chaos_config()) as sim:
        async with running_console(sim, size=(160, 40)) as console:
            add_hostile_participants(sim)
            uuid = hostile_uuid(entry)
            await console.until(lambda: uuid in console.store.roster, 5, "the participant")
            await console.cursor_on(uuid)
            await console.press("t")
            dialog = await console.until(
                lambda: isinstance(console.app.screen, TransferDialog) and console.app.screen,
                5,
                "the transfer dialog",
            )
            dialog.query_one("#alias", Input).value = "meet.board"
            dialog.query_one("#pin", Input).value = "5678"
            dialog.action_submit()
            await console.until(
                lambda: any(n.title == "Transferred" for n in console.notifications),
                10,
                "the transfer notification",
            )
            await console.pilot.pause(0.2)
            assert console.app.is_running
            output = terminal_output(console.app)
            assert entry.visible[:20] in screen_text(console.app)
            for sequence in FORBIDDEN_IN_OUTPUT:
                assert sequence not in output


@pytest.mark.parametrize("key", MARKUP)
async def test_disconnect_reason_is_shown_literally(key: str) -> None:
    entry = BY_KEY[key]
    with SimServer(chaos_config()) as sim:
        async with running_console(sim, size=(160, 40)) as console:
            session = console.app.session
            assert session is not None
            conference = sim.node.conferences["meet.demo"]
            sim.run_on_loop(lambda: conference.remove(session.participant_uuid, entry.text))
            dialog = await console.until(
                lambda: isinstance(console.app.screen, ConfirmScreen) and console.app.screen,
                10,
                "the disconnected dialog",
            )
            await console.pilot.pause(0.2)
            assert console.app.is_running
            assert entry.visible[:20] in dialog.question
            assert unsafe_characters(dialog.question) == []
            output = terminal_output(console.app)
            assert screen_text(console.app).count(entry.visible[:20]) >= 2  # dialog + toast
            for sequence in FORBIDDEN_IN_OUTPUT:
                assert sequence not in output
