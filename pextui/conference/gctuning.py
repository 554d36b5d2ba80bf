"""Cyclic garbage collector settings for a console holding a large roster.

A synced roster of 20,000 participants is a few hundred thousand long-lived,
GC-tracked objects (pydantic models and their dicts) that never form reference
cycles and are freed by reference counting alone. With the default thresholds
each full collection walks all of them, which roughly halves the ingest rate
of a busy stream. ``tune_gc_for_large_rosters`` moves the objects alive now to
the permanent generation (``gc.freeze``), so later collections skip them, and
raises the young-generation threshold so collections run less often. Frozen
objects are still freed as usual when their last reference goes; only a cycle
among them would never be collected.

Call it once at start-up and again after each large sync (for example when
``drain_changes().resynced`` and the roster has a thousand or more entries).
"""

from __future__ import annotations

import gc

LARGE_ROSTER = 1_000
"""Roster size from which re-freezing after a sync is worth it."""

YOUNG_THRESHOLD = 20_000
"""Allocations between young-generation collections (CPython's default is 700)."""


def tune_gc_for_large_rosters(young_threshold: int = YOUNG_THRESHOLD) -> None:
    """Freeze what is alive now and collect the young generation less often."""
    gc.collect()
    gc.freeze()
    first, second, third = gc.get_threshold()
    gc.set_threshold(max(first, young_threshold), second, third)
