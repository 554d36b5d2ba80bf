"""Transfer a participant to another conference: target alias, role and an optional PIN.

``TransferDialog(participant_name, ..., targets=...)`` dismisses with a
:class:`TransferRequest`, or ``None`` when cancelled. The request maps onto
``participants/<uuid>/transfer`` (``{conference_alias, role: 'host'|'guest', pin?}``) via
:meth:`TransferRequest.to_body`.

The target is typed or picked: under the alias a list shows the open conferences, then the
recent ones; typing filters it and up / down pick from it (the list never takes the focus,
so Tab still goes alias -> role -> PIN). For a target the app is joined to as host the PIN
may stay empty: the request then says ``session_pin`` and the caller takes that session's
PIN itself, so the PIN never reaches a widget.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import ClassVar, Literal

from textual import on
from textual.binding import Binding, BindingType
from textual.content import Content
from textual.suggester import SuggestFromList
from textual.widget import Widget
from textual.widgets import Button, Input, OptionList, Static
from textual.widgets.option_list import Option

from pextui.protocol.requests import MAX_ALIAS_LENGTH as MAX_ALIAS_CHARS
from pextui.protocol.requests import (
    MAX_MESSAGE_PAYLOAD,
    MAX_PIN_DIGITS,
    check_alias,
    check_pin,
    message_body,
)
from pextui.sanitize import safe_text
from pextui.tui.forms import FormDialog, FormError, field_errors, field_row, input_value
from pextui.tui.literal import literal
from pextui.tui.widgets.choice import ChoiceSet, host_chosen, host_or_guest

TransferRole = Literal["host", "guest"]


@dataclass(frozen=True)
class TransferRequest:
    """Where to move the participant. ``pin`` is ``None`` when the target needs none."""

    alias: str
    role: TransferRole = "guest"
    pin: str | None = None
    session_pin: bool = False  # no PIN typed: use the PIN of our host session in `alias`
    message: str | None = None  # attended transfer: the note to the target's hosts

    def to_body(self) -> dict[str, str]:
        """The JSON body of the ``transfer`` request."""
        body = {"conference_alias": self.alias, "role": self.role}
        if self.pin is not None:
            body["pin"] = self.pin
        return body

    def __repr__(self) -> str:  # never show the PIN in logs or tracebacks
        pin = "None" if self.pin is None else "'***'"
        extra = ", session_pin=True" if self.session_pin else ""
        return f"TransferRequest(alias={self.alias!r}, role={self.role!r}, pin={pin}{extra})"


@dataclass(frozen=True)
class TransferTarget:
    """A conference offered as a target: where it comes from, and whether we host it."""

    alias: str
    note: str = ""  # "open", "open · host", "recent"
    hosted: bool = False  # joined there as host: that session's PIN can be used

    def label(self) -> Content:
        note = Content.styled(f"  {self.note}", "dim") if self.note else Content("")
        return Content.assemble(literal(self.alias, 60), note)


MAX_SHOWN = 6  # targets listed at once (the list scrolls)


class TransferDialog(FormDialog[TransferRequest]):
    """Ask for the target alias, the role there (default guest) and the target's PIN."""

    SUBMIT_LABEL = "Transfer"
    BINDINGS: ClassVar[list[BindingType]] = [
        *FormDialog.BINDINGS,
        Binding("down", "pick(1)", "Next target", show=False),
        Binding("up", "pick(-1)", "Previous target", show=False),
    ]

    def __init__(
        self,
        participant_name: str,
        *,
        role: TransferRole = "guest",
        alias: str = "",
        known_aliases: Sequence[str] = (),
        targets: Sequence[TransferTarget] = (),
        message: str | None = None,
        here: str = "",
    ) -> None:
        """``message`` (a string, even empty) makes it the attended transfer's consult
        dialog: a field for the note to the target's hosts, prefilled with it. ``here`` is
        the participant's conference: refused as the target."""
        super().__init__()
        self.message = message
        self.here = here
        self.participant_name = participant_name
        self.initial_role: TransferRole = role
        self.initial_alias = alias
        known = [TransferTarget(a) for a in known_aliases if a not in {t.alias for t in targets}]
        self.targets: list[TransferTarget] = [*targets, *known]
        self.known_aliases = [t.alias for t in self.targets]
        self.shown: list[TransferTarget] = list(self.targets)

    def title_text(self) -> str:
        if self.message is not None:
            return "Attended transfer: consult the target first"
        return "Transfer participant"

    def compose_buttons(self) -> Iterable[Widget]:
        if self.message is None:
            yield from super().compose_buttons()
            return
        yield Button("Cancel", id="cancel", compact=True)
        yield Button("Consult", id="submit", variant="primary", compact=True)

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
        targets = OptionList(*self._options(self.targets), id="targets", compact=True)
        targets.can_focus = False  # picked with up / down from the alias field
        targets.display = bool(self.targets)
        targets.styles.max_height = MAX_SHOWN
        yield targets
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
        pin_note = Static("", id="pin-note", classes="hint", markup=False)
        pin_note.display = False  # shown when the target's PIN can come from our session
        yield pin_note
        if self.message is not None:
            yield field_row(
                "Message to its hosts",
                Input(
                    self.message,
                    placeholder="empty: send no message",
                    id="message",
                    max_length=MAX_MESSAGE_PAYLOAD,
                    compact=True,
                ),
            )

    def on_mount(self) -> None:
        self.query_one("#targets", OptionList).highlighted = None

    def _options(self, targets: Sequence[TransferTarget]) -> list[Option]:
        return [Option(t.label(), id=str(n)) for n, t in enumerate(targets)]

    def hosted(self, alias: str) -> bool:
        folded = alias.casefold()
        return any(t.hosted and t.alias.casefold() == folded for t in self.targets)

    @on(Input.Changed, "#alias")
    def _alias_changed(self, event: Input.Changed) -> None:
        value = event.value.strip()
        highlighted = self._highlighted()
        if highlighted is None or highlighted.alias != value:  # typed, not picked: filter
            folded = value.casefold()
            self.shown = [t for t in self.targets if folded in t.alias.casefold()]
            targets = self.query_one("#targets", OptionList)
            targets.clear_options()
            targets.add_options(self._options(self.shown))
            targets.highlighted = None  # the first down picks the first target
            targets.display = bool(self.shown)
        note = ""
        if value and self.hosted(value):
            note = "Empty: your host session's PIN there is used (never shown)."
        pin_note = self.query_one("#pin-note", Static)
        pin_note.update(literal(note, 200))
        pin_note.display = bool(note)

    def _highlighted(self) -> TransferTarget | None:
        index = self.query_one("#targets", OptionList).highlighted
        return self.shown[index] if index is not None and index < len(self.shown) else None

    def action_pick(self, step: int) -> None:
        """Up / down: the previous or next target of the list into the alias field."""
        if not self.shown:
            return
        targets = self.query_one("#targets", OptionList)
        current = targets.highlighted
        index = 0 if current is None else (current + step) % len(self.shown)
        targets.highlighted = index
        alias = self.query_one("#alias", Input)
        alias.value = self.shown[index].alias
        alias.cursor_position = len(alias.value)

    @on(OptionList.OptionSelected, "#targets")
    def _target_clicked(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        targets = self.query_one("#targets", OptionList)
        targets.highlighted = event.option_index
        self.query_one("#alias", Input).value = self.shown[event.option_index].alias

    def build_result(self) -> TransferRequest:
        with field_errors("alias"):
            alias = check_alias(input_value(self, "alias"), "Target alias")
        if self.here and alias.casefold() == self.here.casefold():
            raise FormError(
                f"{safe_text(alias, 60)} is the conference they are in: pick another one.",
                "alias",
            )
        with field_errors("pin"):
            pin = check_pin(input_value(self, "pin"))
        role: TransferRole = "host" if host_chosen(self.query_one("#role", ChoiceSet)) else "guest"
        session_pin = pin is None and self.hosted(alias)
        message = None
        if self.message is not None:
            message = input_value(self, "message")
            if message:
                with field_errors("message"):
                    message_body(message)
        return TransferRequest(alias, role, pin, session_pin, message)
