"""Helpers for the dialog and connect screen tests: a host app, bounded waits, shown text."""

from __future__ import annotations

from typing import Any

from textual.app import App
from textual.pilot import Pilot
from textual.screen import Screen
from textual.widgets import Static

from tests.tui.console_helpers import until

HOSTILE = "[bold]x[/bold]\x1b]0;pwn\x07"
"""A name with markup and a terminal escape: must be shown literally, never interpreted."""


class DialogHost(App[None]):
    """Pushes one screen on mount and records what it dismisses with."""

    def __init__(self, dialog: Screen[Any]) -> None:
        super().__init__()
        self.dialog = dialog
        self.results: list[Any] = []

    def on_mount(self) -> None:
        self.push_screen(self.dialog, callback=self.results.append)


async def dismissed(pilot: Pilot[None], app: DialogHost) -> Any:
    """The dismissed value once the dialog is gone (bounded wait)."""
    await until(pilot, lambda: app.results, "the dialog to be dismissed")
    return app.results[0]


def screen_text(app: App[Any]) -> str:
    """Everything the static widgets of the active screen show, as plain text."""
    return "\n".join(str(widget.content) for widget in app.screen.query(Static))
