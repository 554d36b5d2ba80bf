"""Transfers as outcomes, in the manner of ACS CallTransferAccepted / CallTransferFailed.

``request`` records a transfer of a participant to another alias. Its outcome is
``transferred`` once the participant leaves this conference (participant_delete,
or absent from a re-sync), or ``failed`` with a reason: from the caller when the
HTTP request fails, or from ``expire`` when the participant is still here after
the timeout.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any, Literal

TransferState = Literal["requested", "transferred", "failed"]

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
    state: TransferState = "requested"
    reason: str = ""
    settled_at: float | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "participant_uuid": self.participant_uuid,
            "display_name": self.display_name,
            "target_alias": self.target_alias,
            "role": self.role,
            "state": self.state,
            "reason": self.reason,
            "requested_at": self.requested_at,
            "settled_at": self.settled_at,
        }


class TransferTracker:
    """Transfers in flight and recent outcomes (``store.transfers``)."""

    def __init__(
        self,
        clock: Callable[[], float],
        name_of: Callable[[str], str | None],
        on_change: Callable[[], None],
        timeout: float = DEFAULT_TRANSFER_TIMEOUT,
    ) -> None:
        self._clock = clock
        self._name_of = name_of  # None when the participant is not in this conference
        self._on_change = on_change
        self.timeout = timeout
        self._next_id = 1
        self._active: dict[int, Transfer] = {}
        self._settled: deque[Transfer] = deque(maxlen=_HISTORY)

    def request(self, participant_uuid: str, target_alias: str, role: str = "guest") -> int:
        name = self._name_of(participant_uuid)
        transfer = Transfer(
            self._next_id,
            participant_uuid,
            name or "",
            target_alias,
            role,
            self._clock(),
            self.timeout,
        )
        self._next_id += 1
        self._active[transfer.id] = transfer
        self._on_change()
        if name is None:
            self._settle(transfer, "failed", "participant is not in this conference")
        return transfer.id

    def fail(self, transfer_id: int, reason: str) -> None:
        transfer = self._active.get(transfer_id)
        if transfer is not None:
            self._settle(transfer, "failed", reason)

    def expire(self, now: float | None = None) -> list[Transfer]:
        current = self._clock() if now is None else now
        expired = [t for t in self._active.values() if current - t.requested_at >= t.timeout]
        for transfer in expired:
            reason = f"participant still in this conference after {transfer.timeout:g} s"
            self._settle(transfer, "failed", reason)
        return expired

    def get(self, transfer_id: int) -> Transfer | None:
        transfer = self._active.get(transfer_id)
        if transfer is not None:
            return transfer
        return next((t for t in self._settled if t.id == transfer_id), None)

    def active(self) -> list[Transfer]:
        return list(self._active.values())

    def recent(self) -> list[Transfer]:
        return list(self._settled)

    def __iter__(self) -> Iterator[Transfer]:
        yield from self._settled
        yield from self._active.values()

    def participant_left(self, uuid: str) -> None:
        """Called by the store when ``uuid`` leaves: its transfers succeeded."""
        if not self._active:
            return
        for transfer in [t for t in self._active.values() if t.participant_uuid == uuid]:
            self._settle(transfer, "transferred")

    def _settle(self, transfer: Transfer, state: TransferState, reason: str = "") -> None:
        self._active.pop(transfer.id, None)
        transfer.state = state
        transfer.reason = reason
        transfer.settled_at = self._clock()
        self._settled.append(transfer)
        self._on_change()
