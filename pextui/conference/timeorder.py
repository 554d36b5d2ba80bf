"""uuids in the order of a timestamp key (raised hands, spotlight): O(1) per change.

Hands are raised and participants spotlighted "now", so new keys almost always sort after
every present one. ``TimeOrder`` keeps the uuids in a dict whose insertion order is the
key order: a key larger than every key seen since the last sort is appended, a removal
is a dict delete, and nothing is searched. A key that arrives out of order (a clock step
on the server, a re-sync) only marks the order stale; the next read sorts once (Timsort:
linear on an almost sorted order). A sorted list would instead pay two O(log n) searches
over cache-cold keys per change, most of an event's cost in a large meeting.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from heapq import nsmallest
from itertools import islice
from operator import itemgetter

from pextui.conference.sortedkeys import SortKey


class TimeOrder:
    """uuids ordered by their keys (tuples ending with the uuid, so unique)."""

    __slots__ = ("_keys", "_last", "_stale")

    def __init__(self) -> None:
        self._keys: dict[str, SortKey] = {}
        self._last: SortKey | None = None  # >= every present key while not stale
        self._stale = False

    def __len__(self) -> int:
        return len(self._keys)

    def __contains__(self, uuid: object) -> bool:
        return uuid in self._keys

    def __iter__(self) -> Iterator[str]:
        if self._stale:
            self._resort()
        return iter(list(self._keys))

    def first(self, count: int) -> tuple[str, ...]:
        """The ``count`` uuids with the smallest keys, without copying the rest."""
        if self._stale:  # a partial selection: cheaper than sorting everything again
            smallest = nsmallest(count, self._keys.items(), key=itemgetter(1))
            return tuple(uuid for uuid, _ in smallest)
        return tuple(islice(self._keys, count))

    def last(self) -> str | None:
        """The uuid with the largest key (O(1) unless the order is stale)."""
        if self._stale:
            self._resort()
        return next(reversed(self._keys), None)

    def _resort(self) -> None:
        ordered = sorted(self._keys.items(), key=itemgetter(1))
        self._keys = dict(ordered)
        self._last = ordered[-1][1] if ordered else None
        self._stale = False

    def key_of(self, uuid: str) -> SortKey | None:
        return self._keys.get(uuid)

    def upsert(self, uuid: str, key: SortKey) -> bool:
        """Place ``uuid`` at ``key``; False (and nothing moves) if that is where it is."""
        keys = self._keys
        old = keys.get(uuid)
        if old == key:
            return False
        if old is not None:
            del keys[uuid]
        keys[uuid] = key
        last = self._last
        if last is None or key > last:
            self._last = key
        else:
            self._stale = True
        return True

    def discard(self, uuid: str) -> bool:
        keys = self._keys
        if keys.pop(uuid, None) is None:
            return False
        if not keys:
            self._last = None
            self._stale = False
        return True

    def rebuild(self, items: Iterable[tuple[str, SortKey]]) -> None:
        """Replace everything with one sort."""
        ordered = sorted(dict(items).items(), key=lambda item: item[1])
        self._keys = dict(ordered)
        self._last = ordered[-1][1] if ordered else None
        self._stale = False

    def clear(self) -> None:
        self.rebuild(())
