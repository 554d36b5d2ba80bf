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
        assert keys.position(model[uuid]) == position
        assert keys.uuid_at(position) == uuid


@settings(max_examples=200, deadline=None)
@given(operations, st.sampled_from([1, 2, 3, 8]))
def test_matches_a_sorted_dict(ops: list[tuple[str, int, int]], load: int) -> None:
    """The caller keeps each uuid's key (the roster's records do): insert, remove, move."""
    with patch.object(sortedkeys, "LOAD", load):
        keys = SortedKeys()
        model: dict[str, tuple[Any, ...]] = {}
        for op, number, rank in ops:
            uuid = f"u{number}"
            old = model.get(uuid)
            if op == "upsert":
                key = (rank, uuid)
                if old is not None:
                    keys.remove(old)
                keys.insert(key)
                model[uuid] = key
            elif op == "discard":
                if old is not None:
                    keys.remove(old)
                    del model[uuid]
            else:
                keys.rebuild(list(model.values()))
            check(keys, model)


def test_remove_finds_an_equal_key_among_ties() -> None:
    """A key tuple equal to the stored one (not the same object) is found among keys whose
    first elements tie."""
    keys = SortedKeys()
    keys.rebuild([("ann", f"u{n}") for n in range(10)])
    keys.remove(("ann", "u4"))
    assert keys.uuids() == [f"u{n}" for n in range(10) if n != 4]
    assert keys.position(("ann", "u5")) == 4


def test_clear() -> None:
    keys = SortedKeys()
    keys.insert((1, "a"))
    keys.clear()
    assert len(keys) == 0 and keys.uuids() == []
