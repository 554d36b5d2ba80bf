"""Send DTMF tones to a participant (``participants/<uuid>/dtmf``).

``DtmfDialog(participant_name)`` dismisses with a :class:`DtmfRequest` (digits 0-9, ``*``,
``#`` and ``A``-``D``, upper-cased) or ``None`` when cancelled.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from textual.content import Content
from textual.widget import Widget
from textual.widgets import Input, Static

from pextui.protocol.requests import MAX_DTMF_DIGITS as MAX_DTMF_CHARS
from pextui.protocol.requests import check_dtmf
from pextui.tui.forms import FormDialog, field_errors, field_row, input_value
from pextui.tui.literal import literal


@dataclass(frozen=True)
class DtmfRequest:
    """The tones to send, in order."""

    digits: str

    def to_body(self) -> dict[str, str]:
        """The JSON body of the ``dtmf`` request."""
        return {"digits": self.digits}


class DtmfDialog(FormDialog[DtmfRequest]):
    """Ask for the DTMF digits to send to one participant."""

    SUBMIT_LABEL = "Send"

    def __init__(self, participant_name: str) -> None:
        super().__init__()
        self.participant_name = participant_name

    def title_text(self) -> str:
        return "Send DTMF"

    def compose_fields(self) -> Iterable[Widget]:
        yield Static(
            Content.assemble("Tones for ", literal(self.participant_name, style="bold")),
            id="participant",
        )
        yield field_row(
            "Digits",
            Input(
                placeholder="0-9 * # A-D",
                id="digits",
                max_length=MAX_DTMF_CHARS,
                compact=True,
            ),
        )

    def build_result(self) -> DtmfRequest:
        with field_errors("digits"):
            return DtmfRequest(check_dtmf(input_value(self, "digits")))
