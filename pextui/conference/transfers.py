"""Transfers as outcomes, tracked at both ends (docs/architecture.md, "Transfers").

``request`` records a transfer of a participant of this conference to another alias, with
the participant's :class:`~pextui.conference.arrival.Identity`. Its states::

    requested -> left       the participant left this conference (participant_delete, or
                            absent from a re-sync); final unless the target is watched
              -> arrived    seen new in the target's roster (:meth:`TransferTracker.arrived`),
                            when the target is watched (open in the app, or `do --wait`);
                            may come before `left` (the target shows them while we still do)
    any unsettled -> failed     the server refused the request (its reason: wrong PIN,
                                unknown alias, refused)
                  -> timed_out  still here after the timeout, or left but never seen in
                                the watched target
                  -> rejected   accepted, then the call was rejected: the participant was
                                disconnected (a delete with a reason) and does not come back

Every change is kept in ``Transfer.history`` so a view can report each one once.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any, Literal

from pextui.conference.arrival import Identity, ParticipantFacts, pick

TransferState = Literal["requested", "left", "arrived", "failed", "timed_out", "rejected"]
FINAL: frozenset[TransferState] = frozenset({"arrived", "failed", "timed_out", "rejected"})

DEFAULT_TRANSFER_TIMEOUT = 30.0
_HISTORY = 100


@dataclass(slots=True)
class Transfer:
    id: int
    participant_uuid: str
    display_name: str
    target_alias: str
    role: str
    requested_at: float
    timeout: float
    source_alias: str = ""
    identity: Identity | None = None
    watched: bool = False  # the target's roster is observed: `left` is not the end
    state: TransferState = "requested"
    reason: str = ""
    settled_at: float | None = None
    left_at: float | None = None
    arrived_at: float | None = None
    arrived_uuid: str = ""  # the participant's UUID in the target
    history: list[tuple[float, TransferState]] = field(default_factory=list)

    @property
    def settled(self) -> bool:
        return self.settled_at is not None

    @property
    def succeeded(self) -> bool:
        """It left (target not watched) or arrived: the transfer did what was asked."""
        return self.state == "arrived" or (self.state == "left" and self.settled)

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "participant_uuid": self.participant_uuid,
            "display_name": self.display_name,
            "source_alias": self.source_alias,
            "target_alias": self.target_alias,
            "role": self.role,
            "state": self.state,
            "reason": self.reason,
            "requested_at": self.requested_at,
            "left_at": self.left_at,
            "arrived_at": self.arrived_at,
            "arrived_uuid": self.arrived_uuid,
            "settled_at": self.settled_at,
        }


class TransferTracker:
    """Transfers in flight and recent outcomes (``store.transfers``)."""

    def __init__(
        self,
        clock: Callable[[], float],
        participant_of: Callable[[str], ParticipantFacts | None],
        on_change: Callable[[], None],
        timeout: float = DEFAULT_TRANSFER_TIMEOUT,
    ) -> None:
        self._clock = clock
        self._participant_of = participant_of  # None when not in this conference
        self._on_change = on_change
        self.timeout = timeout
        self._next_id = 1
        self._active: dict[int, Transfer] = {}
        self._settled: deque[Transfer] = deque(maxlen=_HISTORY)

    def request(
        self,
        participant_uuid: str,
        target_alias: str,
        role: str = "guest",
        *,
        source_alias: str = "",
        watched: bool = False,
    ) -> int:
        participant = self._participant_of(participant_uuid)
        name = ""
        if participant is not None:
            name = participant.display_name or participant.uri
        now = self._clock()
        transfer = Transfer(
            self._next_id,
            participant_uuid,
            name,
            target_alias,
            role,
            now,
            self.timeout,
            source_alias=source_alias,
            identity=None if participant is None else Identity.of(participant),
            watched=watched,
            history=[(now, "requested")],
        )
        self._next_id += 1
        self._active[transfer.id] = transfer
        self._on_change()
        if participant is None:
            self._settle(transfer, "failed", "participant is not in this conference")
        return transfer.id

    def fail(self, transfer_id: int, reason: str) -> None:
        """The server refused the request (`reason` is its reason)."""
        transfer = self._active.get(transfer_id)
        if transfer is not None:
            self._settle(transfer, "failed", reason)

    def watch(self, alias: str) -> None:
        """The target `alias` is now observed: its transfers wait for the arrival."""
        for transfer in self._active.values():
            if transfer.target_alias.casefold() == alias.casefold():
                transfer.watched = True

    def expire(self, now: float | None = None) -> list[Transfer]:
        current = self._clock() if now is None else now
        expired = [t for t in self._active.values() if current - t.requested_at >= t.timeout]
        for transfer in expired:
            if transfer.state == "left":
                reason = (
                    f"left, but not seen in {transfer.target_alias} after {transfer.timeout:g} s"
                )
            else:
                reason = f"participant still in this conference after {transfer.timeout:g} s"
            self._settle(transfer, "timed_out", reason)
        return expired

    def get(self, transfer_id: int) -> Transfer | None:
        transfer = self._active.get(transfer_id)
        if transfer is not None:
            return transfer
        return next((t for t in self._settled if t.id == transfer_id), None)

    def active(self) -> list[Transfer]:
        return list(self._active.values())

    @property
    def waiting(self) -> bool:
        """Is any transfer still open (one that an arrival could settle)?"""
        return bool(self._active)

    def recent(self) -> list[Transfer]:
        return list(self._settled)

    def latest_for(self, uuid: str) -> Transfer | None:
        """The newest transfer of participant `uuid` (in flight first)."""
        for transfer in reversed(self._active.values()):
            if transfer.participant_uuid == uuid:
                return transfer
        return next((t for t in reversed(self._settled) if t.participant_uuid == uuid), None)

    def pending_to(self, alias: str) -> bool:
        folded = alias.casefold()
        return any(t.target_alias.casefold() == folded for t in self._active.values())

    def __iter__(self) -> Iterator[Transfer]:
        yield from self._settled
        yield from self._active.values()

    def __len__(self) -> int:
        return len(self._settled) + len(self._active)

    # -- what the rosters say ---------------------------------------------------------------

    def participant_left(self, uuid: str) -> None:
        """Called by the store when ``uuid`` leaves this conference."""
        if not self._active:
            return
        for transfer in [t for t in self._active.values() if t.participant_uuid == uuid]:
            if transfer.state != "requested":
                continue
            transfer.left_at = self._clock()
            if transfer.watched:
                self._advance(transfer, "left")
            else:
                self._settle(transfer, "left")

    def participant_rejected(self, uuid: str, reason: str) -> None:
        """``uuid`` was disconnected with `reason` while being transferred."""
        if not self._active:
            return
        for transfer in [t for t in self._active.values() if t.participant_uuid == uuid]:
            transfer.left_at = self._clock()
            self._settle(transfer, "rejected", reason)

    def arrived(self, alias: str, participant: ParticipantFacts) -> Transfer | None:
        """`participant` appeared, new, in conference `alias`: the transfer it completes."""
        if not self._active:
            return None
        transfer = pick(self._active.values(), alias, participant)
        if transfer is None:
            return None
        transfer.arrived_at = self._clock()
        transfer.arrived_uuid = participant.uuid
        self._settle(transfer, "arrived")
        return transfer

    # -- internals --------------------------------------------------------------------------

    def _advance(self, transfer: Transfer, state: TransferState) -> None:
        transfer.state = state
        transfer.history.append((self._clock(), state))
        self._on_change()

    def _settle(self, transfer: Transfer, state: TransferState, reason: str = "") -> None:
        self._active.pop(transfer.id, None)
        transfer.reason = reason
        transfer.settled_at = self._clock()
        self._settled.append(transfer)
        self._advance(transfer, state)
