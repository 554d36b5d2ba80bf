"""Failed host actions: one notification each, with the server's reason said once."""

from __future__ import annotations

from console_helpers import running_console
from textual.widgets import Input

from pextui.protocol.errors import ActionError, PexipError
from pextui.sim.server import SimServer
from pextui.tui.console import action_reason
from pextui.tui.screens.transfer import TransferDialog


def test_action_reason_drops_the_repeated_failed_prefixes() -> None:
    error = ActionError("transfer", "Transfer failed: Invalid PIN")
    assert str(error) == "transfer failed: Transfer failed: Invalid PIN"
    assert action_reason(error) == "Invalid PIN"
    assert action_reason(ActionError("mute", "Invalid role")) == "Invalid role"
    assert action_reason(PexipError("Gateway dial out failed")) == "Gateway dial out failed"
    assert action_reason(RuntimeError("boom")) == "RuntimeError: boom"


async def test_a_failed_transfer_notifies_once_with_the_reason(simulator: SimServer) -> None:
    async with running_console(simulator) as console:
        await console.cursor_on("Alice")
        await console.press("t")
        dialog = await console.until(
            lambda: isinstance(console.app.screen, TransferDialog) and console.app.screen,
            "transfer dialog",
        )
        dialog.query_one("#alias", Input).value = "meet.board"
        dialog.query_one("#pin", Input).value = "9999"
        await console.pilot.click("#submit")

        def failures() -> list[str]:
            return [
                f"{note.title}: {note.message}"
                for note in list(console.app._notifications)
                if note.severity == "error"
            ]

        await console.until(failures, "a failure notification")
        await console.pilot.pause(0.3)  # a second notification would arrive with the next tick
        assert failures() == ["Transfer of Alice failed: Invalid PIN"]
        lines = [line for line in console.log_lines() if "failed" in line]
        assert len(lines) == 1, lines
        assert "Invalid PIN" in lines[0] and "failed: Transfer failed" not in lines[0]
        assert console.participant("Alice") is not None
