"""Roster columns by what a host needs: name, role, audio, video, hand, talk, time first;
state, spotlight, presenting, protocol, encryption as room allows; the name adapts."""

from __future__ import annotations

import pytest

from pextui.tui.widgets.roster_columns import (
    COLUMNS,
    MIN_NAME,
    PREFERRED_NAME,
    columns_for,
    name_width,
)

PRIORITY = ["role", "audio", "video", "hand", "talk", "time", "state", "spot", "pres"]
PRIORITY += ["proto", "enc"]


@pytest.mark.parametrize("width", range(40, 201))
def test_columns_are_a_prefix_of_the_priority_order(width: int) -> None:
    chosen = {col.key for col in columns_for(width)}
    assert chosen == set(PRIORITY[: len(chosen)]), (width, chosen)
    shown = name_width(width, columns_for(width))
    if width >= 2 + MIN_NAME + 6 * 6:
        assert shown >= MIN_NAME
    if len(chosen) > 6:
        assert shown >= PREFERRED_NAME


def test_an_80_column_terminal_keeps_time_and_a_modest_name() -> None:
    roster = 78  # the roster's width in an 80-column terminal (the side panel collapses)
    keys = [col.key for col in columns_for(roster)]
    assert keys[:3] == ["role", "audio", "video"]
    assert {"hand", "talk", "time", "state"} <= set(keys), keys
    assert MIN_NAME <= name_width(roster, columns_for(roster)) <= 26
    assert [c.key for c in columns_for(200)] == [c.key for c in COLUMNS]
