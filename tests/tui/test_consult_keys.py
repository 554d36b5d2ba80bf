"""The consult keys follow the consult's state in one place: the panel's key line, the
footer (the keys drawn and their words), ``check_action`` and the help; and ``D`` sends a
message that failed to the target's hosts again. Against the simulator over loopback."""

from __future__ import annotations

from typing import Any

from pextui.sim.server import SimServer
from pextui.tui.commands import conference_entries
from pextui.tui.screens.conference import ConferenceScreen
from pextui.tui.screens.help import help_entries
from tests.tui.attended_helpers import GREEN, MAIN, SPEAKER, Rooms, chat_log, names_in, two_rooms

CONSULT_KEYS = ("Y", "N", "O", "D")


def footer(screen: ConferenceScreen) -> dict[str, str]:
    """What the footer widget draws: key -> word (only the consult keys)."""
    keys = {
        str(getattr(widget, "key_display", "")): str(getattr(widget, "description", ""))
        for widget in screen.query("FooterKey")
    }
    return {key: word for key, word in keys.items() if key in CONSULT_KEYS}


def notes(rooms: Rooms) -> list[str]:
    return [note.message for note in list(rooms.app._notifications)]


async def footer_says(rooms: Rooms, expected: dict[str, str]) -> None:
    await rooms.until(lambda: footer(rooms.screen) == expected, f"footer {expected}")


async def test_footer_panel_and_help_follow_the_consult(simulator: SimServer) -> None:
    async with two_rooms(simulator) as rooms:
        await footer_says(rooms, {})  # no consult: no consult keys
        await rooms.consult_about_speaker()
        consult = await rooms.until(lambda: rooms.consult, "a consult")
        await rooms.until(lambda: consult.message_state == "sent", "message sent")
        await footer_says(rooms, {"Y": "Complete", "N": "Abort", "O": "Swap"})
        assert "Y complete · N abort · O swap" in rooms.panel_text()
        assert "D resend" not in rooms.panel_text()
        offered = [e.label for e in conference_entries(rooms.screen) if "Attended" in e.label]
        assert offered == [
            "Attended transfer: complete (move them now)",
            "Attended transfer: abort (nothing moves)",
            "Attended transfer: swap to the other conference",
        ]

        await rooms.press("Y")
        await rooms.until(lambda: consult.state == "completed", "completed")
        await rooms.until(lambda: SPEAKER in names_in(rooms.sim, MAIN), "arrived (sim)")
        # ended: N closes the panel, and the footer says so (no "Abort" left over)
        await footer_says(rooms, {"N": "Close"})
        await rooms.until(lambda: rooms.panel_text().endswith("N close"), "panel's keys")
        entries = {e.key: e for e in help_entries(rooms.screen.active_bindings)}
        assert entries["N"].description == "Close" and entries["N"].enabled
        assert not entries["Y"].enabled and not entries["O"].enabled
        assert rooms.screen.check_action("consult_complete", ()) is None
        offered = [e.label for e in conference_entries(rooms.screen) if "Attended" in e.label]
        assert offered == ["Attended transfer: close the panel (it ended)"]  # the palette
        await rooms.press("N")
        await rooms.until(lambda: not rooms.panel().display, "panel closed")
        await footer_says(rooms, {})


async def test_footer_after_an_abort_says_close(simulator: SimServer) -> None:
    async with two_rooms(simulator) as rooms:
        await rooms.consult_about_speaker()
        consult = await rooms.until(lambda: rooms.consult, "a consult")
        await footer_says(rooms, {"Y": "Complete", "N": "Abort", "O": "Swap"})
        await rooms.press("N")
        assert consult.state == "aborted"
        await footer_says(rooms, {"N": "Close"})
        assert rooms.panel_text().endswith("N close")
        assert SPEAKER in names_in(simulator, GREEN) and SPEAKER not in names_in(simulator, MAIN)


def set_faults(sim: SimServer, faults: dict[str, Any]) -> None:
    sim.run_on_loop(lambda: sim.node.faults.replace(faults))


