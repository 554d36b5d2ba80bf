"""Outcomes of the calls this console dialled out: answered, busy, rejected, no answer.

A dialled participant appears `connecting`; it is answered when its service type moves
on, and it failed when it is deleted first (the reason, when the node gives one in the
`participant_delete`, says how: the simulator sends "Busy", "Call rejected", "No answer").
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from pextui.conference.records import ParticipantRecord

OUTCOMES = {"busy": "busy", "call rejected": "rejected", "no answer": "no answer"}


@dataclass(slots=True)
class DialCall:
    uuid: str
    destination: str
    outcome: str = "ringing"
    reported: bool = False

    @property
    def settled(self) -> bool:
        return self.outcome != "ringing"


MAX_EARLY_ENDS = 64


class DialBook:
    def __init__(self) -> None:
        self.calls: dict[str, DialCall] = {}
        # deletes with a reason that came before the dial's answer named their uuid
        self._early: dict[str, str] = {}

    def dialled(self, uuid: str, destination: str) -> None:
        self.calls.setdefault(uuid, DialCall(uuid, destination))
        early = self._early.pop(uuid, None)
        if early is not None:
            self.ended(uuid, early)

    def observe(self, roster: Mapping[str, ParticipantRecord]) -> None:
        """Answered: a ringing call whose participant is no longer `connecting`."""
        for call in self.calls.values():
            record = roster.get(call.uuid)
            if (
                not call.settled
                and record is not None
                and record.participant.service_type != "connecting"
            ):
                call.outcome = "answered"

    def ended(self, uuid: str, reason: object) -> None:
        call = self.calls.get(uuid)
        if call is None and isinstance(reason, str) and reason:
            self._early[uuid] = reason
            while len(self._early) > MAX_EARLY_ENDS:
                del self._early[next(iter(self._early))]
            return
        if call is not None and not call.settled:
            text = reason if isinstance(reason, str) and reason else "ended"
            call.outcome = OUTCOMES.get(text.lower(), text)

    def take_settled(self) -> list[DialCall]:
        """Settled calls not yet reported (each is reported once)."""
        settled = [c for c in self.calls.values() if c.settled and not c.reported]
        for call in settled:
            call.reported = True
        return settled
