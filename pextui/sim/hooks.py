"""What a conference asks of its breakout rooms (kept apart to avoid an import cycle)."""

from __future__ import annotations

from typing import Protocol

from pextui.sim.participants import Participant


class RoomsHook(Protocol):
    """What a conference asks of its breakout rooms (implemented in `sim.breakouts`)."""

    def locate(self, uuid: str) -> Participant | None:
        """The main-room participant `uuid` while it is away in a breakout room."""

    def remove_away(self, uuid: str, reason: str | None) -> Participant | None:
        """Remove a participant that is away in a breakout room."""

    def opening_frames(self, participant_uuid: str, is_host: bool) -> bytes:
        """What a new stream gets after the main room's sync (rooms, our own room)."""

    def enter_room(self, uuid: str, breakout_uuid: str) -> bool:
        """Move a main-room participant into a breakout room."""
