"""A radio set for forms: arrows move *and* choose, Enter submits the dialog.

Textual's ``RadioSet`` uses Enter to toggle, which would make a keyboard user Tab to the
button of every dialog. In :class:`ChoiceSet` the arrow keys select the option under the
cursor and Enter runs the screen's ``submit`` action (every ``FormDialog`` has one).
"""

from __future__ import annotations

from typing import ClassVar

from textual.binding import Binding, BindingType
from textual.widgets import RadioSet

from pextui.tui.forms import MarkedRadioButton


class ChoiceSet(RadioSet, inherit_bindings=False):
    """A ``RadioSet`` whose selection follows the cursor; Enter submits the form."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("down,right", "next_button", "Next option", show=False),
        Binding("up,left", "previous_button", "Previous option", show=False),
        Binding("space", "toggle_button", "Choose", show=False),
        Binding("enter", "screen.submit", "Submit", show=False),
    ]

    def on_mount(self) -> None:
        # Start the cursor on the chosen option (RadioSet moves it on its Changed message).
        pressed = self.pressed_button
        if pressed is not None:
            self.post_message(self.Changed(self, pressed))

    def action_next_button(self) -> None:
        super().action_next_button()
        if self.has_focus:  # RadioSet also moves the cursor while mounting
            self.action_toggle_button()

    def action_previous_button(self) -> None:
        super().action_previous_button()
        if self.has_focus:
            self.action_toggle_button()

    @property
    def pressed_id(self) -> str | None:
        """The id of the chosen button, if any."""
        button = self.pressed_button
        return None if button is None else button.id


def host_or_guest(host: bool, *, host_first: bool = False) -> ChoiceSet:
    """The ``#role`` choice between ``#role-guest`` and ``#role-host``; ``host`` is chosen."""
    guest_button = MarkedRadioButton("Guest", value=not host, id="role-guest")
    host_button = MarkedRadioButton("Host", value=host, id="role-host")
    buttons = (host_button, guest_button) if host_first else (guest_button, host_button)
    return ChoiceSet(*buttons, id="role", compact=True)


def host_chosen(choice: ChoiceSet) -> bool:
    """Whether ``Host`` is chosen in a :func:`host_or_guest` set."""
    return choice.pressed_id == "role-host"
