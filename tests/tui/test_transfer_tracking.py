"""Transfers tracked at both ends, in the console (Pilot) against the simulator: arrival in
an open conference, a gateway that rejects the call, a wrong PIN said once, the overlap,
the row label, the transfers list, and the PIN of a host session never shown."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from textual.widgets import Input, OptionList, Static

from pextui.conference import Transfer
from pextui.protocol.client import JoinParams
from pextui.protocol.session import Session
from pextui.sim.server import SimServer
from pextui.tui.console import Console as AppConsole
from pextui.tui.screens.transfer import TransferDialog
from pextui.tui.screens.transfers import TransfersScreen
from tests.tui.console_helpers import (
    HOST_PIN,
    Console,
    run_from_palette,
    running_console,
    settled,
    sim_conference,
    sim_config,
    until,
)

BOARD = "meet.board"


@asynccontextmanager
async def open_conference(console: Console, alias: str = BOARD) -> AsyncIterator[AppConsole]:
    """A second conference open in the same app, in a tab behind (joined as host)."""
    app = console.app
    params = JoinParams(
        node_url=console.sim.base_url, alias=alias, display_name="Host", pin=HOST_PIN
    )
    other = app.open_conference(params, front=False)
    await console.until(lambda: other.store is not None and len(other.store.roster) >= 1, alias)
    assert app.current is not other  # the source stays in front
    yield other


async def transfer_dialog(console: Console, name: str) -> TransferDialog:
    await console.cursor_on(name)
    await console.press("t")
    dialog: TransferDialog = await console.until(
        lambda: isinstance(console.app.screen, TransferDialog) and console.app.screen,
        "the transfer dialog",
    )
    return dialog


async def drain(session: Session) -> None:
    """Read a guest's events, as its client would: the session follows a refer."""
    async for _ in session.events():
        pass


def transfers(console: Console) -> list[Transfer]:
    return console.screen.console.all_transfers()


def only_transfer(console: Console) -> Transfer:
    [transfer] = transfers(console)
    return transfer


def states(transfer: Transfer) -> list[str]:
    return [state for _, state in transfer.history]


def names_in(sim: SimServer, alias: str) -> list[str]:
    return [str(p["display_name"]) for p in sim_conference(sim, alias)["participants"]]


async def transfers_list(console: Console) -> list[list[str]]:
    """Open the list with its key, read it, close it."""
    await console.press("R")
    screen: TransfersScreen = await console.until(
        lambda: isinstance(console.app.screen, TransfersScreen) and console.app.screen,
        "the transfers list",
    )
    await console.pilot.pause()
    rows = screen.shown_rows()
    await console.press("escape")
    await console.until(lambda: console.app.screen is console.screen, "back to the console")
    return rows


def said(console: Console) -> list[str]:
    """The event log's texts, without the time and level in front."""
    return [line.split(None, 2)[-1] for line in console.log_lines()]


def notifications(console: Console) -> list[tuple[str, str]]:
    return [(n.title, n.message) for n in list(console.app._notifications)]


async def test_transfer_to_an_open_conference_shows_arrived(simulator: SimServer) -> None:
    async with running_console(simulator) as console, open_conference(console) as board:
        alice = asyncio.create_task(drain(console.guests["Alice"]))  # her client follows
        dialog = await transfer_dialog(console, "Alice")
        listed = dialog.query_one("#targets", OptionList)  # the list is there ...
        assert listed.display and listed.option_count == 1 and dialog.shown[0].alias == BOARD
        assert dialog.targets[0].note == "open · host" and dialog.targets[0].hosted
        await console.press("down")  # ... and the arrow picks from it
        assert dialog.query_one("#alias", Input).value == BOARD
        note = str(dialog.query_one("#pin-note", Static).content)
        assert "host session" in note and HOST_PIN not in note
        assert dialog.query_one("#pin", Input).value == ""  # the PIN never reaches a widget
        await console.press("enter")
        transfer = await console.until(
            lambda: transfers(console) and only_transfer(console).state == "arrived" and
            only_transfer(console), "arrived",
        )  # fmt: skip
        assert states(transfer) == ["requested", "left", "arrived"]
        assert (transfer.source_alias, transfer.target_alias, transfer.role) == (
            "meet.demo",
            BOARD,
            "guest",
        )
        assert "Alice" in names_in(simulator, BOARD)  # the host session's PIN was used
        assert board.store is not None and transfer.arrived_uuid in board.store.roster
        await console.until(
            lambda: any("Alice arrived in meet.board" in line for line in console.log_lines()),
            "the arrival in the event log",
        )
        assert ("Arrived", "Alice → meet.board") in notifications(console)
        # the conference behind, where Alice arrived, calls for attention, named
        await console.until(
            lambda: any(
                title.endswith("Transfer arrived") and message == "Alice arrived from meet.demo"
                and title != "Transfer arrived" for title, message in notifications(console)
            ), "the target's attention",
        )  # fmt: skip
        [row] = await transfers_list(console)
        assert row[:4] == ["Alice", "meet.demo", BOARD, "guest"] and row[5] == "arrived"
        everything = " ".join(console.log_lines()) + repr(notifications(console))
        assert HOST_PIN not in everything
        alice.cancel()


