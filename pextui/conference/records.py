"""Roster records: one participant model plus what the console tracks about it."""

from __future__ import annotations

from typing import TYPE_CHECKING

from pextui.protocol.models import Participant

if TYPE_CHECKING:
    from pextui.conference.actions import HostAction


class ParticipantRecord:
    """A roster entry. ``version`` goes up on every change the UI may want to redraw."""

    __slots__ = (
        "joined_at",
        "last_spoken",
        "name_folded",
        "participant",
        "pending",
        "search_text",
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
        self.name_folded: str = ""
        self.search_text: str = ""
        self._fold(participant)

    def _fold(self, participant: Participant) -> None:
        self.name_folded = participant.name.casefold()
        self.search_text = "\n".join(
            (
                participant.display_name.casefold(),
                participant.uri.casefold(),
                participant.local_alias.casefold(),
            )
        )

    def replace(self, participant: Participant) -> None:
        """Take a newer participant object (caller has checked it differs)."""
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
            self._fold(participant)

    def matches(self, needle: str) -> bool:
        """Case-insensitive substring match; ``needle`` must already be casefolded."""
        return needle in self.search_text
