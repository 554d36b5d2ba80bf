"""Send one participant a private message (``participants/<uuid>/message``).

``PrivateMessageDialog(participant_name, can_show=True)`` dismisses with a
:class:`PrivateMessageRequest` or ``None`` when cancelled. The text is checked by the
protocol's rule (:func:`pextui.protocol.requests.check_message`); the name is shown
literally. ``can_show=False`` (the participant's client did not say it shows direct
messages) adds a warning: the node may take the message and their app never show it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from textual.content import Content
from textual.widget import Widget
from textual.widgets import Input, Static

from pextui.protocol.requests import MAX_MESSAGE_PAYLOAD, check_message
from pextui.tui.forms import FormDialog, field_errors, field_row, input_value
from pextui.tui.literal import literal


@dataclass(frozen=True)
class PrivateMessageRequest:
    """The text to send to one participant only."""

    text: str

    def to_body(self) -> dict[str, str]:
        """The JSON body of the ``message`` request."""
        return {"type": "text/plain", "payload": self.text}


class PrivateMessageDialog(FormDialog[PrivateMessageRequest]):
    """Ask for a private message to one participant."""

    SUBMIT_LABEL = "Send"

    def __init__(self, participant_name: str, *, can_show: bool = True) -> None:
        super().__init__()
        self.participant_name = participant_name
        self.can_show = can_show

    def title_text(self) -> str:
        return "Private message"

    def compose_fields(self) -> Iterable[Widget]:
        yield Static(
            Content.assemble(
                "Only ", literal(self.participant_name, style="bold"), " will see this message."
            ),
            id="participant",
        )
        yield field_row(
            "Message",
            Input(
                placeholder=f"up to {MAX_MESSAGE_PAYLOAD} characters",
                id="message",
                max_length=MAX_MESSAGE_PAYLOAD,
                compact=True,
            ),
        )
        if not self.can_show:
            yield Static(
                "Their app did not say it shows private messages: they may not see it.",
                classes="hint",
                id="no-direct-chat",
                markup=False,
            )

    def build_result(self) -> PrivateMessageRequest:
        with field_errors("message"):
            return PrivateMessageRequest(check_message(input_value(self, "message")))
