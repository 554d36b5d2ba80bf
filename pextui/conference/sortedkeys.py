"""uuids kept sorted by a per-uuid key, in a blocked sorted list.

Keys are tuples whose last element is the uuid, so they are unique and totally
ordered. The keys live in blocks of at most ``2 * LOAD`` sorted entries, with the
last key of each block in ``_maxes``; so finding a key is two bisects
(O(log n)), and inserting or removing one moves at most ``2 * LOAD`` pointers
inside its block (a plain sorted list would move O(n): about 3 µs per change at
20,000 entries). Positional access (``uuid_at``, ``position``) adds the lengths
of the preceding blocks from a prefix array that is rebuilt, in O(n / LOAD), on
the first positional read after a change. Re-keying a uuid to the key it
already has does nothing at all.

Each block has a parallel list of its keys' first elements (``_heads``). With a
large roster the keys are cold in the CPU cache, so a search inside a block
bisects the heads (one object per probe, usually a casefolded name) and compares
whole key tuples only among entries whose first elements tie; finding the block does
the same over the maxes' first elements (``_max_heads``).
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Iterator
from itertools import accumulate
from typing import Any

SortKey = tuple[Any, ...]

LOAD = 256


class SortedKeys:
    """uuids ordered by their keys; ``upsert`` moves one uuid, ``rebuild`` sorts in bulk."""

    __slots__ = ("_blocks", "_heads", "_max_heads", "_maxes", "_offsets", "key_by_uuid")

    def __init__(self) -> None:
        self._blocks: list[list[SortKey]] = []
        self._heads: list[list[Any]] = []  # key[0] of every key of the block alongside
        self._maxes: list[SortKey] = []
        self._max_heads: list[Any] = []  # key[0] of every max
        # Read-only for callers: lets a caller skip ``upsert`` when the key is unchanged.
        self.key_by_uuid: dict[str, SortKey] = {}
        self._offsets: list[int] | None = [0]

    def __len__(self) -> int:
        return len(self.key_by_uuid)

    def __contains__(self, uuid: object) -> bool:
        return uuid in self.key_by_uuid

    def __iter__(self) -> Iterator[str]:
        for block in self._blocks:
            for key in block:
                yield key[-1]

    def uuids(self) -> list[str]:
        return [key[-1] for block in self._blocks for key in block]

    def key_of(self, uuid: str) -> SortKey | None:
        return self.key_by_uuid.get(uuid)

    # --- positions ---------------------------------------------------------------------

    def _prefix(self) -> list[int]:
        offsets = self._offsets
        if offsets is None:
            offsets = self._offsets = [0, *accumulate(len(block) for block in self._blocks)]
        return offsets

    def uuid_at(self, position: int) -> str:
        """The uuid at ``position`` (0-based, must be in range)."""
        offsets = self._prefix()
        number = bisect_right(offsets, position) - 1
        uuid: str = self._blocks[number][position - offsets[number]][-1]
        return uuid

    def position(self, uuid: str) -> int | None:
        key = self.key_by_uuid.get(uuid)
        if key is None:
            return None
        number = self._block_of(key)
        return self._prefix()[number] + self._find(number, key)

    # --- changes -----------------------------------------------------------------------

    def upsert(self, uuid: str, key: SortKey) -> bool:
        """Place ``uuid`` at ``key``; False (and nothing moves) if that is where it is."""
        old = self.key_by_uuid.get(uuid)
        if old == key:
            return False
        if old is not None:
            self._delete(old)
        self._insert(key)
        self.key_by_uuid[uuid] = key
        return True

    def discard(self, uuid: str) -> bool:
        old = self.key_by_uuid.pop(uuid, None)
        if old is None:
            return False
        self._delete(old)
        return True

    def rebuild(self, items: Iterable[tuple[str, SortKey]]) -> None:
        """Replace everything with one O(n log n) sort."""
        self.key_by_uuid.clear()
        self.key_by_uuid.update(items)
        ordered = sorted(self.key_by_uuid.values())
        self._blocks = [ordered[i : i + LOAD] for i in range(0, len(ordered), LOAD)]
        self._heads = [[key[0] for key in block] for block in self._blocks]
        self._maxes = [block[-1] for block in self._blocks]
        self._max_heads = [key[0] for key in self._maxes]
        self._offsets = None

    def clear(self) -> None:
        self.rebuild(())

    def _block_of(self, key: SortKey) -> int:
        """The first block whose max is >= ``key`` (``bisect_left`` on the maxes), comparing
        the maxes' first elements and whole keys only among ties."""
        max_heads = self._max_heads
        head = key[0]
        number = bisect_left(max_heads, head)
        if number < len(max_heads) and max_heads[number] == head:
            high = bisect_right(max_heads, head, number)
            return bisect_left(self._maxes, key, number, high)
        return number

    def _find(self, number: int, key: SortKey) -> int:
        """Where ``key`` is, or goes, in block ``number`` (bisect_left semantics)."""
        heads = self._heads[number]
        head = key[0]
        low = bisect_left(heads, head)
        if low < len(heads) and heads[low] == head:  # a tie: the whole keys decide
            high = bisect_right(heads, head, low)
            return bisect_left(self._blocks[number], key, low, high)
        return low

    def _insert(self, key: SortKey) -> None:
        self._offsets = None
        maxes = self._maxes
        if not maxes:
            self._blocks.append([key])
            self._heads.append([key[0]])
            maxes.append(key)
            self._max_heads.append(key[0])
            return
        number = self._block_of(key)
        if number == len(maxes):
            number -= 1
            self._blocks[number].append(key)
            self._heads[number].append(key[0])
            maxes[number] = key
            self._max_heads[number] = key[0]
        else:
            at = self._find(number, key)
            self._blocks[number].insert(at, key)
            self._heads[number].insert(at, key[0])
        block = self._blocks[number]
        if len(block) > 2 * LOAD:
            heads = self._heads[number]
            self._blocks[number : number + 1] = [block[:LOAD], block[LOAD:]]
            self._heads[number : number + 1] = [heads[:LOAD], heads[LOAD:]]
            maxes[number : number + 1] = [block[LOAD - 1], block[-1]]
            self._max_heads[number : number + 1] = [heads[LOAD - 1], heads[-1]]

    def _delete(self, key: SortKey) -> None:
        self._offsets = None
        maxes = self._maxes
        number = self._block_of(key)
        block = self._blocks[number]
        # ``key`` is the very object stored (``key_by_uuid`` holds it): when its first
        # element is not tied, the heads' bisect lands on it, and no key tuple is compared.
        at = bisect_left(self._heads[number], key[0])
        if block[at] is not key:
            at = self._find(number, key)
        del block[at]
        del self._heads[number][at]
        if not block:
            del self._blocks[number]
            del self._heads[number]
            del maxes[number]
            del self._max_heads[number]
        elif maxes[number] is not block[-1]:
            maxes[number] = block[-1]
            self._max_heads[number] = block[-1][0]
