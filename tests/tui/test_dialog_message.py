"""The private message dialog: the protocol's message rule, Escape, the name shown literally,
and the warning for a participant whose client did not say it shows direct messages."""

from __future__ import annotations

import pytest
from textual.widgets import Input, Static

from pextui.protocol.requests import MAX_MESSAGE_PAYLOAD, RequestValidationError, check_message
from pextui.tui.forms import FormDialog
from pextui.tui.screens.message import PrivateMessageDialog, PrivateMessageRequest
from tests.tui.dialog_helpers import HOSTILE, DialogHost, dismissed, screen_text


def error_of(app: DialogHost) -> str:
    screen = app.screen
    assert isinstance(screen, FormDialog)
    return screen.error_text


async def test_message_is_checked_then_returned_trimmed() -> None:
    app = DialogHost(PrivateMessageDialog(HOSTILE))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        shown = str(app.screen.query_one("#participant", Static).content)
        assert "[bold]x[/bold]" in shown and "\x1b" not in shown and "pwn" not in shown
        assert not app.screen.query("#no-direct-chat")
        await pilot.press("space", "enter")
        assert error_of(app) == "Enter the message."
        app.screen.query_one("#message", Input).value = "bad\x07bell"
        await pilot.press("enter")
        assert error_of(app) == "The message must not contain control characters."
        app.screen.query_one("#message", Input).value = "  see you at [b]ten[/b]  "
        await pilot.press("enter")
        result = await dismissed(pilot, app)
    assert result == PrivateMessageRequest("see you at [b]ten[/b]")
    assert result.to_body() == {"type": "text/plain", "payload": "see you at [b]ten[/b]"}


async def test_escape_cancels_and_a_client_without_direct_chat_is_warned() -> None:
    app = DialogHost(PrivateMessageDialog("Bob (SIP)", can_show=False))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert "may not see it" in screen_text(app)
        await pilot.press(*"hello", "escape")
        assert await dismissed(pilot, app) is None


def test_check_message_limits() -> None:
    assert check_message("x" * MAX_MESSAGE_PAYLOAD) == "x" * MAX_MESSAGE_PAYLOAD
    with pytest.raises(RequestValidationError, match="At most 4096 characters"):
        check_message("x" * (MAX_MESSAGE_PAYLOAD + 1))
    with pytest.raises(RequestValidationError, match="not valid text"):
        check_message("lone \ud800 surrogate")