async def test_a_failed_message_says_why_and_d_sends_it_again(simulator: SimServer) -> None:
    typed = "Ben [b]Tanaka[/b] in 2 — OK?"
    async with two_rooms(simulator) as rooms:
        set_faults(simulator, {"error-rate": 1})  # every client API call answered 502/503
        try:
            await rooms.consult_about_speaker(message=typed)
            consult = await rooms.until(lambda: rooms.consult, "a consult")
            await rooms.until(lambda: consult.message_state == "failed", "the message failed")
        finally:
            set_faults(simulator, {})
        assert chat_log(simulator, MAIN) == []
        reason = consult.message_reason
        assert reason in ("502 Bad Gateway", "503 Service Unavailable"), reason  # the sim's
        # the panel says so, with the server's reason, and offers the key; so does the footer
        await rooms.until(lambda: f"message failed: {reason}" in rooms.panel_text(), "panel")
        assert rooms.panel_text().endswith("Y complete · N abort · O swap · D resend")
        await footer_says(rooms, {"Y": "Complete", "N": "Abort", "O": "Swap", "D": "Resend"})
        assert any("was not sent" in note and reason in note for note in notes(rooms))
        assert consult.state == "consulting" and consult.message == typed

        await rooms.press("D")
        mia = rooms.main_hosts["Mia Stage"]
        await rooms.until(lambda: consult.message_state == "sent", "sent on the retry")
        sent = chat_log(simulator, MAIN)
        assert [(m["payload"], m.get("to"), m["direct"]) for m in sent] == [(typed, mia, True)]
        await rooms.until(lambda: "message sent to 1 host directly" in rooms.panel_text(), "panel")
        await footer_says(rooms, {"Y": "Complete", "N": "Abort", "O": "Swap"})
        assert any("trying again" in line for line in rooms.log_lines(GREEN))
        # nothing to resend any more: the key does nothing
        assert rooms.screen.check_action("consult_resend", ()) is None
        await rooms.press("D")
        await rooms.pilot.pause()
        assert len(chat_log(simulator, MAIN)) == 1


async def test_a_retry_reaches_only_the_hosts_it_missed(simulator: SimServer) -> None:
    hosts = (("Mia Stage", True), ("Sam Old", False))  # Sam: the conference chat
    async with two_rooms(simulator, main_hosts=hosts) as rooms:
        main = rooms.console(MAIN)
        session = main.session
        assert session is not None
        send_message = session.send_message
        calls: list[str] = []

        async def refused_once(text: str) -> Any:  # the chat message fails the first time
            calls.append(text)
            if len(calls) == 1:
                set_faults(simulator, {"error-rate": 1})
                try:
                    return await send_message(text)
                finally:
                    set_faults(simulator, {})
            return await send_message(text)

        session.send_message = refused_once  # type: ignore[method-assign]
        await rooms.consult_about_speaker(message="Ben soon?")
        consult = await rooms.until(lambda: rooms.consult, "a consult")
        await rooms.until(lambda: consult.message_state == "failed", "the chat part failed")
        assert [m["to"] for m in chat_log(simulator, MAIN)] == [rooms.main_hosts["Mia Stage"]]
        await rooms.press("D")
        await rooms.until(lambda: consult.message_state == "sent", "sent on the retry")
        log = chat_log(simulator, MAIN)
        assert [(m.get("to"), m["direct"]) for m in log] == [
            (rooms.main_hosts["Mia Stage"], True),  # once, not again on the retry
            (None, False),
        ]


async def test_a_refused_complete_fails_the_consult_and_moves_nobody(
    simulator: SimServer,
) -> None:
    async with two_rooms(simulator) as rooms:
        green = rooms.console(GREEN)
        assert green.session is not None and green.store is not None
        await green.session.set_role(rooms.speaker, "chair")  # moved as host: a PIN is needed
        store = green.store
        await rooms.until(
            lambda: store.roster[rooms.speaker].participant.is_host, "the speaker is a host"
        )
        await rooms.consult_about_speaker(pin="0000")  # not the main room's host PIN
        consult = await rooms.until(lambda: rooms.consult, "a consult")
        assert consult.role == "host"
        await rooms.press("Y")
        await rooms.until(lambda: consult.state == "failed", "the complete refused")
        assert consult.reason == "Invalid PIN"
        await rooms.until(lambda: "failed at complete (Invalid PIN)" in rooms.panel_text(), "why")
        await footer_says(rooms, {"N": "Close"})
        assert SPEAKER in names_in(simulator, GREEN) and SPEAKER not in names_in(simulator, MAIN)
        assert any("Complete failed: Invalid PIN" in line for line in rooms.log_lines(MAIN))
        await rooms.until(lambda: "pending" not in rooms.roster_row("Ben"), "no mark left")