async def test_transfer_to_the_rejecting_gateway_shows_rejected() -> None:
    config = sim_config()
    config.timings.transfer_reject = 1.5  # long enough to see the row while it is pending
    with SimServer(config) as sim:
        async with running_console(sim) as console:
            dialog = await transfer_dialog(console, "Bob")
            dialog.query_one("#alias", Input).value = "gateway.reject"
            await console.press("enter")
            bob = console.uuid("Bob")
            painter = console.screen.painter
            await console.until(
                lambda: painter.transfers.label(bob) == "→ gateway.reject: requested", "the label"
            )
            await console.until(lambda: "Bob (→ gateway" in console.roster_row("Bob"), "the row")
            await console.until(
                lambda: transfers(console) and only_transfer(console).state == "rejected",
                "rejected",
            )
            line = "Transfer of Bob to gateway.reject rejected after it started: Call rejected"
            await console.until(lambda: line in said(console), "the event log line")
            assert ("Transfer of Bob rejected", "rejected after it started: Call rejected") in (
                notifications(console)
            )
            [row] = await transfers_list(console)
            assert row[2] == "gateway.reject" and row[5:] == ["rejected", "Call rejected"]
            assert "Bob" not in [
                n for c in sim.state()["conferences"] for n in names_in(sim, c["alias"])
            ]


async def test_a_wrong_pin_shows_the_servers_reason_once(simulator: SimServer) -> None:
    async with running_console(simulator) as console:
        await run_from_palette(console, "transfer alice", "Transfer Alice")
        dialog: TransferDialog = await console.until(
            lambda: isinstance(console.app.screen, TransferDialog) and console.app.screen,
            "the transfer dialog from the palette",
        )
        dialog.query_one("#alias", Input).value = BOARD
        await console.press("tab", "right", "tab", *"0000", "enter")
        await console.until(
            lambda: transfers(console) and only_transfer(console).state == "failed", "failed"
        )
        await settled(console.pilot)
        lines = [line for line in said(console) if "Invalid PIN" in line]
        assert lines == ["Transfer of Alice to meet.board failed: Invalid PIN"]
        assert [n for n in notifications(console) if "Invalid PIN" in n[1]] == [
            ("Transfer of Alice failed", "Invalid PIN")
        ]
        [row] = await transfers_list(console)
        assert row[3] == "host" and row[5:] == ["failed", "Invalid PIN"]
        assert "0000" not in " ".join(console.log_lines())


async def test_overlap_neither_counts_twice_nor_fails() -> None:
    with SimServer(sim_config(transfer_overlap=6.0)) as sim:
        async with running_console(sim) as console, open_conference(console) as board:
            session = console.app.session
            assert session is not None
            [carol] = await session.dial(
                "carol@example.com", protocol="sip", remote_display_name="Carol"
            )
            store = console.app.store
            assert store is not None
            await console.until(
                lambda: (
                    carol in store.roster
                    and store.roster[carol].participant.service_type == "conference"
                ),
                "Carol answered",
            )
            console.screen.go_to_participant(carol)
            await console.until(lambda: console.roster.cursor_uuid == carol, "cursor on Carol")
            await console.press("t")
            await console.until(
                lambda: isinstance(console.app.screen, TransferDialog) and console.app.screen,
                "the transfer dialog",
            )
            await console.press(*"meet.bo", "down", "enter")  # typing filters, down picks
            transfer = await console.until(
                lambda: transfers(console) and only_transfer(console).state == "arrived"
                and only_transfer(console), "arrived",
            )  # fmt: skip
            # arrived while the source still showed Carol: never "left" before, never failed
            assert states(transfer) == ["requested", "arrived"] and transfer.left_at is None
            assert carol in store.roster
            painter = console.screen.painter
            await console.until(
                lambda: painter.transfers.label(carol) == "→ meet.board: arrived", "the label"
            )
            await until(console.pilot, lambda: carol not in store.roster, "the source", 1200)
            await settled(console.pilot)
            assert states(transfer) == ["requested", "arrived"]
            assert len(transfers(console)) == 1
            lines = said(console)
            assert [line for line in lines if "arrived" in line] == ["Carol arrived in meet.board"]
            assert not [line for line in lines if "failed" in line or "timed out" in line]
            assert board.store is not None
            assert [r.participant.name for r in board.store.roster.values()].count("Carol") == 1
            assert len(await transfers_list(console)) == 1
