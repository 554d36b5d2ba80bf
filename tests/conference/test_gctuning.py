"""The collector policy for large rosters: paused during a sync, frozen and tuned after."""

from __future__ import annotations

import gc
import weakref
from collections.abc import Iterator

import pytest

from pextui.conference import RosterGcPolicy, tune_gc_for_large_rosters
from pextui.conference.gctuning import LARGE_ROSTER_THRESHOLDS, YOUNG_EVERY_S


@pytest.fixture
def gc_settings() -> Iterator[tuple[int, int, int]]:
    before = gc.get_threshold()
    gc.unfreeze()
    yield before
    gc.enable()
    gc.unfreeze()
    gc.set_threshold(*before)


def test_tuning_freezes_live_objects_and_raises_the_thresholds(
    gc_settings: tuple[int, int, int],
) -> None:
    kept = [{"roster": n} for n in range(100)]
    tune_gc_for_large_rosters()
    assert gc.get_freeze_count() > len(kept)
    expected = tuple(max(a, b) for a, b in zip(gc_settings, LARGE_ROSTER_THRESHOLDS, strict=True))
    assert gc.get_threshold() == expected
    tune_gc_for_large_rosters(thresholds=(10, 1, 1))  # never lowers them
    assert gc.get_threshold() == expected


def test_policy_pauses_collection_during_a_sync_and_tunes_only_large_rosters(
    gc_settings: tuple[int, int, int],
) -> None:
    policy = RosterGcPolicy(large_roster=1000)
    policy.sync_started()
    assert not gc.isenabled()
    policy.sync_ended(roster_size=10)
    assert gc.isenabled()
    assert gc.get_freeze_count() == 0 and gc.get_threshold() == gc_settings
    policy.sync_started()
    policy.interrupted()  # a reconnect cut the sync short
    assert gc.isenabled()
    policy.sync_started()
    policy.sync_ended(roster_size=1000)
    assert gc.isenabled() and gc.get_freeze_count() > 0
    assert gc.get_threshold() != gc_settings
    policy.restore()
    assert gc.get_freeze_count() == 0 and gc.get_threshold() == gc_settings


class _Cycle:
    def __init__(self) -> None:
        self.me = self


def test_with_a_large_roster_tick_collects_young_garbage_on_a_clock(
    gc_settings: tuple[int, int, int],
) -> None:
    now = [100.0]
    policy = RosterGcPolicy(large_roster=10, clock=lambda: now[0])
    assert policy.tick() is None  # no large roster yet: CPython's own schedule
    policy.sync_started()
    policy.sync_ended(roster_size=10)
    gone: list[bool] = []
    cycle = _Cycle()
    ref = weakref.ref(cycle, lambda _: gone.append(True))
    del cycle  # a reference cycle: only a collection frees it
    assert ref() is not None
    assert policy.tick() in (0, 1)
    assert gone == [True]
    assert policy.tick() is None  # not due again before YOUNG_EVERY_S
    generations = []
    for _ in range(30):
        now[0] += YOUNG_EVERY_S
        generations.append(policy.tick())
    assert 1 in generations and 0 in generations  # the middle one every MIDDLE_EVERY young
    policy.restore()
    now[0] += 1
    assert policy.tick() is None


def test_a_stream_start_freezes_what_is_alive_and_restore_lets_it_go(
    gc_settings: tuple[int, int, int],
) -> None:
    app_like = [{"screen": n} for n in range(100)]  # alive before the stream: frozen
    policy = RosterGcPolicy()
    policy.stream_started()
    assert gc.get_freeze_count() > len(app_like)
    assert gc.get_threshold() == gc_settings  # only frozen, not tuned
    policy.restore()
    assert gc.get_freeze_count() == 0
