"""Snapshots of the transfers list (``R``): six transfers, one in each state (requested,
left, arrived, failed with the server's reason, timed out, rejected), of participants whose
display names came from the simulator and are hostile (markup, an action link, a
right-to-left override, wide characters). At 120x36 and at 80x24.

Deterministic: the quiet scenario, SIP participants with fixed names, a frozen clock shown
in UTC. The transfers are driven through the store's tracker (each state by the call the
console makes when the network says so); the Pilot tests of transfer tracking check the
same states against the simulator's own transfers.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from textual.pilot import Pilot
from textual.widgets import Static

from pextui.conference import ConferenceStore
from pextui.protocol.client import JoinParams
from pextui.sim.server import SimServer
from pextui.tui.app import PextuiApp, make_app
from pextui.tui.screens.conference import ConferenceScreen
from pextui.tui.screens.transfers import CELL_PADDING, COLUMNS, TransfersScreen, fit_columns
from tests.tui.attended_helpers import GREEN, add_sip
from tests.tui.console_helpers import HOST_PIN, sim_config, until

FROZEN = 1_700_000_000.0  # 22:13:20 UTC
NAMES = (
    "Ben Tanaka",
    "[b]Rita[/b] [@click=app.quit]Okafor[/]",
    "Eve \u202eevil\u202c Ortiz",
    "李小龍 Bruce Lee",
    "Sam $accent Old",
    "Dana Kowalczyk-Brzęczyszczykiewicz",
)


@pytest.fixture
def room(utc: None) -> Iterator[tuple[SimServer, list[str]]]:
    with SimServer(sim_config()) as sim:
        yield sim, [add_sip(sim, GREEN, name) for name in NAMES]


def transfer_in_every_state(store: ConferenceStore, uuids: list[str]) -> None:
    """One transfer per state, each reached by the tracker call the console makes."""
    tracker = store.transfers
    timed_out = tracker.request(uuids[4], "meet.demo", "guest", source_alias=GREEN)
    tracker.expire(now=FROZEN + tracker.timeout)  # still here after the timeout
    assert tracker.get(timed_out) is not None
    tracker.request(uuids[0], "meet.demo", "guest", source_alias=GREEN)  # stays requested
    left = tracker.request(uuids[1], "townhall", "host", source_alias=GREEN)
    tracker.participant_left(uuids[1])
    arrived = tracker.request(uuids[2], "meet.demo", "guest", source_alias=GREEN, watched=True)
    record = store.roster[uuids[2]]
    tracker.participant_left(uuids[2])
    tracker.arrived("meet.demo", record.participant)
    failed = tracker.request(uuids[3], "meet.nowhere", "guest", source_alias=GREEN)
    tracker.fail(failed, "Neither conference nor gateway found")
    tracker.request(uuids[5], "gateway.reject", "guest", source_alias=GREEN)
    tracker.participant_rejected(uuids[5], "Call rejected")
    states = {t.id: t.state for t in tracker}
    assert states[left] == "left" and states[arrived] == "arrived", states
    assert sorted(states.values()) == sorted(
        ["requested", "left", "arrived", "failed", "timed_out", "rejected"]
    )


async def _wait(pilot: Pilot[Any], condition: Any) -> None:
    await until(pilot, condition, "the scene")


def transfers_open(uuids: list[str]) -> Any:
    async def run_before(pilot: Pilot[Any]) -> None:
        app = pilot.app
        assert isinstance(app, PextuiApp)

        def ready() -> bool:
            screen = app.screen
            return (
                isinstance(screen, ConferenceScreen)
                and screen.console.connection.state == "live"
                and all(uuid in screen.store.roster for uuid in uuids)
            )

        await _wait(pilot, ready)
        screen = app.screen
        assert isinstance(screen, ConferenceScreen)
        transfer_in_every_state(screen.store, uuids)
        start = screen.painter.ticks
        await _wait(pilot, lambda: screen.painter.ticks >= start + 3)
        app.clear_notifications()
        await pilot.press("R")
        await _wait(pilot, lambda: isinstance(app.screen, TransfersScreen))
        listed = app.screen
        assert isinstance(listed, TransfersScreen)
        await _wait(pilot, lambda: len(listed.shown_rows()) == 6 and listed.laid_out_for > 0)
        # The console's "Transferred ..." toasts are posted as its ticks see the states: under
        # load one can land after the clear above, so clear again once the list is in front.
        await _wait(pilot, lambda: screen.painter.ticks >= start + 6)
        app.clear_notifications()
        await pilot.pause()

    return run_before


def console(sim: SimServer) -> PextuiApp:
    join = JoinParams(node_url=sim.base_url, alias=GREEN, display_name="Host", pin=HOST_PIN)
    return make_app(joins=[join], clock=lambda: FROZEN, load_settings=False)


def test_transfers_list(snap_compare: Any, room: tuple[SimServer, list[str]]) -> None:
    sim, uuids = room
    assert snap_compare(console(sim), terminal_size=(120, 36), run_before=transfers_open(uuids))


def test_transfers_list_at_80x24(snap_compare: Any, room: tuple[SimServer, list[str]]) -> None:
    sim, uuids = room
    assert snap_compare(console(sim), terminal_size=(80, 24), run_before=transfers_open(uuids))


@pytest.mark.parametrize("width", [60, 74, 99, 100, 116, 146])
def test_the_columns_fit_the_width(width: int) -> None:
    longest = {"Who": 40, "From": 10, "To": 14, "Reason": 60}
    fitted = fit_columns(width, longest)
    names = [COLUMNS[index] for index, _ in fitted]
    used = sum(cells for _, cells in fitted) + CELL_PADDING * len(fitted)
    assert names[-3:] == ["When", "State", "Reason"] and names[0] == "Who"
    assert ("From" in names) == (width >= 100) and ("Role" in names) == (width >= 100)
    assert dict(zip(names, (c for _, c in fitted), strict=True))["State"] == len("timed out")
    assert used <= max(width, 69)  # narrower than 69 cells (a 72-column terminal): scrolls


async def test_the_line_under_the_list_spells_out_the_highlighted_one(
    room: tuple[SimServer, list[str]],
) -> None:
    sim, uuids = room
    app = console(sim)
    async with app.run_test(size=(80, 24)) as pilot:
        await transfers_open(uuids)(pilot)
        listed = app.screen
        assert isinstance(listed, TransfersScreen)
        rows = listed.shown_rows()
        assert [row[5] for row in rows] == [
            "rejected", "failed", "arrived", "left", "requested", "timed out"
        ]  # fmt: skip
        assert rows[3][0] == "[b]Rita[/b] [@click=app.quit]Okafor[/]"  # literal
        assert rows[2][0] == "Eve evil Ortiz"  # no right-to-left override
        detail = listed.query_one("#transfer-detail", Static)
        await pilot.press("down")
        await _wait(pilot, lambda: "meet.nowhere" in str(detail.render()))
        assert str(detail.render()).endswith("failed (Neither conference nor gateway found)")
        await pilot.press(*["down"] * 4)
        await _wait(pilot, lambda: "timed out (participant still" in str(detail.render()))
        await pilot.press("escape")
        await _wait(pilot, lambda: isinstance(app.screen, ConferenceScreen))
        await app.leave()
