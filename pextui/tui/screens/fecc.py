"""Far-end camera control: arrow keys pan and tilt, + and - zoom, one step per key.

``FeccDialog(name, send)`` calls `send(action, [(axis, direction)])` for each key (a
`start` with a one-second timeout: the camera moves a step and stops by itself).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Static

from pextui.sanitize import safe_text
from pextui.tui.literal import literal
from pextui.tui.stylesheets import DIALOG_CSS

Send = Callable[[str, Sequence[tuple[str, str]]], Awaitable[object]]
MOVES = {
    "left": ("pan", "left"),
    "right": ("pan", "right"),
    "up": ("tilt", "up"),
    "down": ("tilt", "down"),
    "zoom_in": ("zoom", "in"),
    "zoom_out": ("zoom", "out"),
}


class FeccDialog(ModalScreen[None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("left", "move('left')", "Pan left", id="fecc.left"),
        Binding("right", "move('right')", "Pan right", id="fecc.right"),
        Binding("up", "move('up')", "Tilt up", id="fecc.up"),
        Binding("down", "move('down')", "Tilt down", id="fecc.down"),
        Binding("plus,equals_sign", "move('zoom_in')", "Zoom in", id="fecc.zoom_in"),
        Binding("minus", "move('zoom_out')", "Zoom out", id="fecc.zoom_out"),
        Binding("escape", "done", "Done", id="fecc.done"),
    ]
    CSS_PATH = DIALOG_CSS

    def __init__(self, name: str, send: Send) -> None:
        super().__init__()
        self.participant_name = name
        self.send = send
        self.sent: list[tuple[str, str]] = []

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(
                Content.assemble("Camera of ", literal(self.participant_name, 40, style="bold"))
            )
            yield Static("← → pan · ↑ ↓ tilt · + - zoom · esc done", id="fecc-help")
            yield Static(id="fecc-status")

    def action_move(self, name: str) -> None:
        move = MOVES[name]
        self.sent.append(move)

        async def run() -> None:
            status = self.query_one("#fecc-status", Static)
            try:
                await self.send("start", [move])
            except Exception as exc:
                status.update(Content(f"failed: {safe_text(getattr(exc, 'reason', exc), 80)}"))
                return
            status.update(Content(f"{move[0]} {move[1]}"))

        self.run_worker(run(), group="fecc", exit_on_error=False)

    def action_done(self) -> None:
        self.dismiss(None)
