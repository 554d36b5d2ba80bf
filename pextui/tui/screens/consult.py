"""Attended transfer, first step: where to, the role there, and the note to its hosts.

``ConsultDialog`` is the transfer dialog (target picked from the open and recent
conferences, role, PIN) plus the message for the target's hosts, prefilled with
"Bringing you <name> in 2 minutes — OK?". It dismisses with a :class:`ConsultRequest`, or
``None`` when cancelled.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import ClassVar

from textual import on
from textual.binding import BindingType
from textual.widget import Widget
from textual.widgets import Input, OptionList

from pextui.conference.attended import default_message
from pextui.protocol.requests import MAX_MESSAGE_PAYLOAD, RequestValidationError, message_body
from pextui.tui.forms import FormDialog, FormError, field_row, input_value
from pextui.tui.screens.transfer import (
    TARGET_BINDINGS,
    TransferFields,
    TransferRequest,
    TransferRole,
    TransferTarget,
)


@dataclass(frozen=True)
class ConsultRequest(TransferRequest):
    """A transfer request plus the message for the target's hosts ('' sends none)."""

    message: str = ""


class ConsultDialog(FormDialog[ConsultRequest]):
    """Ask for the consult: target, role, PIN and the message to the target's hosts."""

    SUBMIT_LABEL = "Consult"
    BINDINGS: ClassVar[list[BindingType]] = [*FormDialog.BINDINGS, *TARGET_BINDINGS]

    def __init__(
        self,
        participant_name: str,
        *,
        role: TransferRole = "guest",
        alias: str = "",
        known_aliases: Sequence[str] = (),
        targets: Sequence[TransferTarget] = (),
    ) -> None:
        super().__init__()
        self.fields = TransferFields(
            participant_name, role=role, alias=alias, known_aliases=known_aliases, targets=targets
        )
        self.participant_name = participant_name

    def title_text(self) -> str:
        return "Attended transfer: consult the target first"

    def compose_fields(self) -> Iterable[Widget]:
        yield from self.fields.compose(self)
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

    def on_mount(self) -> None:
        self.fields.mounted()

    @on(Input.Changed, "#alias")
    def _alias_changed(self, event: Input.Changed) -> None:
        self.fields.alias_changed(event.value)

    def action_pick(self, step: int) -> None:
        """Up / down: the previous or next target of the list into the alias field."""
        self.fields.pick(step)

    @on(OptionList.OptionSelected, "#targets")
    def _target_clicked(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.fields.clicked(event.option_index)

    def build_result(self) -> ConsultRequest:
        transfer = self.fields.result()
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
