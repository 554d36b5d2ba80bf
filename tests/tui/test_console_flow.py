"""Transfer, chat, invite, help, filter, multi-select, sort, palette, reconnect and refer."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import Input

from pextui.protocol.client import JoinParams, connect
from pextui.sim.server import SimServer
from pextui.tui.screens.help import HelpScreen
from pextui.tui.screens.invite import InviteDialog
from pextui.tui.screens.transfer import TransferDialog
from pextui.tui.widgets.event_log import EventLog
from tests.tui.console_helpers import HOST_PIN, run_from_palette, running_console, sim_participant


async def test_invite_help_sort_palette_chat_and_transfers(simulator: SimServer) -> None:
    """i, ?, f, F, the palette, c and t (failed, then done) in one console session."""
    async with running_console(simulator) as console:
        # i: invite links; ?: help
        await console.press("i")
        invite = await console.until(
            lambda: isinstance(console.app.screen, InviteDialog) and console.app.screen, "invite"
        )
        urls = " ".join(url for _, url in invite.links)
        assert "meet.demo" in urls and "pexip://" in urls
        await console.press("escape")
        await console.until(lambda: console.app.screen is console.screen, "back")
        await console.press("question_mark")
        await console.until(lambda: isinstance(console.app.screen, HelpScreen), "help")
        await console.press("escape")
        await console.until(lambda: console.app.screen is console.screen, "help closed")

        # f / F: sort order
        screen = console.screen
        assert screen.sort_key == "name"
        await console.press("f")
        assert screen.sort_key == "joined"
        assert console.app.store.index.sort == "joined"
        await console.press("F")
        assert console.app.store.index.reverse is True

        # the palette: state-worded actions and go to
        await console.cursor_on("Alice")
        await run_from_palette(console, "mute alice", "Mute Alice")
        await console.until(lambda: console.participant("Alice")["is_muted"] == "YES", "muted")
        await run_from_palette(console, "unmute alice", "Unmute Alice")
        await console.until(lambda: console.participant("Alice")["is_muted"] == "NO", "unmuted")
        await run_from_palette(console, "go to bob", "Go to Bob")
        await console.until(lambda: console.roster.cursor_uuid == console.uuid("Bob"), "on Bob")

        # t: a failed transfer shows the reason
        await console.cursor_on("Bob")
        await console.press("t")
        dialog = await console.until(
            lambda: isinstance(console.app.screen, TransferDialog) and console.app.screen,
            "transfer dialog",
        )
        dialog.query_one("#alias", Input).value = "no.such.room"
        await console.pilot.click("#submit")
        await console.until(
            lambda: (
                any("Transfer of Bob" in line and "failed" in line for line in console.log_lines())
                or any("Transfer Bob" in line and "failed" in line for line in console.log_lines())
            ),
            "the failure in the event log",
        )
        assert console.participant("Bob") is not None

        # c: chat sends and shows messages literally
        await console.press("c")
        field = console.screen.query_one("#chat-input", Input)
        assert field.has_focus
        await console.pilot.press(*"hello all", "enter")
        await console.until(
            lambda: any("Send chat message: sent" in line for line in console.log_lines()), "sent"
        )
        await console.guests["Alice"].send_message("[b]hi[/b] from Alice")
        await console.until(
            lambda: "[b]hi[/b] from Alice" in console.chat_text(), "Alice's message literally"
        )
        assert "hello all" in console.chat_text()

        # t: transfer (last: Alice leaves) and its outcome
        console.roster.focus()  # out of the chat input
        await console.pilot.pause()
        uuid = console.uuid("Alice")
        await console.cursor_on("Alice")
        await console.press("t")
        dialog = await console.until(
            lambda: isinstance(console.app.screen, TransferDialog) and console.app.screen,
            "transfer dialog",
        )
        dialog.query_one("#alias", Input).value = "meet.board"
        dialog.query_one("#pin", Input).value = "5678"
        await console.pilot.click("#submit")
        # The node sends Alice a refer and removes her here (her client follows it).
        await console.until(lambda: sim_participant(simulator, uuid) is None, "Alice left")
        await console.until(
            lambda: any("Alice transferred to meet.board" in line for line in console.log_lines()),
            "the outcome in the event log",
        )


async def test_filter_select_and_bulk_mute(simulator: SimServer) -> None:
    async with running_console(simulator, guests=("Alice", "Albert", "Bob")) as console:
        await console.press("slash")
        await console.pilot.press(*"al")
        await console.until(lambda: len(console.app.store.index) == 2, "two match")
        await console.press("enter")
        assert console.roster.has_focus
        await console.press("home", "space", "space")
        assert len(console.roster.selected) == 2
        await console.press("m")
        await console.until(
            lambda: all(console.participant(n)["is_muted"] == "YES" for n in ("Alice", "Albert")),
            "both muted",
        )
        assert console.participant("Bob")["is_muted"] == "NO"
        await console.press("escape")  # clears the filter
        await console.until(lambda: len(console.app.store.index) == 4, "all back")


async def test_cursor_stays_on_its_participant_while_the_list_changes(
    simulator: SimServer,
) -> None:
    async with running_console(simulator, guests=("Mia", "Zed")) as console:
        await console.cursor_on("Zed")
        await console.add_guest("Abe")
        await console.add_guest("Bea")
        await console.until(lambda: console.store_size() == 5, "five")
        await console.until(lambda: console.roster.row_count == 5, "five rows drawn")
        assert console.roster.cursor_uuid == console.uuid("Zed")
        assert console.roster.cursor_row == console.app.store.index.position(console.uuid("Zed"))


async def test_stream_drop_shows_reconnecting_then_resyncs(simulator: SimServer) -> None:
    async with running_console(simulator) as console:
        simulator.node.close_all_streams()
        await console.until(
            lambda: any("reconnect attempt" in line for line in console.log_lines()),
            "reconnecting logged",
        )
        await console.until(
            lambda: any("Roster resynchronised" in line for line in console.log_lines()),
            "resynced",
        )
        await console.until(lambda: "live" in console.status_text(), "live again")
        assert console.store_size() == 3


async def test_the_console_follows_its_own_transfer(simulator: SimServer) -> None:
    async with running_console(simulator, guests=("Alice",)) as console:
        other = await connect(
            JoinParams(
                node_url=simulator.base_url, alias="meet.demo", display_name="Op", pin=HOST_PIN
            )
        )
        try:
            me = console.app.session.participant_uuid  # type: ignore[union-attr]
            await other.transfer(me, "meet.board", "host", "1234")
            await console.until(
                lambda: "Board Meeting" in console.status_text(), "in the board meeting"
            )
            await console.until(
                lambda: any("Transferred to meet.board" in line for line in console.log_lines()),
                "the move logged",
            )
        finally:
            await other.close()


async def test_e_shows_the_event_log_and_E_saves_it(
    simulator: SimServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path))  # E saves under the state dir
    async with running_console(simulator) as console:
        log = console.screen.query_one(EventLog)
        assert not log.display
        await console.press("e")
        assert log.display
        await console.cursor_on("Alice")
        await console.press("m")
        await console.until(
            lambda: any("Mute Alice: sent" in line for line in console.log_lines()), "logged"
        )
        await console.press("E")
        saved = await console.until(lambda: list(tmp_path.glob("pextui/*/*.log")), "file")
        text = saved[0].read_text(encoding="utf-8")
        assert "Mute Alice: sent" in text
        assert HOST_PIN not in text
        assert oct(saved[0].stat().st_mode & 0o777) == "0o600"
