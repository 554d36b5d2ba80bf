"""Keys typed faster than the console handles them (a paste, a password manager's
auto-type, `tmux send-keys 'url' Tab 'alias' Tab 'name' Tab 'PIN'`): every character lands
in the field it was typed for, so a PIN never ends up in a visible field or in the log.

The burst is posted to the app all at once, before any key is handled, as a terminal does.
"""

from __future__ import annotations

from typing import Any

from dialog_helpers import DialogHost
from textual import events
from textual.app import App
from textual.pilot import Pilot
from textual.widgets import Input

from pextui.tui.screens.connect import ConnectScreen
from pextui.tui.screens.transfer import TransferDialog

PIN = "1234"


def burst(app: App[Any], text: str) -> None:
    """Queue every key of `text` (\\t is Tab) before the app handles the first."""
    for character in text:
        key = events.Key("tab", "\t") if character == "\t" else events.Key(character, character)
        app.post_message(key)


async def settled(pilot: Pilot[Any], condition: Any, what: str) -> None:
    for _ in range(200):
        if condition():
            return
        await pilot.pause(0.02)
    raise AssertionError(f"timed out waiting for {what}")


def values(app: App[Any]) -> dict[str, str]:
    return {field.id or "": field.value for field in app.screen.query(Input)}


async def test_a_burst_on_the_connect_screen_fills_each_field() -> None:
    screen = ConnectScreen(recent=())
    app = DialogHost(screen)
    async with app.run_test(size=(100, 36)) as pilot:
        await pilot.pause()
        screen.query_one("#name", Input).value = ""
        screen.query_one("#node", Input).focus()
        await pilot.pause()
        burst(app, f"http://127.0.0.1:8080\tmeet.demo\tBurst\t{PIN}")
        await settled(pilot, lambda: values(app)["pin"], "the PIN field")
        shown = values(app)
    assert shown["node"] == "http://127.0.0.1:8080", shown
    assert shown["alias"] == "meet.demo", shown
    assert shown["name"] == "Burst", shown
    assert shown["pin"] == PIN
    assert all(PIN not in value for key, value in shown.items() if key != "pin"), shown


async def test_a_burst_in_the_transfer_dialog_keeps_the_pin_out_of_the_alias() -> None:
    dialog = TransferDialog("Alice")
    app = DialogHost(dialog)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        dialog.query_one("#alias", Input).focus()
        await pilot.pause()
        burst(app, "meet.board\t\t0000")
        await settled(pilot, lambda: dialog.query_one("#pin", Input).value, "the PIN field")
        assert dialog.query_one("#alias", Input).value == "meet.board"
        assert dialog.query_one("#pin", Input).value == "0000"
