"""The consult dialog (attended transfer): the transfer dialog plus the note to the hosts."""

from __future__ import annotations

from textual.widgets import Button, Input

from pextui.tui.screens.consult import consult_dialog, is_consult_dialog
from pextui.tui.screens.transfer import TransferDialog, TransferRequest, TransferTarget
from tests.tui.dialog_helpers import HOSTILE, DialogHost, dismissed, screen_text


async def test_message_prefilled_editable_and_returned() -> None:
    dialog = consult_dialog(
        "Ben Tanaka", targets=[TransferTarget("meet.demo", "open · host", hosted=True)]
    )
    assert is_consult_dialog(dialog)
    app = DialogHost(dialog)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        field = dialog.query_one("#message", Input)
        assert field.value == "Bringing you Ben Tanaka in 2 minutes — OK?"
        assert str(dialog.query_one("#submit", Button).label) == "Consult"
        await pilot.press("down")  # the first target into the alias field
        field.value = "Ben in 5, OK?"
        field.focus()
        await pilot.press("enter")
        result = await dismissed(pilot, app)
    assert result == TransferRequest("meet.demo", "guest", None, True, "Ben in 5, OK?")


async def test_empty_message_sends_none_and_a_bad_one_is_refused() -> None:
    dialog = consult_dialog("Ben")
    app = DialogHost(dialog)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        dialog.query_one("#alias", Input).value = "meet.demo"
        field = dialog.query_one("#message", Input)
        field.value = "\ud800"  # a lone surrogate cannot be sent
        field.focus()
        await pilot.press("enter")
        assert app.results == [] and dialog.error_text
        field.value = ""
        await pilot.press("enter")
        result = await dismissed(pilot, app)
    assert result.message == "" and result.alias == "meet.demo"


async def test_hostile_name_is_literal_and_plain_transfer_has_no_message() -> None:
    dialog = consult_dialog(HOSTILE)
    app = DialogHost(dialog)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        assert "[bold]x[/bold]" in screen_text(app)
    plain = TransferDialog("Alice")
    assert not is_consult_dialog(plain)
    app = DialogHost(plain)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert not plain.query("#message")
        await pilot.press(*"meet.board", "enter")
        result = await dismissed(pilot, app)
    assert result.message is None
