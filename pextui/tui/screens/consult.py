"""Attended transfer, first step: where to, the role there, and the note to its hosts.

``ConsultDialog`` is the transfer dialog (target picked from the open and recent
conferences, role, PIN) plus the message for the target's hosts, prefilled with
"Bringing you <name> in 2 minutes — OK?". It dismisses with a :class:`ConsultRequest`, or
``None`` when cancelled.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from textual.widget import Widget
from textual.widgets import Input

from pextui.conference.attended import default_message
from pextui.protocol.requests import MAX_MESSAGE_PAYLOAD, RequestValidationError, message_body
from pextui.tui.forms import FormError, field_row, input_value
from pextui.tui.screens.transfer import TransferDialog, TransferRequest


@dataclass(frozen=True)
class ConsultRequest(TransferRequest):
    """A transfer request plus the message for the target's hosts ('' sends none)."""

    message: str = ""


class ConsultDialog(TransferDialog):
    """Ask for the consult: target, role, PIN and the message to the target's hosts."""

    SUBMIT_LABEL = "Consult"

    def title_text(self) -> str:
        return "Attended transfer: consult the target first"

    def compose_fields(self) -> Iterable[Widget]:
        yield from super().compose_fields()
        yield field_row(
            "Message to its hosts",
            Input(
                default_message(self.participant_name),
                placeholder="empty: send no message",
                id="message",
                max_length=MAX_MESSAGE_PAYLOAD,
                compact=True,
            ),
        )

    def build_result(self) -> ConsultRequest:
        transfer = super().build_result()
        message = input_value(self, "message").strip()
        if message:
            try:
                message_body(message)
            except RequestValidationError as exc:
                raise FormError(str(exc), "message") from None
        return ConsultRequest(
            alias=transfer.alias,
            role=transfer.role,
            pin=transfer.pin,
            session_pin=transfer.session_pin,
            message=message,
        )
