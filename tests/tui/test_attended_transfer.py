"""Attended transfer (T) in the console, against the simulator over loopback: consult, swap,
complete, abort, and what happens around a consult."""

from __future__ import annotations

from textual.command import CommandInput, CommandList, CommandPalette
from textual.widgets import Input

from pextui.sim.server import SimServer
from pextui.tui.screens.conference import ConferenceScreen
from pextui.tui.screens.consult import is_consult_dialog
from pextui.tui.screens.help import help_entries
from tests.tui.attended_helpers import (
    GREEN,
    MAIN,
    SPEAKER,
    chat_log,
    names_in,
    two_rooms,
)

MESSAGE = "Bringing you Ben Tanaka in 2 minutes — OK?"


async def test_consult_messages_the_hosts_swap_and_complete(simulator: SimServer) -> None:
    async with two_rooms(simulator) as rooms:
        await rooms.consult_about_speaker()
        consult = await rooms.until(lambda: rooms.consult, "a consult")
        assert (consult.source, consult.target, consult.role) == (GREEN, MAIN, "guest")
        # the main room's host gets the message directly; the speaker stays in the green room
        mia = rooms.main_hosts["Mia Stage"]
        await rooms.until(
            lambda: any(
                m["payload"] == MESSAGE and m.get("to") == mia and m["direct"]
                for m in chat_log(simulator, MAIN)
            ),
            "the direct message in the main room",
        )
        await rooms.until(lambda: consult.message_state == "sent", "message sent")
        assert SPEAKER in names_in(simulator, GREEN)
        assert SPEAKER not in names_in(simulator, MAIN)
        # the consult panel: state, the target's hosts and roster, the keys
        await rooms.until(
            lambda: "message sent to 1 host directly" in rooms.panel_text(), "the panel"
        )
        text = rooms.panel_text()
        assert "Ben Tanaka" in text and "meet.board → meet.demo" in text
        assert "Mia Stage" in text and "Guest Audience" in text
        assert "Y complete · N abort · O swap" in text
        await rooms.until(lambda: "Ben Tanaka (→meet.demo)" in rooms.roster_row("Ben"), "row mark")

        # O: the main room in front, showing the same consult; O again: back
        await rooms.press("O")
        screen = await rooms.front(MAIN)
        assert consult.front == "target"
        await rooms.until(lambda: "Ben Tanaka" in rooms.panel_text(), "panel in the main room")
        assert "Mia Stage" in rooms.roster_row("Mia Stage")
        await rooms.press("O")
        await rooms.front(GREEN)
        assert consult.front == "source" and screen is not rooms.screen
        assert "Ben Tanaka (→meet.demo)" in rooms.roster_row("Ben")

        # Y: the transfer; the speaker arrives in the main room (seen by its console)
        await rooms.press("Y")
        await rooms.until(lambda: consult.state == "completed", "completed")
        await rooms.until(lambda: SPEAKER in names_in(simulator, MAIN), "arrived (sim)")
        assert SPEAKER not in names_in(simulator, GREEN)
        transfers = rooms.console(GREEN).store.transfers  # type: ignore[union-attr]
        await rooms.until(
            lambda: (t := transfers.get(consult.transfer_id or 0)) and t.state == "arrived",
            "the transfer arrived",
        )
        await rooms.until(lambda: "transfer arrived" in rooms.panel_text(), "outcome shown")
        assert any("Completed" in line for line in rooms.log_lines(MAIN))
        # N closes the ended consult's panel
        await rooms.press("N")
        await rooms.until(lambda: not rooms.panel().display, "panel closed")


async def test_abort_moves_nothing_and_is_logged(simulator: SimServer) -> None:
    async with two_rooms(simulator) as rooms:
        await rooms.consult_about_speaker(message="Ben soon?")
        consult = await rooms.until(lambda: rooms.consult, "a consult")
        await rooms.until(lambda: consult.message_state == "sent", "message sent")
        await rooms.press("N")
        assert consult.state == "aborted" and consult.transfer_id is None
        await rooms.until(lambda: "aborted: nothing moved" in rooms.panel_text(), "panel")
        await rooms.until(lambda: "→meet.demo" not in rooms.roster_row("Ben"), "mark")
        for alias in (GREEN, MAIN):
            assert any("Aborted" in line for line in rooms.log_lines(alias)), alias
        assert any("Aborted" in line for line in rooms.event_log())
        assert SPEAKER in names_in(simulator, GREEN)
        assert SPEAKER not in names_in(simulator, MAIN)
        assert not rooms.console(GREEN).store.transfers.active()  # type: ignore[union-attr]
        assert [m["payload"] for m in chat_log(simulator, MAIN)] == ["Ben soon?"]


async def test_a_second_consult_for_the_speaker_is_refused(simulator: SimServer) -> None:
    async with two_rooms(simulator) as rooms:
        await rooms.consult_about_speaker()
        first = await rooms.until(lambda: rooms.consult, "a consult")
        await rooms.consult_about_speaker()
        await rooms.pilot.pause()
        assert rooms.app.attended.book.live() == [first]
        assert first.state == "consulting"
        await rooms.until(
            lambda: any(
                "already in a consult with meet.demo" in note.message
                for note in list(rooms.app._notifications)
            ),
            "the refusal said",
        )


