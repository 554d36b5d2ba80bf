"""Hostile text in notifications: a transferred participant's name and the server's
disconnect reason are shown literally in the toast (markup such as `[/]` or
`[@click=app.quit]` is neither interpreted nor allowed to break the console)."""

from __future__ import annotations

from textual.widgets import Input

from pextui.sim.server import SimServer
from pextui.tui.screens.conference import ConferenceScreen
from pextui.tui.screens.confirm import ConfirmScreen
from pextui.tui.screens.transfer import TransferDialog
from tests.chaos.chaos_console import Console, running_console
from tests.chaos.chaos_helpers import chaos_config
from tests.hostile.corpus import BY_KEY, FORBIDDEN_IN_OUTPUT, Hostile, unsafe_characters
from tests.hostile.hostile_setup import (
    add_hostile_participants,
    hostile_uuid,
    screen_text,
    terminal_output,
)

MARKUP = ("markup-action", "markup-close", "markup-link", "markup-bold", "osc52-clipboard")


def assert_harmless(console: Console) -> None:
    assert console.app.is_running
    output = terminal_output(console.app)
    for sequence in FORBIDDEN_IN_OUTPUT:
        assert sequence not in output


async def transfer(console: Console, entry: Hostile) -> None:
    uuid = hostile_uuid(entry)
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
        lambda: entry.visible[:20] in screen_text(console.app) and uuid not in console.store.roster,
        10,
        f"the transfer notification of {entry.key}",
    )


async def test_transfer_notifications_show_names_literally() -> None:
    with SimServer(chaos_config()) as sim:
        async with running_console(sim, size=(160, 40)) as console:
            add_hostile_participants(sim)
            await console.until(
                lambda: all(hostile_uuid(BY_KEY[k]) in console.store.roster for k in MARKUP),
                5,
                "the hostile participants",
            )
            for key in MARKUP:
                await transfer(console, BY_KEY[key])
                assert_harmless(console)

            # The screen reports a settled transfer on its next refresh, after the store
            # saw the participant leave: wait for the last one, then count exactly.
            def shown() -> list[str]:
                return [n.message for n in console.notifications if n.title == "Transferred"]

            await console.until(lambda: len(shown()) >= len(MARKUP), 5, "every notification")
            assert len(shown()) == len(MARKUP)


async def test_disconnect_reasons_are_shown_literally() -> None:
    with SimServer(chaos_config()) as sim:
        async with running_console(sim, size=(160, 40)) as console:
            conference = sim.node.conferences["meet.demo"]
            for key in MARKUP:
                entry = BY_KEY[key]
                session = console.app.session
                assert session is not None
                uuid = session.participant_uuid
                sim.run_on_loop(lambda u=uuid, e=entry: conference.remove(u, e.text))
                dialog = await console.until(
                    lambda: isinstance(console.app.screen, ConfirmScreen) and console.app.screen,
                    10,
                    "the disconnected dialog",
                )
                await console.until(
                    lambda e=entry: screen_text(console.app).count(e.visible[:20]) >= 2,
                    10,
                    "the dialog and the toast drawn",
                )
                assert entry.visible[:20] in dialog.question
                assert unsafe_characters(dialog.question) == []
                # the dialog and the toast
                assert screen_text(console.app).count(entry.visible[:20]) >= 2, key
                assert_harmless(console)
                await console.press("y")  # rejoin, for the next reason
                await console.until(
                    lambda u=uuid: (
                        isinstance(console.app.screen, ConferenceScreen)
                        and console.app.session is not None
                        and console.app.session.participant_uuid != u
                    ),
                    10,
                    "the rejoin",
                )
