"""Roster records: one participant model plus what the console tracks about it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from pextui.names import shown_name
from pextui.protocol.models import Participant

if TYPE_CHECKING:
    from pextui.conference.actions import HostAction
    from pextui.conference.sortedkeys import SortKey


def shown_folded(participant: Participant) -> str:
    """The shown name, casefolded: what the roster sorts by (and a filter searches first)."""
    return shown_name(participant.display_name, participant.uri, participant.protocol).casefold()


class ParticipantRecord:
    """A roster entry. ``version`` goes up on every change the UI may want to redraw."""

    __slots__ = (
        "_search_text",
        "index_key",
        "joined_at",
        "last_spoken",
        "name_folded",
        "participant",
        "pending",
        "uuid",
        "version",
    )

    def __init__(self, participant: Participant, joined_at: float) -> None:
        self.uuid: str = participant.uuid
        self.participant: Participant = participant
        self.version: int = 1
        # The server's start_time when it sends one, else when we first saw the participant.
        self.joined_at: float = joined_at
        self.last_spoken: float = participant.last_spoken_time
        self.pending: tuple[HostAction, ...] = ()
        self.name_folded: str = shown_folded(participant)
        # Built on first use: only a filtered roster view reads it.
        self._search_text: str | None = None
        # Where the roster view has it (``RosterIndex``): its sort key, None while not shown.
        self.index_key: SortKey | None = None

    @property
    def search_text(self) -> str:
        """Shown name, display name, URI and alias, casefolded, one per line (what a filter
        searches)."""
        text = self._search_text
        if text is None:
            participant = self.participant
            text = self._search_text = "\n".join(
                (
                    self.name_folded,
                    participant.display_name.casefold(),
                    participant.uri.casefold(),
                    participant.local_alias.casefold(),
                )
            )
        return text

    def replace(self, participant: Participant) -> bool:
        """Take a newer participant object (caller has checked it differs).

        Returns True when a searched or sorted text (display name, URI, alias) changed.
        """
        old = self.participant
        self.participant = participant
        self.version += 1
        if participant.last_spoken_time > self.last_spoken:
            self.last_spoken = participant.last_spoken_time
        if (
            participant.display_name != old.display_name
            or participant.uri != old.uri
            or participant.local_alias != old.local_alias
        ):
            self.name_folded = shown_folded(participant)
            self._search_text = None
            return True
        return False

    def matches(self, needle: str) -> bool:
        """Case-insensitive substring match; ``needle`` must already be casefolded."""
        return needle in self.search_text


@dataclass(frozen=True, slots=True)
class PresenterInfo:
    """Who is presenting (from presentation_start or a participant's is_presenting)."""

    uuid: str
    name: str
    uri: str = ""

    def to_json(self) -> dict[str, str]:
        return {"uuid": self.uuid, "name": self.name, "uri": self.uri}
