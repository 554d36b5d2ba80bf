"""The one call model the console shows, for PBX (Yeastar) and ACS calls alike.

A `Call` is what the phone panel lists: who is calling (untrusted text, kept raw here and
made safe by `shown_caller`), its state, when it started, the trunk it came in on and the
conference it is heading for. A `CallTransfer` is the outcome of bringing the call into a
conference, tracked end to end:

    requested -> accepted (the PBX / ACS said yes) -> left (the call left the PBX / ACS)
              -> arrived (the caller appeared in the conference roster)
    any unsettled step -> failed (reason) | timed_out

Steps only move forward (a late or repeated report never moves a transfer back), and a
settled transfer never changes again. No I/O, no clock of its own: callers pass `now`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any, Literal

from pextui.sanitize import safe_text

CallSource = Literal["yeastar", "acs"]
CallState = Literal["ringing", "talking", "on_hold", "consulting", "transferring", "ended"]
CALL_STATES: tuple[CallState, ...] = (
    "ringing",
    "talking",
    "on_hold",
    "consulting",
    "transferring",
    "ended",
)
TransferMode = Literal["blind", "attended"]
TransferState = Literal["requested", "accepted", "left", "arrived", "failed", "timed_out"]
TRANSFER_STATES: tuple[TransferState, ...] = (
    "requested",
    "accepted",
    "left",
    "arrived",
    "failed",
    "timed_out",
)
SETTLED: frozenset[TransferState] = frozenset({"arrived", "failed", "timed_out"})
_RANK: dict[TransferState, int] = {"requested": 0, "accepted": 1, "left": 2, "arrived": 3}

DEFAULT_TRANSFER_TIMEOUT = 30.0
CALLER_WIDTH = 40
ENDED_KEPT = 300.0  # seconds an ended call stays in the book (its outcome can be read)


@dataclass(slots=True)
class CallTransfer:
    """Bringing one call into one conference; `state` moves only forward."""

    target_alias: str  # the conference it should arrive in
    number: str  # what the PBX / ACS was asked to dial (number or SIP address)
    mode: TransferMode
    requested_at: float
    timeout: float = DEFAULT_TRANSFER_TIMEOUT
    state: TransferState = "requested"
    reason: str = ""
    updated_at: float = 0.0
    participant_uuid: str | None = None  # set on arrival

    @property
    def settled(self) -> bool:
        return self.state in SETTLED

    def advance(self, state: TransferState, now: float, reason: str = "") -> bool:
        """Move to `state` if that is progress; True when something changed."""
        if self.settled:
            return False
        if state in ("failed", "timed_out"):
            self.state, self.reason, self.updated_at = state, reason, now
            return True
        if _RANK[state] <= _RANK[self.state]:
            return False
        self.state, self.updated_at = state, now
        return True

    def expire(self, now: float) -> bool:
        """Settle as timed out when unsettled past the timeout; True when it did."""
        if self.settled or now - self.requested_at < self.timeout:
            return False
        waiting_for = {
            "requested": "the PBX to accept",
            "accepted": "the call to leave the PBX",
            "left": "the caller to appear in the conference",
        }[self.state]
        return self.advance(
            "timed_out", now, f"still waiting for {waiting_for} after {self.timeout:g} s"
        )

    def to_json(self) -> dict[str, Any]:
        return {
            "target_alias": self.target_alias,
            "number": self.number,
            "mode": self.mode,
            "state": self.state,
            "reason": self.reason,
            "requested_at": self.requested_at,
            "updated_at": self.updated_at,
            "participant_uuid": self.participant_uuid,
        }


@dataclass(slots=True)
class Call:
    """One live (or just ended) call on the PBX or in ACS."""

    id: str
    source: CallSource
    caller: str  # caller number / ID as received: untrusted, show via `shown_caller`
    state: CallState
    started: float
    caller_name: str = ""  # untrusted as well
    trunk: str = ""
    heading_for: str | None = None  # conference alias, once a transfer was asked for
    transfer: CallTransfer | None = None
    ended_at: float | None = None
    extra: dict[str, str] = field(default_factory=dict)  # source-specific ids (channel ...)

    @property
    def key(self) -> tuple[str, str]:
        return (self.source, self.id)

    def shown_caller(self, width: int = CALLER_WIDTH) -> str:
        """The caller as plain, terminal-safe text (show it as Content, never markup)."""
        name = safe_text(self.caller_name, width) if self.caller_name else ""
        number = safe_text(self.caller, width) if self.caller else ""
        if name and number and name != number:
            return safe_text(f"{name} <{number}>", width)
        return name or number or "unknown caller"

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "source": self.source,
            "caller": self.caller,
            "caller_name": self.caller_name,
            "state": self.state,
            "started": self.started,
            "ended_at": self.ended_at,
            "trunk": self.trunk,
            "heading_for": self.heading_for,
            "transfer": self.transfer.to_json() if self.transfer else None,
        }


class CallBook:
    """The calls of every source, by (source, id); `on_change` after every change."""

    def __init__(self, on_change: Callable[[Call], None] | None = None) -> None:
        self._calls: dict[tuple[str, str], Call] = {}
        self._on_change = on_change

    def get(self, source: str, call_id: str) -> Call | None:
        return self._calls.get((source, call_id))

    def put(self, call: Call) -> None:
        self._calls[call.key] = call
        self.changed(call)

    def remove(self, source: str, call_id: str) -> Call | None:
        call = self._calls.pop((source, call_id), None)
        if call is not None:
            self.changed(call)
        return call

    def changed(self, call: Call) -> None:
        if self._on_change is not None:
            self._on_change(call)

    def live(self) -> list[Call]:
        """Calls not ended, oldest first."""
        return sorted((c for c in self if c.state != "ended"), key=lambda c: c.started)

    def expire(self, now: float) -> list[Call]:
        """Time out overdue transfers; the calls whose transfer timed out."""
        expired = [c for c in self if c.transfer is not None and c.transfer.expire(now)]
        for call in expired:
            self.changed(call)
        return expired

    def prune(self, now: float, keep: float = ENDED_KEPT) -> int:
        """Forget calls that ended more than `keep` seconds ago; how many were dropped."""
        old = [c for c in self if c.ended_at is not None and now - c.ended_at > keep]
        for call in old:
            self._calls.pop(call.key, None)
        return len(old)

    def __iter__(self) -> Iterator[Call]:
        return iter(list(self._calls.values()))

    def __len__(self) -> int:
        return len(self._calls)
