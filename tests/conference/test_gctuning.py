"""tune_gc_for_large_rosters: freezes what is alive and raises the young threshold."""

from __future__ import annotations

import gc

from pextui.conference import tune_gc_for_large_rosters
from pextui.conference.gctuning import YOUNG_THRESHOLD


def test_tuning_freezes_live_objects_and_raises_the_young_threshold() -> None:
    before = gc.get_threshold()
    kept = [{"roster": n} for n in range(100)]
    try:
        gc.unfreeze()
        tune_gc_for_large_rosters()
        assert gc.get_freeze_count() > len(kept)
        first, second, third = gc.get_threshold()
        assert first == max(before[0], YOUNG_THRESHOLD)
        assert (second, third) == before[1:]
        tune_gc_for_large_rosters(young_threshold=10)  # never lowers it
        assert gc.get_threshold()[0] == first
    finally:
        gc.unfreeze()
        gc.set_threshold(*before)
