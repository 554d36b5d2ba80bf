"""A list of uuids kept sorted by a per-uuid key, maintained with bisect.

Keys are tuples whose last element is the uuid, so they are unique and totally
ordered. Lookup of a position is O(log n); insertion and removal are an
O(log n) search plus an O(n) pointer move inside the list (a C memmove, about a
microsecond for 20,000 entries). Re-keying a uuid to the key it already has
does nothing at all.
"""

from __future__ import annotations

from bisect import bisect_left, insort
from collections.abc import Iterable, Iterator
from typing import Any

SortKey = tuple[Any, ...]


class SortedKeys:
    """uuids ordered by their keys; ``upsert`` moves one uuid, ``rebuild`` sorts in bulk."""

    __slots__ = ("_key_of", "_keys")

    def __init__(self) -> None:
        self._keys: list[SortKey] = []
        self._key_of: dict[str, SortKey] = {}

    def __len__(self) -> int:
        return len(self._keys)

    def __contains__(self, uuid: object) -> bool:
        return uuid in self._key_of

    def __iter__(self) -> Iterator[str]:
        for key in self._keys:
            yield key[-1]

    def uuid_at(self, position: int) -> str:
        uuid: str = self._keys[position][-1]
        return uuid

    def key_of(self, uuid: str) -> SortKey | None:
        return self._key_of.get(uuid)

    def position(self, uuid: str) -> int | None:
        key = self._key_of.get(uuid)
        return None if key is None else bisect_left(self._keys, key)

    def upsert(self, uuid: str, key: SortKey) -> bool:
        """Place ``uuid`` at ``key``; False (and nothing moves) if that is where it is."""
        old = self._key_of.get(uuid)
        if old == key:
            return False
        if old is not None:
            del self._keys[bisect_left(self._keys, old)]
        insort(self._keys, key)
        self._key_of[uuid] = key
        return True

    def discard(self, uuid: str) -> bool:
        old = self._key_of.pop(uuid, None)
        if old is None:
            return False
        del self._keys[bisect_left(self._keys, old)]
        return True

    def rebuild(self, items: Iterable[tuple[str, SortKey]]) -> None:
        """Replace everything with one O(n log n) sort."""
        self._key_of = dict(items)
        self._keys = sorted(self._key_of.values())

    def clear(self) -> None:
        self._keys.clear()
        self._key_of.clear()

    def uuids(self) -> list[str]:
        return [key[-1] for key in self._keys]
