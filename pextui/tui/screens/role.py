"""Change a participant's role (``participants/<uuid>/role``: ``chair`` or ``guest``).

``RoleDialog(participant_name, current="guest")`` dismisses with a :class:`RoleRequest`
or ``None`` when cancelled. The other role is preselected: the usual reason to open the
dialog is to flip it. ``current`` accepts the API's ``chair``/``guest`` and the
participant object's ``HOST``/``GUEST`` (and ``chair``/``host`` spellings).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

from textual.content import Content
from textual.widget import Widget
from textual.widgets import Static

from pextui.tui.forms import FormDialog, MarkedRadioButton, field_row
from pextui.tui.literal import literal
from pextui.tui.widgets.choice import ChoiceSet

ParticipantRole = Literal["chair", "guest"]


def normalise_role(role: str) -> ParticipantRole:
    """``HOST``/``host``/``chair`` -> ``chair``; anything else -> ``guest``."""
    return "chair" if role.strip().lower() in ("chair", "host") else "guest"


@dataclass(frozen=True)
class RoleRequest:
    """The new role: ``chair`` (host) or ``guest``."""

    role: ParticipantRole

    def to_body(self) -> dict[str, str]:
        """The JSON body of the ``role`` request."""
        return {"role": self.role}


class RoleDialog(FormDialog[RoleRequest]):
    """Choose Host (chair) or Guest for one participant."""

    SUBMIT_LABEL = "Change role"
    AUTO_FOCUS = "#role"

    def __init__(self, participant_name: str, current: str = "guest") -> None:
        super().__init__()
        self.participant_name = participant_name
        self.current: ParticipantRole = normalise_role(current)

    def title_text(self) -> str:
        return "Change role"

    def compose_fields(self) -> Iterable[Widget]:
        now = "Host" if self.current == "chair" else "Guest"
        yield Static(
            Content.assemble(literal(self.participant_name, style="bold"), f" is a {now} now."),
            id="participant",
        )
        proposed = "guest" if self.current == "chair" else "chair"
        yield field_row(
            "New role",
            ChoiceSet(
                MarkedRadioButton("Host", value=proposed == "chair", id="role-chair"),
                MarkedRadioButton("Guest", value=proposed == "guest", id="role-guest"),
                id="role",
                compact=True,
            ),
        )
        yield Static("Arrows choose, Enter applies.", classes="hint")

    def build_result(self) -> RoleRequest:
        chosen = self.query_one("#role", ChoiceSet).pressed_id
        return RoleRequest("chair" if chosen == "role-chair" else "guest")
