"""The blocked sorted list behind the roster index, hands and spotlight."""

from __future__ import annotations

from typing import Any
from unittest.mock import patch

from hypothesis import given, settings
from hypothesis import strategies as st

from pextui.conference import sortedkeys
from pextui.conference.sortedkeys import SortedKeys

operations = st.lists(
    st.tuples(
        st.sampled_from(["upsert", "upsert", "discard", "rebuild"]),
        st.integers(0, 40),
        st.integers(0, 9),
    ),
    max_size=120,
)


def check(keys: SortedKeys, model: dict[str, tuple[Any, ...]]) -> None:
    expected = [key[-1] for key in sorted(model.values())]
    assert keys.uuids() == expected
    assert list(keys) == expected
    assert len(keys) == len(expected)
    for position, uuid in enumerate(expected):
        assert keys.position(uuid) == position
        assert keys.uuid_at(position) == uuid
        assert uuid in keys
        assert keys.key_of(uuid) == model[uuid]


@settings(max_examples=200, deadline=None)
@given(operations, st.sampled_from([1, 2, 3, 8]))
def test_matches_a_sorted_dict(ops: list[tuple[str, int, int]], load: int) -> None:
    with patch.object(sortedkeys, "LOAD", load):
        keys = SortedKeys()
        model: dict[str, tuple[Any, ...]] = {}
        for op, number, rank in ops:
            uuid = f"u{number}"
            if op == "upsert":
                key = (rank, uuid)
                moved = keys.upsert(uuid, key)
                assert moved == (model.get(uuid) != key)
                model[uuid] = key
            elif op == "discard":
                assert keys.discard(uuid) == (uuid in model)
                model.pop(uuid, None)
            else:
                keys.rebuild(list(model.items()))
            check(keys, model)
        assert keys.position("never") is None


def test_upsert_to_the_same_key_does_nothing() -> None:
    keys = SortedKeys()
    assert keys.upsert("a", (1, "a"))
    assert not keys.upsert("a", (1, "a"))
    assert keys.upsert("a", (0, "a"))
    assert keys.position("a") == 0


def test_clear() -> None:
    keys = SortedKeys()
    keys.upsert("a", (1, "a"))
    keys.clear()
    assert len(keys) == 0 and keys.uuids() == [] and "a" not in keys
