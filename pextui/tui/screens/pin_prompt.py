"""Ask for a PIN when the node says the conference needs one.

``PinPromptScreen(alias, host_pin=..., guest_pin=..., error=None)`` dismisses with a
:class:`PinAnswer` or ``None`` when cancelled. ``host_pin``/``guest_pin`` tell whether
each role has a PIN (``PinRequiredError`` of the client). When guests need no PIN, the
dialog also offers "Join as guest without PIN", answered with ``PinAnswer(NO_PIN)``
(``"none"``: Pexip's convention, the ``pin: none`` header). ``error`` shows why the
previous attempt failed (e.g. "Invalid PIN").
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import ClassVar

from textual import on
from textual.binding import Binding, BindingType
from textual.content import Content
from textual.widget import Widget
from textual.widgets import Button, Input, Static

from pextui.protocol.params import NO_PIN
from pextui.protocol.requests import MAX_PIN_DIGITS, check_pin
from pextui.tui.forms import FormDialog, field_errors, field_row, input_value
from pextui.tui.literal import literal

"""The PIN value that joins as a guest of a conference whose guests need no PIN."""


@dataclass(frozen=True)
class PinAnswer:
    """The PIN to send: digits, or :data:`NO_PIN` to join as a guest without a PIN."""

    pin: str

    @property
    def without_pin(self) -> bool:
        """True when joining as a guest without a PIN."""
        return self.pin == NO_PIN

    def __repr__(self) -> str:  # never show a PIN in logs or tracebacks
        return "PinAnswer(pin='none')" if self.without_pin else "PinAnswer(pin='***')"


class PinPromptScreen(FormDialog[PinAnswer]):
    """Ask for the host or guest PIN of ``alias``."""

    SUBMIT_LABEL = "Join"
    TITLE_TEXT: ClassVar[str] = "PIN required"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "ctrl+g",
            "join_as_guest",
            "Join as guest",
            tooltip="Join as a guest without a PIN (when the conference allows it)",
        ),
    ]

    def __init__(
        self,
        alias: str,
        *,
        host_pin: bool = True,
        guest_pin: bool | None = False,
        error: str | None = None,
    ) -> None:
        super().__init__()
        self.alias = alias
        self.host_pin = host_pin
        self.guest_pin = guest_pin
        self.initial_error = error

    @property
    def guests_without_pin(self) -> bool:
        """True when the node said guests may join without a PIN (``guest_pin`` False; None
        is "not known", e.g. after a wrong PIN from the environment)."""
        return self.guest_pin is False

    def compose_fields(self) -> Iterable[Widget]:
        yield Static(
            Content.assemble(literal(self.alias, style="bold"), " needs a PIN."), id="alias"
        )
        if self.host_pin and self.guest_pin is not False:
            hint = "Enter the host PIN to join as host, or the guest PIN to join as guest."
        elif self.host_pin:
            hint = "Enter the host PIN to join as host; guests need no PIN (Ctrl+G)."
        else:
            hint = "Enter the guest PIN."
        yield Static(hint, classes="hint", markup=False)
        yield field_row(
            "PIN",
            Input(
                placeholder="digits",
                password=True,
                id="pin",
                max_length=MAX_PIN_DIGITS,
                compact=True,
            ),
        )

    def compose_buttons(self) -> Iterable[Widget]:
        yield Button("Cancel", id="cancel", compact=True)
        if self.guests_without_pin:
            yield Button("Join as guest without PIN", id="as-guest", compact=True)
        yield Button(self.SUBMIT_LABEL, id="submit", variant="primary", compact=True)

    def on_mount(self) -> None:
        if self.initial_error:
            self.show_error(self.initial_error, "pin")

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "join_as_guest":
            return self.guests_without_pin
        return True

    def build_result(self) -> PinAnswer:
        with field_errors("pin"):
            pin = check_pin(input_value(self, "pin"), required=True)
        assert pin is not None  # required=True never returns None
        return PinAnswer(pin)

    def action_join_as_guest(self) -> None:
        """Join as a guest without a PIN (only offered when guests need none)."""
        if self.guests_without_pin:
            self.dismiss(PinAnswer(NO_PIN))

    @on(Button.Pressed, "#as-guest")
    def _as_guest_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.action_join_as_guest()
