"""EarliestStart: the meeting's start follows the change feed, scanning only when needed."""

from __future__ import annotations

from collections.abc import ItemsView, Iterator, Mapping
from dataclasses import dataclass

from pextui.tui.meeting_start import BULK, EarliestStart


@dataclass
class P:
    start_time: float


@dataclass
class R:
    participant: P


class CountingRoster(Mapping[str, R]):
    """A roster that counts full scans (``items``)."""

    def __init__(self, **records: R) -> None:
        self.data = dict(records)
        self.scans = 0

    def __getitem__(self, uuid: str) -> R:
        return self.data[uuid]

    def __iter__(self) -> Iterator[str]:
        return iter(self.data)

    def __len__(self) -> int:
        return len(self.data)

    def __setitem__(self, uuid: str, record: R) -> None:
        self.data[uuid] = record

    def __delitem__(self, uuid: str) -> None:
        del self.data[uuid]

    def items(self) -> ItemsView[str, R]:
        self.scans += 1
        return super().items()


def test_follows_joins_and_rescans_only_when_the_earliest_leaves() -> None:
    roster = CountingRoster(a=R(P(100.0)), b=R(P(50.0)), c=R(P(0.0)))
    start = EarliestStart()
    assert start.value(roster) == 50.0 and roster.scans == 1  # the first read scans
    roster["d"] = R(P(70.0))
    start.update(roster, {"d"}, set())
    assert start.value(roster) == 50.0 and roster.scans == 1
    roster["e"] = R(P(20.0))
    start.update(roster, {"e"}, set())
    assert start.value(roster) == 20.0 and roster.scans == 1  # an earlier join, no scan
    del roster["a"]
    start.update(roster, set(), {"a"})
    assert start.value(roster) == 20.0 and roster.scans == 1  # not the earliest: no scan
    del roster["e"]
    start.update(roster, set(), {"e"})
    assert start.value(roster) == 50.0 and roster.scans == 2  # the earliest left: one scan


def test_the_holders_own_change_and_a_sync_rescan() -> None:
    roster = CountingRoster(a=R(P(10.0)), b=R(P(30.0)))
    start = EarliestStart()
    assert start.value(roster) == 10.0
    roster["a"] = R(P(40.0))  # the earliest participant's start moved later
    start.update(roster, {"a"}, set())
    assert start.value(roster) == 30.0
    many = {f"p{n}" for n in range(BULK + 1)}
    for uuid in many:
        roster[uuid] = R(P(5.0 if uuid == "p7" else 60.0))
    scans = roster.scans
    start.update(roster, many, set())  # a sync's worth of changes: one scan on the next read
    assert start.value(roster) == 5.0 and roster.scans == scans + 1
    start.invalidate()
    assert start.value(roster) == 5.0 and roster.scans == scans + 2
    assert EarliestStart().value(CountingRoster()) == 0.0  # nobody with a start: unknown
