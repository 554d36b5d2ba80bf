"""Snapshot (SVG) of the connect screen at 80x24, with a recent conference and an error.

A plain ``def`` test: ``snap_compare`` runs its own event loop.
"""

from __future__ import annotations

from typing import Any

from textual.app import App
from textual.pilot import Pilot
from textual.widgets import Input

from pextui.config import RecentConference
from pextui.tui.screens.connect import ConnectScreen


class SnapshotHost(App[None]):
    def on_mount(self) -> None:
        recent = [
            RecentConference(node="https://vc.example.com", alias="meet.board", role="host"),
            RecentConference(node="http://127.0.0.1:8080", alias="meet.demo"),
        ]
        self.push_screen(ConnectScreen(recent=recent))


def test_connect_screen_snapshot(snap_compare: Any) -> None:
    async def run_before(pilot: Pilot[None]) -> None:
        await pilot.pause()
        screen = pilot.app.screen
        assert isinstance(screen, ConnectScreen)
        for field in screen.query(Input):
            field.cursor_blink = False
        await pilot.press(*"vc.example.com", "tab", *"meet.board", "tab", "tab", *"1234")
        screen.show_error("Wrong PIN: Invalid PIN")
        await pilot.pause()

    assert snap_compare(SnapshotHost(), terminal_size=(80, 24), run_before=run_before)
