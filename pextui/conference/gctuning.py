"""Cyclic garbage collector policy for a process holding a large roster.

A synced roster of 20,000 participants is a few hundred thousand long-lived,
GC-tracked objects (pydantic models and their dicts) that never form reference
cycles and are freed by reference counting alone. With the default thresholds
each full collection walks all of them (about 0.4 s for 20,000 participants),
which pauses a UI and roughly halves the ingest rate of a busy stream.

`RosterGcPolicy` is what the console does: no collections while a sync is being
applied (it creates thousands of objects at once), then, for a large roster,
move what is alive to the permanent generation (`gc.freeze`) so that later
collections skip it, and collect the young generation less often so that
collections are fewer while each stays short. Frozen objects are still freed as
usual when their last reference goes; only a cycle among them would never be
collected. `restore()` puts CPython's settings back.
"""

from __future__ import annotations

import gc

LARGE_ROSTER = 2_000
"""Roster size from which freezing after a sync is worth it."""

LARGE_ROSTER_THRESHOLDS = (5_000, 10, 100)
"""Collector thresholds with a large roster (CPython's defaults: 700, 10, 10); measured
with benchmarks/tui_scale.py for a short loop delay at 1,000 events/s."""


def tune_gc_for_large_rosters(
    thresholds: tuple[int, int, int] = LARGE_ROSTER_THRESHOLDS,
) -> None:
    """Freeze what is alive now and collect less often (never more often than now)."""
    gc.freeze()
    current = gc.get_threshold()
    gc.set_threshold(*(max(old, new) for old, new in zip(current, thresholds, strict=True)))


class RosterGcPolicy:
    """The collector settings that follow a conference stream's syncs."""

    def __init__(self, large_roster: int = LARGE_ROSTER) -> None:
        self.large_roster = large_roster
        self._defaults = gc.get_threshold()

    def sync_started(self) -> None:
        gc.disable()

    def sync_ended(self, roster_size: int) -> None:
        gc.enable()
        if roster_size >= self.large_roster:
            tune_gc_for_large_rosters()

    def interrupted(self) -> None:
        """The stream changed state (reconnect, rejoin, end): a sync may have been cut short."""
        gc.enable()

    def restore(self) -> None:
        """The session is over: CPython's settings again (frozen objects are released)."""
        gc.enable()
        gc.unfreeze()
        gc.set_threshold(*self._defaults)
