"""The base of every modal form dialog: a centred box, inline errors, Enter and Escape.

A dialog subclasses :class:`FormDialog`, yields its fields from :meth:`compose_fields`
and turns them into its typed result in :meth:`build_result`, raising :class:`FormError`
(message + the id of the field to focus) when the input is not valid. Enter in any
``Input`` submits, the primary button submits, Escape (or the Cancel button) dismisses
with ``None``.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from typing import ClassVar, TypeVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen
from textual.widget import Widget
from textual.widgets import Button, Input, Label, RadioButton, Static

from pextui.tui.literal import literal
from pextui.tui.stylesheets import DIALOG_CSS

ResultT = TypeVar("ResultT")


# Tab and shift+tab as priority bindings: the focus moves when the app reads the key, before
# it routes the keys typed after it. As a plain binding (Textual's default) the focus moves
# only once the focused Input has handled the Tab, so in a burst (a paste, a password
# manager's auto-type, `tmux send-keys`) the following characters, a PIN included, land in
# the previous field. See docs/architecture.md, "Typing bursts".
FOCUS_BINDINGS: list[BindingType] = [
    Binding("tab", "app.focus_next", show=False, priority=True),
    Binding("shift+tab", "app.focus_previous", show=False, priority=True),
]


class FormError(ValueError):
    """Invalid dialog input: ``message`` is shown, ``field_id`` gets the focus."""

    def __init__(self, message: str, field_id: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field_id = field_id


class FormDialog(ModalScreen[ResultT | None]):
    """A modal form that dismisses with a typed result, or ``None`` when cancelled."""

    CSS_PATH = DIALOG_CSS
    DEFAULT_CLASSES = "dialog form"

    BINDINGS: ClassVar[list[BindingType]] = [
        *FOCUS_BINDINGS,
        Binding("escape", "cancel", "Cancel", tooltip="Close without changing anything"),
    ]

    AUTO_FOCUS = "Input, RadioSet, Checkbox, Select, Button"

    TITLE_TEXT: ClassVar[str] = ""
    """Heading of the dialog (plain text, never markup)."""
    SUBMIT_LABEL: ClassVar[str] = "OK"
    """Label of the primary button."""

    def compose(self) -> ComposeResult:
        box = VerticalScroll(id="dialog", classes="dialog-box")
        box.can_focus = False  # the fields take the focus; the box follows it
        box.border_title = literal(self.title_text())
        with box:
            yield from self.compose_fields()
            yield Static("", id="dialog-error", markup=False)
            with Horizontal(id="dialog-buttons"):
                yield from self.compose_buttons()

    def title_text(self) -> str:
        """The heading; override to make it depend on the constructor arguments."""
        return self.TITLE_TEXT

    def compose_fields(self) -> Iterable[Widget]:
        """Yield the form's widgets."""
        return ()

    def compose_buttons(self) -> Iterable[Widget]:
        """Yield the buttons: by default Cancel and the primary submit button."""
        yield Button("Cancel", id="cancel", compact=True)
        yield Button(self.SUBMIT_LABEL, id="submit", variant="primary", compact=True)

    def build_result(self) -> ResultT:
        """Return the typed result or raise :class:`FormError`."""
        raise NotImplementedError

    @property
    def error_text(self) -> str:
        """The inline error currently shown ("" when none)."""
        return str(self.query_one("#dialog-error", Static).content)

    def show_error(self, message: str, field_id: str | None = None) -> None:
        """Show ``message`` under the form and focus the field it is about."""
        error = self.query_one("#dialog-error", Static)
        error.update(literal(message, 400))
        error.set_class(bool(message), "visible")
        if field_id:
            self.query_one(f"#{field_id}").focus()

    def clear_error(self) -> None:
        """Hide the inline error."""
        self.show_error("")

    def action_submit(self) -> None:
        """Validate and dismiss with the result, or show what is wrong."""
        try:
            result = self.build_result()
        except FormError as error:
            self.show_error(error.message, error.field_id)
            return
        self.dismiss(result)

    def action_cancel(self) -> None:
        """Dismiss with ``None``."""
        self.dismiss(None)

    @on(Input.Submitted)
    def _input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_submit()

    @on(Button.Pressed, "#submit")
    def _submit_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.action_submit()

    @on(Button.Pressed, "#cancel")
    def _cancel_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.action_cancel()


class MarkedRadioButton(RadioButton):
    """A radio button that reads without colour: ``▐●▌`` when chosen, ``▐ ▌`` when not.

    Textual draws both states with the same glyph and tells them apart by colour only,
    which a 16-colour or monochrome terminal (or a plain capture) loses.
    """

    CHOSEN = "●"
    NOT_CHOSEN = " "

    def render(self) -> Content:
        self.BUTTON_INNER = self.CHOSEN if self.value else self.NOT_CHOSEN
        return super().render()


def field_row(label: str, field: Widget) -> Horizontal:
    """A form row: a fixed-width label on the left, the field filling the rest."""
    return Horizontal(Label(label, classes="field-label", markup=False), field, classes="row")


def input_value(dialog: Widget, field_id: str) -> str:
    """The stripped value of the Input ``#field_id`` inside ``dialog``."""
    return dialog.query_one(f"#{field_id}", Input).value.strip()


@contextmanager
def field_errors(field_id: str) -> Iterator[None]:
    """Turn a ``ValueError`` of a field check into a :class:`FormError` about ``field_id``."""
    try:
        yield
    except FormError:
        raise
    except ValueError as error:
        raise FormError(str(error), field_id) from None
