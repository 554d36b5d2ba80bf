"""Cyclic garbage collector policy for a process holding a large roster.

A synced roster of 20,000 participants is tens of thousands of long-lived, GC-tracked
objects that never form reference cycles and are freed by reference counting alone: the
roster records, the sort view's lists, and whatever the console keeps per row (the
participants themselves are untracked msgspec Structs: one tracked object per participant
where the pydantic models were three, and a full collection of a synced 20,000 store
30-34 ms instead of 48-70). With the default thresholds each full collection walks all
of them, which pauses a UI and slows the ingest of a busy stream.

`RosterGcPolicy` is what the console does: no collections while a sync is being
applied (it creates thousands of objects at once), then, for a large roster,
move what is alive to the permanent generation (`gc.freeze`) so that later
collections skip it, and collect the young generation less often so that
collections are fewer while each stays short. Frozen objects are still freed as
usual when their last reference goes; only a cycle among them would never be
collected. `restore()` puts CPython's settings back.

CPython starts a collection when the tracked objects allocated minus those freed pass a
threshold. A busy meeting replaces participants' objects at its event rate: a new one
allocated, an old one freed, no net growth; so collections stay rare while the young
generation fills with thousands of survivors, and each collection then walks all of them
(~100-250 ms at 50,000 participants and 2,000 events/s). With a large roster the policy
therefore collects on a clock (`tick`, called between events): the young generation every
`YOUNG_EVERY_S`, the middle one every `MIDDLE_EVERY` of those, so each pause walks only what
survived a fraction of a second. The full collection (everything since the freeze) runs
every `FULL_EVERY` middle ones (~10 minutes): cyclic garbage among older objects waits
that long, as the frozen objects wait for `restore()`.
"""

from __future__ import annotations

import gc
import time
from collections.abc import Callable

LARGE_ROSTER = 2_000
"""Roster size from which freezing after a sync is worth it."""

LARGE_ROSTER_THRESHOLDS = (5_000, 10, 100)
"""Collector thresholds with a large roster (CPython's defaults: 700, 10, 10); measured
with benchmarks/tui_scale.py for a short loop delay at 1,000 events/s."""

YOUNG_EVERY_S = 0.1
"""With a large roster, the young generation is collected this often (`tick`)."""

MIDDLE_EVERY = 5
"""Young collections between two of the middle generation with a large roster (0.5 s)."""

FULL_EVERY = 1_200
"""Middle-generation collections between two full ones with a large roster (~10 min)."""


def tune_gc_for_large_rosters(
    thresholds: tuple[int, int, int] = LARGE_ROSTER_THRESHOLDS,
) -> None:
    """Freeze what is alive now and collect less often (never more often than now)."""
    gc.freeze()
    current = gc.get_threshold()
    gc.set_threshold(*(max(old, new) for old, new in zip(current, thresholds, strict=True)))


class RosterGcPolicy:
    """The collector settings that follow a conference stream's syncs."""

    def __init__(
        self, large_roster: int = LARGE_ROSTER, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.large_roster = large_roster
        self._defaults = gc.get_threshold()
        self._clock = clock
        self._timed = False  # collections on a clock (`tick`): a large roster is live
        self._young_at = 0.0
        self._young_since_full = 0

    def stream_started(self) -> None:
        """A conference stream is about to be read: what is alive now (the modules, the app
        and its screens) lives as long as the process, so later collections skip it (the
        first full collection would otherwise walk all of it, ~0.1-0.2 s, mid-join)."""
        gc.freeze()

    def sync_started(self) -> None:
        gc.disable()

    def sync_ended(self, roster_size: int) -> None:
        gc.enable()
        self._timed = roster_size >= self.large_roster
        if self._timed:
            tune_gc_for_large_rosters()

    def tick(self) -> int | None:
        """Between two events: with a large roster, the collection that is due, if any
        (0 young, 1 middle, 2 full; None: nothing was due)."""
        if not self._timed or not gc.isenabled():
            return None
        now = self._clock()
        if now - self._young_at < YOUNG_EVERY_S:
            return None
        self._young_at = now
        middle = gc.get_count()[1] >= MIDDLE_EVERY
        generation = 1 if middle else 0
        if middle:
            self._young_since_full += 1
            if self._young_since_full >= FULL_EVERY:
                self._young_since_full, generation = 0, 2
        gc.collect(generation)
        return generation

    def interrupted(self) -> None:
        """The stream changed state (reconnect, rejoin, end): a sync may have been cut short."""
        gc.enable()

    def restore(self) -> None:
        """The session is over: CPython's settings again (frozen objects are released)."""
        self._timed = False
        gc.enable()
        gc.unfreeze()
        gc.set_threshold(*self._defaults)
