"""Snapshots (SVG) of the transfer dialog and the help screen at 80x24.

Plain ``def`` tests: ``snap_compare`` runs its own event loop. Update deliberately with
``pytest tests/tui/test_dialogs_snapshots.py --snapshot-update`` and review the SVGs.
"""

from __future__ import annotations

from typing import Any, ClassVar

from textual.app import App, ComposeResult
from textual.binding import Binding, BindingType
from textual.pilot import Pilot
from textual.screen import Screen
from textual.widgets import Footer, Input, Static

from pextui.tui.screens.help import HelpScreen
from pextui.tui.screens.layout import LayoutDialog
from pextui.tui.screens.transfer import TransferDialog

SIZE = (80, 24)


def _b(key: str, action: str, description: str, tooltip: str) -> Binding:
    return Binding(key, action, description, id=f"host.{action}", tooltip=tooltip)


class Console(Screen[None]):
    """A stand-in console with the host-action keys, so the help has something to show."""

    BINDINGS: ClassVar[list[BindingType]] = [
        _b("m", "mute", "Mute", "Mute or unmute the participant's audio"),
        _b("v", "video", "Video", "Mute or unmute the participant's video"),
        _b("s", "spotlight", "Spotlight", "Spotlight the participant on or off"),
        _b("r", "role", "Role", "Make the participant host or guest"),
        _b("t", "transfer", "Transfer", "Transfer the participant to another conference"),
        _b("a", "admit", "Admit", "Admit from the waiting room"),
        _b("x", "disconnect", "Kick", "Disconnect the participant (asks first)"),
        _b("L", "lock", "Lock", "Lock or unlock the conference"),
        _b("G", "mute_guests", "Mute guests", "Mute or unmute all guests"),
        _b("n", "dial_out", "Dial out", "Dial out to a new participant"),
        _b("y", "layout", "Layout", "Change the conference layout"),
        _b("X", "disconnect_all", "Kick all", "Disconnect everyone (asks first)"),
        _b("c", "chat", "Chat", "Focus the chat input"),
        _b("slash", "filter", "Filter", "Filter the roster by name"),
        _b("question_mark", "help", "Help", "Show every key and what it does"),
    ]

    def compose(self) -> ComposeResult:
        yield Static("Conference: meet.demo")
        yield Footer()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        return None if action == "admit" else True

    def action_help(self) -> None:
        self.app.push_screen(HelpScreen())


class SnapshotHost(App[None]):
    def __init__(self, first: Screen[Any]) -> None:
        super().__init__()
        self.first = first

    def on_mount(self) -> None:
        self.push_screen(self.first)


async def _steady(pilot: Pilot[None]) -> None:
    await pilot.pause()
    for field in pilot.app.screen.query(Input):
        field.cursor_blink = False
    await pilot.pause()


def test_transfer_dialog_snapshot(snap_compare: Any) -> None:
    async def run_before(pilot: Pilot[None]) -> None:
        await _steady(pilot)
        await pilot.press(*"meet.boa", "tab", "tab", *"12x", "enter")
        await _steady(pilot)

    app = SnapshotHost(TransferDialog("Alice [Sales] Smith", known_aliases=["meet.board"]))
    assert snap_compare(app, terminal_size=SIZE, run_before=run_before)


def test_help_screen_snapshot(snap_compare: Any) -> None:
    async def run_before(pilot: Pilot[None]) -> None:
        await pilot.pause()
        await pilot.press("question_mark")
        await pilot.pause()

    assert snap_compare(SnapshotHost(Console()), terminal_size=SIZE, run_before=run_before)


def test_layout_dialog_ansi_dark_snapshot(snap_compare: Any) -> None:
    """16-colour terminals: the terminal's own palette (``ansi-dark``) stays legible."""

    async def run_before(pilot: Pilot[None]) -> None:
        pilot.app.theme = "ansi-dark"
        await pilot.pause()

    app = SnapshotHost(LayoutDialog(auditorium=True))
    assert snap_compare(app, terminal_size=SIZE, run_before=run_before)
