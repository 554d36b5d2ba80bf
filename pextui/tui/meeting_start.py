"""The meeting's start as the status bar shows it: the earliest join time in the roster.

:class:`EarliestStart` follows the store's change feed instead of scanning the whole
roster: a participant that joined earlier than the one held becomes the start; only when
the holder leaves (or their start time changes, or the roster was re-synced) is the
roster scanned again, once, on the next read.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from typing import Any

BULK = 1_000  # more changes than this in one drain: one scan is as cheap


def _start_of(record: Any) -> float:
    return float(record.participant.start_time or 0.0)


class EarliestStart:
    """The smallest positive ``start_time`` among the roster's participants (0: unknown)."""

    def __init__(self) -> None:
        self._start = 0.0
        self._holder: str | None = None
        self._valid = False

    def invalidate(self) -> None:
        self._valid = False

    def update(
        self, roster: Mapping[str, Any], changed: Collection[str], removed: Collection[str]
    ) -> None:
        """Apply one drain of the change feed (a sync's worth of changes: scan again)."""
        if not self._valid:
            return
        if len(changed) > BULK:
            self._valid = False
            return
        holder = self._holder
        if holder is not None and holder in removed:
            self._valid = False
            return
        for uuid in changed:
            record = roster.get(uuid)
            start = _start_of(record) if record is not None else 0.0
            if uuid == holder and start != self._start:
                self._valid = False  # the holder's own start moved: scan again
                return
            if start > 0 and (self._start == 0 or start < self._start):
                self._start, self._holder = start, uuid
                holder = uuid

    def value(self, roster: Mapping[str, Any]) -> float:
        if not self._valid:
            self._start, self._holder = 0.0, None
            for uuid, record in roster.items():
                start = _start_of(record)
                if start > 0 and (self._start == 0 or start < self._start):
                    self._start, self._holder = start, uuid
            self._valid = True
        return self._start