async def test_target_locked_during_the_consult(simulator: SimServer) -> None:
    async with two_rooms(simulator) as rooms:
        await rooms.consult_about_speaker()
        consult = await rooms.until(lambda: rooms.consult, "a consult")
        main = rooms.console(MAIN).session
        assert main is not None
        await main.lock()
        await rooms.until(lambda: consult.target_locked, "the lock seen")
        await rooms.until(lambda: "meet.demo is locked" in rooms.panel_text(), "panel")
        assert consult.state == "consulting"
        await main.unlock()
        await rooms.until(lambda: not consult.target_locked, "the unlock seen")


async def test_speaker_leaves_during_the_consult(simulator: SimServer) -> None:
    async with two_rooms(simulator) as rooms:
        await rooms.consult_about_speaker()
        consult = await rooms.until(lambda: rooms.consult, "a consult")
        conference = simulator.node.conferences[GREEN]

        def hang_up() -> None:
            conference.remove(rooms.speaker, None)

        simulator.run_on_loop(hang_up)
        await rooms.until(lambda: consult.state == "aborted", "aborted")
        assert consult.reason == "Ben Tanaka left meet.board during the consult"
        await rooms.until(lambda: "left meet.board" in rooms.panel_text(), "panel says why")
        assert SPEAKER not in names_in(simulator, MAIN)


async def test_target_ends_during_the_consult(simulator: SimServer) -> None:
    async with two_rooms(simulator) as rooms:
        await rooms.consult_about_speaker()
        consult = await rooms.until(lambda: rooms.consult, "a consult")
        main = rooms.console(MAIN).session
        assert main is not None
        await main.disconnect_all()  # everyone out of the main room, our console too
        await rooms.until(lambda: consult.state == "aborted", "aborted")
        assert consult.reason.startswith("meet.demo ")
        assert SPEAKER in names_in(simulator, GREEN)


async def test_hosts_without_direct_chat_get_the_conference_chat(simulator: SimServer) -> None:
    async with two_rooms(simulator, main_hosts=(("Sam Old", False), ("Mia Stage", True))) as rooms:
        await rooms.consult_about_speaker()
        consult = await rooms.until(lambda: rooms.consult, "a consult")
        await rooms.until(lambda: consult.message_state == "sent", "message sent")
        log = chat_log(simulator, MAIN)
        direct = [m for m in log if m["direct"]]
        assert [m.get("to") for m in direct] == [rooms.main_hosts["Mia Stage"]]
        assert [m["payload"] for m in log if not m["direct"]] == [MESSAGE]
        assert consult.message_to == "1 host directly and the conference chat"


async def test_consult_opens_a_target_that_is_not_open(simulator: SimServer) -> None:
    async with two_rooms(simulator) as rooms:
        assert rooms.app.conferences.find("townhall") is None
        await rooms.consult_about_speaker(target="townhall", pin="1234")  # joins with it
        consult = await rooms.until(lambda: rooms.consult, "a consult")
        town = await rooms.until(lambda: rooms.app.conferences.find("townhall"), "a new tab")
        await rooms.front(GREEN)  # opened behind the source
        await rooms.until(lambda: town.connection.state == "live", "the target joined")
        # nobody hosts there but us: the message goes to its chat
        await rooms.until(lambda: consult.message_state == "sent", "message sent")
        assert [m["payload"] for m in chat_log(simulator, "townhall")] == [MESSAGE]
        await rooms.press("Y")
        await rooms.until(lambda: SPEAKER in names_in(simulator, "townhall"), "arrived")
        assert consult.state == "completed"


async def test_help_footer_and_palette_know_the_keys(simulator: SimServer) -> None:
    async with two_rooms(simulator) as rooms:
        screen = await rooms.front(GREEN)
        screen.go_to_participant(rooms.speaker)
        await rooms.until(lambda: screen.calls.cursor() is not None, "cursor on a row")
        entries = {e.key: e for e in help_entries(screen.active_bindings)}
        assert entries["T"].description == "Attended" and entries["T"].group == "Participant"
        assert entries["T"].enabled
        for key in ("Y", "N", "O"):  # listed, dimmed: no consult yet
            assert not entries[key].enabled and entries[key].group == "Conference"
        assert not any(k in footer_keys(screen) for k in ("Y", "N", "O"))
        # the palette offers the attended transfer of the cursor's participant
        await rooms.press("ctrl+p")
        palette = await rooms.until(
            lambda: isinstance(rooms.app.screen, CommandPalette) and rooms.app.screen, "palette"
        )
        palette.query_one(CommandInput).value = "attended transfer"
        hits = palette.query_one(CommandList)
        await rooms.until(
            lambda: (
                hits.option_count
                and "Attended transfer of Ben Tanaka" in str(hits.get_option_at_index(0).prompt)
            ),
            "the palette's hit",
        )
        await rooms.press("enter")
        await rooms.until(lambda: is_consult_dialog(rooms.app.screen), "the dialog")
        rooms.app.screen.query_one("#alias", Input).value = MAIN
        rooms.app.screen.query_one("#message", Input).focus()
        await rooms.press("enter")
        await rooms.front(GREEN)
        await rooms.until(lambda: rooms.consult is not None, "a consult")
        await rooms.until(
            lambda: all(k in footer_keys(rooms.screen) for k in ("Y", "N", "O")), "footer keys"
        )


def footer_keys(screen: ConferenceScreen) -> list[str]:
    return [key for key, b in screen.active_bindings.items() if b.binding.show and b.enabled]
