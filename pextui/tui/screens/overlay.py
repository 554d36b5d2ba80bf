"""Set a participant's overlay text (``participants/<uuid>/overlaytext``).

``OverlayTextDialog(participant_name, current="")`` dismisses with an
:class:`OverlayTextRequest` or ``None`` when cancelled. The text is limited to
:data:`MAX_OVERLAY_CHARS` characters and may not hold control characters; the current
text and the name are shown literally (never as markup).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from textual.content import Content
from textual.widget import Widget
from textual.widgets import Input, Static

from pextui.protocol.requests import MAX_OVERLAY_TEXT
from pextui.sanitize import has_control_chars
from pextui.tui.forms import FormDialog, FormError, field_row
from pextui.tui.literal import literal

MAX_OVERLAY_CHARS = MAX_OVERLAY_TEXT  # the protocol's limit


@dataclass(frozen=True)
class OverlayTextRequest:
    """The text to show over the participant's video."""

    text: str

    def to_body(self) -> dict[str, str]:
        """The JSON body of the ``overlaytext`` request."""
        return {"text": self.text}


class OverlayTextDialog(FormDialog[OverlayTextRequest]):
    """Ask for a participant's overlay text (prefilled with the current one)."""

    SUBMIT_LABEL = "Set text"

    def __init__(self, participant_name: str, current: str = "") -> None:
        super().__init__()
        self.participant_name = participant_name
        self.current = current

    def title_text(self) -> str:
        return "Overlay text"

    def compose_fields(self) -> Iterable[Widget]:
        yield Static(
            Content.assemble("Text shown over ", literal(self.participant_name, style="bold")),
            id="participant",
        )
        prefill = "" if has_control_chars(self.current) else self.current[:MAX_OVERLAY_CHARS]
        yield field_row(
            "Overlay text",
            Input(
                prefill,
                placeholder=f"up to {MAX_OVERLAY_CHARS} characters",
                id="text",
                compact=True,
            ),
        )
        if self.current:
            yield Static(
                Content.assemble("Now: ", literal(self.current, style="italic")), classes="hint"
            )

    def build_result(self) -> OverlayTextRequest:
        text = self.query_one("#text", Input).value.strip()
        if not text:
            raise FormError("Enter the text to show.", "text")
        if has_control_chars(text):
            raise FormError("The text must not contain control characters.", "text")
        if len(text) > MAX_OVERLAY_CHARS:
            raise FormError(
                f"At most {MAX_OVERLAY_CHARS} characters (this text has {len(text)}).", "text"
            )
        return OverlayTextRequest(text)
