"""Confirm a destructive action (disconnect a participant, disconnect everyone).

``ConfirmScreen(question, ...)`` dismisses with ``True`` when confirmed and ``False``
otherwise (Escape, ``n``, or the Cancel button). The Cancel button has the focus first,
so a stray Enter never disconnects anyone; ``y`` confirms.
"""

from __future__ import annotations

from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Static

from pextui.tui.literal import literal
from pextui.tui.stylesheets import DIALOG_CSS


class ConfirmScreen(ModalScreen[bool]):
    """Ask a yes/no question; ``question`` and ``detail`` are shown literally."""

    CSS_PATH = DIALOG_CSS
    DEFAULT_CLASSES = "dialog"

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,n", "answer(False)", "Cancel", tooltip="Keep everyone connected"),
        Binding("y", "answer(True)", "Confirm", tooltip="Go ahead with the action"),
    ]

    AUTO_FOCUS = "#cancel"

    def __init__(
        self,
        question: str,
        *,
        detail: str = "",
        confirm_label: str = "Disconnect",
        title: str = "Please confirm",
    ) -> None:
        super().__init__()
        self.question = question
        self.detail = detail
        self.confirm_label = confirm_label
        self.title_text = title

    def compose(self) -> ComposeResult:
        box = Vertical(id="confirm", classes="dialog-box")
        box.border_title = literal(self.title_text)
        with box:
            yield Static(literal(self.question), id="confirm-question")
            if self.detail:
                yield Static(literal(self.detail), id="confirm-detail")
            with Horizontal(id="confirm-buttons"):
                yield Button("Cancel (n)", id="cancel", compact=True)
                yield Button(
                    literal(f"{self.confirm_label} (y)"), id="ok", variant="error", compact=True
                )

    def action_answer(self, confirmed: bool) -> None:
        """Dismiss with the answer."""
        self.dismiss(confirmed)

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.dismiss(event.button.id == "ok")
