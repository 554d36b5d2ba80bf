"""The breakout view driven with Pilot against the simulator: what the node did, what shows."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Iterable
from contextlib import asynccontextmanager
from typing import Any

import pytest
from textual.widgets import DataTable, Input

from pextui.protocol.session import Session
from pextui.sim.server import SimServer
from pextui.tui.screens.breakouts import BreakoutScreen, PeopleTable, RoomTable
from pextui.tui.screens.conference import ConferenceScreen
from pextui.tui.screens.text_prompt import TextPromptDialog
from pextui.tui.screens.transfer import TransferDialog
from pextui.tui.widgets.event_log import EventLog
from tests.tui.console_helpers import ALIAS, Console, running_console

GUESTS = ("Alice", "Bob", "Carla", "Dan")


def rooms(sim: SimServer) -> list[dict[str, Any]]:
    for conference in sim.state()["conferences"]:
        if conference["alias"] == ALIAS:
            return list(conference["breakouts"])
    raise KeyError(ALIAS)


def names_in(room: dict[str, Any]) -> set[str]:
    return {p["display_name"] for p in room["participants"]}


def table_rows(table: DataTable[Any]) -> list[str]:
    return [" ".join(str(c) for c in table.get_row_at(i)) for i in range(table.row_count)]


async def answer(console: Console, text: str) -> None:
    field = await console.until(
        lambda: (
            isinstance(console.app.screen, TextPromptDialog)
            and console.app.screen.query("#value")
            and console.app.screen.query_one("#value", Input)
        ),
        "the prompt's field",
    )
    await console.until(lambda: field.has_focus, "the prompt's focus")
    field.value = text
    await console.press("enter")


async def on_rooms(console: Console, row: int | None = None) -> RoomTable:
    """Wait until the list of rooms has the focus (a later turn of the app's loop moves it:
    keys pressed sooner go elsewhere), with its cursor on `row` when given."""
    table = view(console).query_one(RoomTable)
    await console.until(
        lambda: table.has_focus and (row is None or table.cursor_row == row), "rooms focused"
    )
    return table


def event_log(console: Console) -> list[str]:
    """The conference screen's event log, while another screen is in front of it."""
    screen = next(s for s in console.app.screen_stack if isinstance(s, ConferenceScreen))
    return list(screen.query_one(EventLog).lines_plain)


def view(console: Console) -> BreakoutScreen:
    screen = console.app.screen
    assert isinstance(screen, BreakoutScreen), type(screen).__name__
    return screen


# A whole round: 60-95 s when starved of CPU (nice 19 beside a benchmark), over the default
# 120 s hang guard once (pytest-timeout); the guard stays, only wider.
@pytest.mark.timeout(300)
@asynccontextmanager
async def acting_on_their_events(sessions: Iterable[Session]) -> AsyncIterator[None]:
    """Guests that read their event streams as a real client does, so a transfer's `refer`
    is followed (a guest that never reads it stays behind, and once its token is refused it
    joins its old conference again)."""

    async def read(session: Session) -> None:
        async for _ in session.events():
            pass

    tasks = [asyncio.create_task(read(session)) for session in sessions]
    try:
        yield
    finally:
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)


