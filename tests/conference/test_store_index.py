"""The sorted + filtered roster index."""

from __future__ import annotations

import pytest

from pextui.conference import ConferenceStore
from tests.conference.conference_helpers import (
    FakeClock,
    apply_all,
    create,
    delete,
    event,
    expected_order,
    new_store,
    person,
    sync,
    update,
)


def _store_with_people() -> ConferenceStore:
    store = new_store(FakeClock(0.0))
    store.apply(create("u1", "carol", start_time=300, role="chair"))
    store.apply(create("u2", "Alice", start_time=100, buzz_time=50))
    store.apply(create("u3", "bob", start_time=200, buzz_time=20, uri="sip:robert@corp.example"))
    store.apply(create("u4", "Dave", start_time=400, local_alias="meet.board"))
    return store


def test_default_sort_is_by_name_case_insensitive() -> None:
    store = _store_with_people()
    assert list(store.index) == ["u2", "u3", "u1", "u4"]
    assert len(store.index) == 4
    assert store.index[0] == "u2"
    assert store.index[-1] == "u4"
    assert store.index.position("u1") == 2
    assert store.index.position("missing") is None
    with pytest.raises(IndexError):
        store.index[4]


@pytest.mark.parametrize(
    ("key", "reverse", "order"),
    [
        ("name", False, ["u2", "u3", "u1", "u4"]),
        ("name", True, ["u4", "u1", "u3", "u2"]),
        ("role", False, ["u1", "u2", "u3", "u4"]),  # hosts first, then by name
        ("joined", False, ["u2", "u3", "u1", "u4"]),
        ("joined", True, ["u4", "u1", "u3", "u2"]),
        ("hand", False, ["u3", "u2", "u1", "u4"]),  # raised first by buzz_time, then by name
    ],
)
def test_sort_keys(key: str, reverse: bool, order: list[str]) -> None:
    store = _store_with_people()
    store.index.set_sort(key, reverse)
    assert list(store.index) == order
    assert [store.index.position(u) for u in order] == list(range(len(order)))
    assert store.index.sort == key and store.index.reverse is reverse


def test_sort_by_last_spoken() -> None:
    clock = FakeClock(10.0)
    store = new_store(clock)
    apply_all(store, sync(person("a", "A"), person("b", "B"), person("c", "C")))
    store.index.set_sort("spoken")
    assert list(store.index) == ["a", "b", "c"]  # nobody spoke yet: by name
    store.apply(event("stage", [{"participant_uuid": "c", "stage_index": 0, "vad": 100}]))
    clock.advance(1)
    store.apply(event("stage", [{"participant_uuid": "b", "stage_index": 0, "vad": 100}]))
    assert list(store.index) == ["b", "c", "a"]


def test_unknown_sort_key_is_rejected() -> None:
    store = new_store()
    with pytest.raises(ValueError, match="unknown sort"):
        store.index.set_sort("shoe size")


def test_filter_matches_name_uri_and_alias_in_any_case() -> None:
    store = _store_with_people()
    store.index.set_filter("ALI")
    assert list(store.index) == ["u2"]
    store.index.set_filter("robert")  # in the URI only
    assert list(store.index) == ["u3"]
    store.index.set_filter("meet.BOARD")  # alias
    assert list(store.index) == ["u4"]
    store.index.set_filter("nobody")
    assert len(store.index) == 0
    assert store.index.position("u1") is None
    store.index.set_filter("")
    assert len(store.index) == 4


def test_filter_is_maintained_on_updates() -> None:
    store = _store_with_people()
    store.index.set_filter("zed")
    assert list(store.index) == []
    store.apply(update("u1", "Zed", start_time=300, role="chair"))
    assert list(store.index) == ["u1"]
    store.apply(create("u9", "Zedd"))
    assert list(store.index) == ["u1", "u9"]
    store.apply(update("u1", "Carol", start_time=300, role="chair"))
    assert list(store.index) == ["u9"]


def test_update_that_keeps_the_key_moves_nothing() -> None:
    store = _store_with_people()
    store.drain_changes()
    store.apply(update("u1", "carol", start_time=300, role="chair", is_muted="YES"))
    changes = store.drain_changes()
    assert changes.changed == {"u1"}
    assert not changes.roster_order
    store.apply(update("u1", "Aaron", start_time=300, role="chair", is_muted="YES"))
    changes = store.drain_changes()
    assert changes.roster_order
    assert store.index[0] == "u1"


def test_window_clamps() -> None:
    store = _store_with_people()
    assert store.index.window(1, 3) == ["u3", "u1"]
    assert store.index.window(-5, 99) == ["u2", "u3", "u1", "u4"]


def test_index_matches_scratch_after_mixed_changes() -> None:
    store = new_store()
    apply_all(store, sync(*(person(f"p{n}", f"Name {n % 7}", buzz_time=n % 3) for n in range(60))))
    for key in ("name", "role", "joined", "hand", "spoken"):
        for reverse in (False, True):
            store.index.set_sort(key, reverse)
            store.apply(update("p5", "AAA", buzz_time=9))
            store.apply(delete(f"p{10 + len(key)}"))
            store.apply(create(f"new-{key}-{reverse}", "mid"))
            assert list(store.index) == expected_order(store)


@pytest.mark.parametrize(
    ("key", "change", "moves"),
    [
        ("name", {"buzz_time": 5}, False),
        ("name", {"role": "guest"}, False),
        ("hand", {"buzz_time": 5}, True),
        ("role", {"role": "guest"}, True),
        ("joined", {"buzz_time": 5, "role": "guest"}, False),
    ],
)
def test_view_moves_only_for_the_fields_its_sort_reads(
    key: str, change: dict[str, object], moves: bool
) -> None:
    store = _store_with_people()
    store.index.set_sort(key)
    store.drain_changes()
    store.apply(update("u1", "carol", **{"start_time": 300, "role": "chair", **change}))
    changes = store.drain_changes()
    assert changes.changed == {"u1"}
    assert changes.roster_order is moves
    assert list(store.index) == expected_order(store)


def test_spoken_sort_follows_last_spoken_time_updates() -> None:
    store = _store_with_people()
    store.index.set_sort("spoken")
    store.drain_changes()
    store.apply(update("u4", "Dave", start_time=400, local_alias="meet.board", last_spoken_time=9))
    assert store.drain_changes().roster_order
    assert store.index[0] == "u4"
    assert list(store.index) == expected_order(store)
