"""Transfer a participant to another conference: target alias, role and an optional PIN.

``TransferDialog(participant_name, ...)`` dismisses with a :class:`TransferRequest`, or
``None`` when cancelled. The request maps onto ``participants/<uuid>/transfer``
(``{conference_alias, role: 'host'|'guest', pin?}``) via :meth:`TransferRequest.to_body`.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Literal

from textual.content import Content
from textual.suggester import SuggestFromList
from textual.widget import Widget
from textual.widgets import Input, Static

from pextui.protocol.requests import MAX_ALIAS_LENGTH as MAX_ALIAS_CHARS
from pextui.protocol.requests import MAX_PIN_DIGITS, check_alias, check_pin
from pextui.tui.forms import FormDialog, field_errors, field_row, input_value
from pextui.tui.literal import literal
from pextui.tui.widgets.choice import ChoiceSet, host_chosen, host_or_guest

TransferRole = Literal["host", "guest"]


@dataclass(frozen=True)
class TransferRequest:
    """Where to move the participant. ``pin`` is ``None`` when the target needs none."""

    alias: str
    role: TransferRole = "guest"
    pin: str | None = None

    def to_body(self) -> dict[str, str]:
        """The JSON body of the ``transfer`` request."""
        body = {"conference_alias": self.alias, "role": self.role}
        if self.pin is not None:
            body["pin"] = self.pin
        return body

    def __repr__(self) -> str:  # never show the PIN in logs or tracebacks
        pin = "None" if self.pin is None else "'***'"
        return f"TransferRequest(alias={self.alias!r}, role={self.role!r}, pin={pin})"


class TransferDialog(FormDialog[TransferRequest]):
    """Ask for the target alias, the role there (default guest) and the target's PIN."""

    SUBMIT_LABEL = "Transfer"

    def __init__(
        self,
        participant_name: str,
        *,
        role: TransferRole = "guest",
        alias: str = "",
        known_aliases: Sequence[str] = (),
    ) -> None:
        super().__init__()
        self.participant_name = participant_name
        self.initial_role: TransferRole = role
        self.initial_alias = alias
        self.known_aliases = list(known_aliases)

    def title_text(self) -> str:
        return "Transfer participant"

    def compose_fields(self) -> Iterable[Widget]:
        yield Static(
            Content.assemble("Move ", literal(self.participant_name, style="bold"), " to:"),
            id="participant",
        )
        suggester = (
            SuggestFromList(self.known_aliases, case_sensitive=False)
            if self.known_aliases
            else None
        )
        yield field_row(
            "Target alias",
            Input(
                self.initial_alias,
                placeholder="conference alias, e.g. meet.board",
                id="alias",
                max_length=MAX_ALIAS_CHARS,
                suggester=suggester,
                compact=True,
            ),
        )
        yield field_row(
            "Role there",
            host_or_guest(self.initial_role == "host"),
        )
        yield field_row(
            "Target PIN",
            Input(
                placeholder="digits; empty if the target has none",
                password=True,
                id="pin",
                max_length=MAX_PIN_DIGITS,
                compact=True,
            ),
        )

    def build_result(self) -> TransferRequest:
        with field_errors("alias"):
            alias = check_alias(input_value(self, "alias"), "Target alias")
        with field_errors("pin"):
            pin = check_pin(input_value(self, "pin"))
        role: TransferRole = "host" if host_chosen(self.query_one("#role", ChoiceSet)) else "guest"
        return TransferRequest(alias=alias, role=role, pin=pin)
