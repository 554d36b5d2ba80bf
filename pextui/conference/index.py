"""The sorted + filtered roster view, maintained incrementally.

``RosterIndex`` holds the uuids of the records that match the filter, ordered by
the current sort. ``update(record)`` recomputes one record's key and filter
match: if neither changed nothing moves (the common case for mute, video or
role changes under a name sort); otherwise one removal and one insertion in a
blocked sorted list (O(log n) search plus a move of at most ``2 * LOAD``
pointers inside one block, see ``sortedkeys``). Changing the sort or the filter
rebuilds the view with one sort, O(n log n).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from typing import Literal, get_args

from pextui.conference.records import ParticipantRecord
from pextui.conference.sortedkeys import SortedKeys, SortKey

SortName = Literal["name", "role", "joined", "hand", "spoken"]
SORT_NAMES: tuple[str, ...] = get_args(SortName)


def _by_name(record: ParticipantRecord) -> SortKey:
    return (record.name_folded, record.uuid)


def _by_role(record: ParticipantRecord) -> SortKey:
    return (record.participant.role != "chair", record.name_folded, record.uuid)


def _by_joined(record: ParticipantRecord) -> SortKey:
    return (record.joined_at, record.name_folded, record.uuid)


def _by_hand(record: ParticipantRecord) -> SortKey:
    """Raised hands first, in the order they were raised; then everyone else by name."""
    buzz = record.participant.buzz_time
    if buzz > 0:
        return (0, buzz, "", record.uuid)
    return (1, 0.0, record.name_folded, record.uuid)


def _by_spoken(record: ParticipantRecord) -> SortKey:
    """Most recently heard first; never-heard participants last, by name."""
    return (-record.last_spoken, record.name_folded, record.uuid)


SORT_KEYS: dict[str, Callable[[ParticipantRecord], SortKey]] = {
    "name": _by_name,
    "role": _by_role,
    "joined": _by_joined,
    "hand": _by_hand,
    "spoken": _by_spoken,
}


class RosterIndex:
    """``len(index)``, ``index[i] -> uuid``, ``index.position(uuid)``, sort and filter."""

    __slots__ = (
        "_filter",
        "_key",
        "_keys",
        "_on_reorder",
        "_reverse",
        "_sort",
        "_source",
        "reads_hand",
        "reads_role",
        "reads_spoken",
    )

    def __init__(
        self,
        source: Mapping[str, ParticipantRecord],
        on_reorder: Callable[[], None] = lambda: None,
    ) -> None:
        self._source = source  # the roster: uuid -> record; each record holds its key
        self._keys = SortedKeys()
        self._sort: str = "name"
        self._key = SORT_KEYS["name"]
        self._reverse = False
        self._filter = ""
        self._on_reorder = on_reorder
        # What the current sort key reads besides the folded name and the uuid (which
        # every key reads) and the join time (which never changes): lets the store skip
        # ``update`` for changes the view cannot see.
        self.reads_hand = False
        self.reads_role = False
        self.reads_spoken = False

    # --- reading -----------------------------------------------------------------

    def __len__(self) -> int:
        return len(self._keys)

    def __getitem__(self, position: int) -> str:
        size = len(self._keys)
        if position < 0:
            position += size
        if not 0 <= position < size:
            raise IndexError("roster index out of range")
        return self._keys.uuid_at(size - 1 - position if self._reverse else position)

    def __iter__(self) -> Iterator[str]:
        uuids = self._keys.uuids()
        return reversed(uuids) if self._reverse else iter(uuids)

    def __contains__(self, uuid: object) -> bool:
        record = self._source.get(uuid) if isinstance(uuid, str) else None
        return record is not None and record.index_key is not None

    def position(self, uuid: str) -> int | None:
        """Row of ``uuid`` in the view, or None when it is filtered out or unknown."""
        record = self._source.get(uuid)
        if record is None or record.index_key is None:
            return None
        position = self._keys.position(record.index_key)
        return len(self._keys) - 1 - position if self._reverse else position

    def window(self, start: int, stop: int) -> list[str]:
        """The uuids of rows ``start`` to ``stop`` (exclusive), clamped to the view."""
        size = len(self._keys)
        start, stop = max(0, start), min(size, stop)
        return [self[i] for i in range(start, stop)]

    @property
    def sort(self) -> str:
        return self._sort

    @property
    def reverse(self) -> bool:
        return self._reverse

    @property
    def filter_text(self) -> str:
        return self._filter

    # --- configuring ------------------------------------------------------------------

    def set_sort(self, key: str, reverse: bool = False) -> None:
        """Sort by ``key`` ("name" | "role" | "joined" | "hand" | "spoken"); rebuilds the view."""
        if key not in SORT_KEYS:
            raise ValueError(f"unknown sort {key!r}; expected one of {', '.join(SORT_NAMES)}")
        self._sort = key
        self._key = SORT_KEYS[key]
        self.reads_hand = key == "hand"
        self.reads_role = key == "role"
        self.reads_spoken = key == "spoken"
        self._reverse = reverse
        self.rebuild()

    def set_filter(self, text: str) -> None:
        """Keep only records whose display name, URI or alias contains ``text`` (any case)."""
        needle = text.casefold().strip()
        if needle != self._filter:
            self._filter = needle
            self.rebuild()

    # --- maintaining -------------------------------------------------------------------

    def accepts(self, record: ParticipantRecord) -> bool:
        return not self._filter or self._filter in record.search_text

    def key(self, record: ParticipantRecord) -> SortKey:
        return self._key(record)

    def update(self, record: ParticipantRecord) -> None:
        """Re-place one record after it changed; moves it only if its key or match changed."""
        old = record.index_key
        if self._filter and self._filter not in record.search_text:
            if old is None:
                return
            key = None
        else:
            key = self._key(record)
            if key == old:
                return
            self._keys.insert(key)
        if old is not None:
            self._keys.remove(old)
        record.index_key = key
        self._on_reorder()

    def remove(self, record: ParticipantRecord) -> None:
        """``record`` left the roster."""
        old = record.index_key
        if old is not None:
            record.index_key = None
            self._keys.remove(old)
            self._on_reorder()

    def rebuild(self) -> None:
        """Re-sort everything from the roster: O(n log n)."""
        key = self._key
        needle = self._filter
        keys = []
        for record in self._source.values():
            if needle and needle not in record.search_text:
                record.index_key = None
            else:
                record.index_key = found = key(record)
                keys.append(found)
        self._keys.rebuild(keys)
        self._on_reorder()
