"""Ask for the target conference when the alias is a Virtual Reception.

``ExtensionPromptScreen(alias, kind="standard", error=None)`` dismisses with an
:class:`ExtensionAnswer` (the target alias, sent as ``conference_extension``) or ``None``
when cancelled. ``kind`` is the node's ``conference_extension_type`` (``standard`` or
``mssip``: a Skype for Business / Lync conference ID).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import ClassVar

from textual.content import Content
from textual.widget import Widget
from textual.widgets import Input, Static

from pextui.protocol.requests import MAX_ALIAS_LENGTH as MAX_ALIAS_CHARS
from pextui.protocol.requests import check_alias
from pextui.tui.forms import FormDialog, field_errors, field_row, input_value
from pextui.tui.literal import literal


@dataclass(frozen=True)
class ExtensionAnswer:
    """The target conference to reach through the Virtual Reception."""

    extension: str


class ExtensionPromptScreen(FormDialog[ExtensionAnswer]):
    """Ask which conference to join through the Virtual Reception ``alias``."""

    SUBMIT_LABEL = "Join"
    TITLE_TEXT: ClassVar[str] = "Virtual Reception"

    def __init__(self, alias: str, *, kind: str = "standard", error: str | None = None) -> None:
        super().__init__()
        self.alias = alias
        self.kind = kind
        self.initial_error = error

    def compose_fields(self) -> Iterable[Widget]:
        yield Static(
            Content.assemble(
                literal(self.alias, style="bold"), " is a Virtual Reception: which conference?"
            ),
            id="alias",
        )
        mssip = self.kind.lower() == "mssip"
        label = "Conference ID" if mssip else "Target alias"
        placeholder = "Skype for Business conference ID" if mssip else "e.g. meet.board"
        yield field_row(
            label,
            Input(
                placeholder=placeholder, id="extension", max_length=MAX_ALIAS_CHARS, compact=True
            ),
        )

    def on_mount(self) -> None:
        if self.initial_error:
            self.show_error(self.initial_error, "extension")

    def build_result(self) -> ExtensionAnswer:
        with field_errors("extension"):
            return ExtensionAnswer(check_alias(input_value(self, "extension"), "Target"))