async def test_a_breakout_round_from_the_console(simulator: SimServer) -> None:
    async with (
        running_console(simulator, GUESTS) as console,
        acting_on_their_events(console.guests.values()),
    ):
        # b, n 2: two rooms, every guest dealt out evenly (the host stays in the main room)
        await console.press("b")
        await console.until(lambda: isinstance(console.app.screen, BreakoutScreen), "the view")
        await console.press("n")
        await answer(console, "2")
        await console.until(lambda: len(rooms(simulator)) == 2, "two rooms at the node")
        await console.until(
            lambda: all(len(r["participants"]) == 2 for r in rooms(simulator)), "2 + 2"
        )
        assert set().union(*(names_in(r) for r in rooms(simulator))) == set(GUESTS)
        table = view(console).query_one(RoomTable)
        await console.until(lambda: table.row_count == 2, "two rows")
        await console.until(lambda: "Room 1 2" in table_rows(table)[0], "Room 1 with 2 people")
        first = rooms(simulator)[0]
        moved_first = names_in(first)

        # b on Room 1: its people back to the main room
        await on_rooms(console, 0)
        await console.press("b")
        await console.until(lambda: not rooms(simulator)[0]["participants"], "room 1 emptied")
        await console.until(
            lambda: all(
                n in {p.participant.name for p in console.app.store.roster.values()}
                for n in moved_first
            ),
            "back in the main roster",
        )

        # the roster's selection moves into the room under the cursor (m)
        await console.press("escape")
        await console.until(lambda: isinstance(console.app.screen, ConferenceScreen), "roster")
        await console.cursor_on("Alice" if "Alice" in moved_first else sorted(moved_first)[0])
        picked = console.roster.cursor_uuid
        await console.press("space", "b")
        await console.until(lambda: isinstance(console.app.screen, BreakoutScreen), "the view")
        await on_rooms(console, 0)
        await console.press("m")
        await console.until(lambda: len(rooms(simulator)[0]["participants"]) == 1, "moved in")
        assert picked in rooms(simulator)[0]["links"].values()

        # M: a message to every room
        await console.press("M")
        await answer(console, "Five minutes [b]left[/b]")
        node_rooms = simulator.node.breakouts[ALIAS].rooms
        await console.until(
            lambda: all(
                any(m["payload"] == "Five minutes [b]left[/b]" for m in room.chat_log)
                for room in list(node_rooms.values())
            ),
            "the message in every room",
        )

        # enter: the people of the room; m mutes the one under the cursor
        await console.press("enter")
        people = view(console).query_one(PeopleTable)
        await console.until(lambda: people.has_focus and people.row_count == 1, "people")
        await console.press("m")
        await console.until(
            lambda: rooms(simulator)[0]["participants"][0]["is_muted"] == "YES", "muted in room"
        )
        await console.press("escape")  # back to the rooms

        # a guest asks for help: an alert naming the room
        guest_room = rooms(simulator)[1]
        asker = next(s for n, s in console.guests.items() if n in names_in(guest_room))
        await asker.breakout_buzz()
        await console.until(
            lambda: any("Room 2 asks for help" in line for line in event_log(console)), "alert"
        )
        await console.until(
            lambda: "HELP" in table_rows(view(console).query_one(RoomTable))[1], "HELP on Room 2"
        )

        # h on Room 2: its request for help is handled
        await on_rooms(console, 0)
        await console.press("down")
        await on_rooms(console, 1)
        await console.press("h")
        await console.until(
            lambda: not rooms(simulator)[1]["status"]["breakoutbuzz"]["value"], "help handled"
        )
        # t on a person of Room 2: transferred to another conference
        await console.press("enter")
        await console.until(lambda: view(console).query_one(PeopleTable).has_focus, "people")
        await console.press("t")
        dialog = await console.until(
            lambda: isinstance(console.app.screen, TransferDialog) and console.app.screen, "t"
        )
        # the dialog composes and lays out on later turns: fill and click it once it has
        await console.until(
            lambda: dialog.query("#submit") and dialog.query_one("#submit").region.area, "laid out"
        )
        dialog.query_one("#alias", Input).value = "meet.board"
        dialog.query_one("#pin", Input).value = "5678"
        assert await console.pilot.click("#submit"), "the click missed the button"
        await console.until(lambda: len(rooms(simulator)[1]["participants"]) == 1, "transferred")
        await console.until(
            lambda: [s.alias for s in console.guests.values()].count("meet.board") == 1,
            "the guest followed the transfer to meet.board",
        )
        await console.press("escape")
        await on_rooms(console, 1)
        await console.press("up")
        await on_rooms(console, 0)

        # x closes the room under the cursor, X closes them all
        await console.press("x")
        await console.until(lambda: len(rooms(simulator)) == 1, "room 1 closed")
        await console.press("X")
        await console.until(lambda: rooms(simulator) == [], "all closed")
        await console.until(lambda: len(console.app.store.roster) == len(GUESTS), "all back")


async def test_the_view_says_why_a_call_failed(simulator: SimServer) -> None:
    async with running_console(simulator, ("Alice",)) as console:
        await console.press("b")
        await console.until(lambda: isinstance(console.app.screen, BreakoutScreen), "the view")
        await console.press("m")  # nothing selected, no room: nothing happens
        await console.press("n")
        await answer(console, "99")  # more than allowed: the dialog refuses
        assert isinstance(console.app.screen, TextPromptDialog)
        error = console.app.screen.query_one("#dialog-error")
        assert "from 1 to 50" in str(error.render())
        await console.press("escape")
        assert rooms(simulator) == []
