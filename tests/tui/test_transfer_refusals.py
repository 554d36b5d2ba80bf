"""``t`` and ``T`` where a transfer makes no sense are refused with a clear message and
nothing reaches the node: on the console's own participant, on someone already being
transferred, and (``t``) on someone an attended transfer is about. Against a simulator
that counts the requests it received."""

from __future__ import annotations

from pextui.sim.participants import make_participant
from pextui.sim.server import SimServer
from pextui.tui.screens.conference import ConferenceScreen
from pextui.tui.screens.transfer import TransferDialog
from tests.chaos.chaos_helpers import RequestCounter
from tests.tui.attended_helpers import GREEN, MAIN, SPEAKER, Rooms, names_in, two_rooms


def refusals(rooms: Rooms) -> list[str]:
    return [
        f"{note.title}: {note.message}"
        for note in list(rooms.app._notifications)
        if "not possible" in note.title.lower()
    ]


async def on_row(rooms: Rooms, uuid: str) -> ConferenceScreen:
    screen = await rooms.front(GREEN)
    screen.go_to_participant(uuid)
    await rooms.until(lambda: screen.calls.cursor() is not None, "cursor on the row")
    assert screen.calls.cursor() is not None and screen.calls.cursor()[0] == uuid  # type: ignore[index]
    return screen


async def test_transfer_of_yourself_is_refused(
    counted: tuple[SimServer, RequestCounter],
) -> None:
    sim, counter = counted
    async with two_rooms(sim) as rooms:
        store = rooms.console(GREEN).store
        assert store is not None and store.self_uuid
        await on_row(rooms, store.self_uuid)
        await rooms.press("t")
        await rooms.until(lambda: refusals(rooms), "the refusal of t")
        assert refusals(rooms) == [
            "Transfer not possible: That is you (this console): the transfer (t) moves "
            "someone else. To be in another conference as well, join it (J)."
        ]
        await rooms.press("T")
        await rooms.until(lambda: len(refusals(rooms)) == 2, "the refusal of T")
        assert refusals(rooms)[1].startswith(
            "Attended transfer not possible: That is you (this console): the attended transfer (T)"
        )
        assert not isinstance(rooms.app.screen, TransferDialog)  # no dialog was opened
        assert rooms.app.attended.book.live() == []
        assert counter.received["transfer"] == 0
        assert "Host" in names_in(sim, GREEN) and "Host" in names_in(sim, MAIN)  # both kept


async def test_t_during_an_attended_transfer_is_refused(
    counted: tuple[SimServer, RequestCounter],
) -> None:
    sim, counter = counted
    async with two_rooms(sim) as rooms:
        await rooms.consult_about_speaker()
        consult = await rooms.until(lambda: rooms.consult, "a consult")
        await on_row(rooms, rooms.speaker)
        await rooms.press("t")
        await rooms.until(lambda: refusals(rooms), "the refusal")
        assert refusals(rooms) == [
            "Transfer not possible: Ben Tanaka is in an attended transfer to meet.demo: "
            "complete (Y) or abort (N) it first."
        ]
        assert not isinstance(rooms.app.screen, TransferDialog)
        assert consult.state == "consulting" and counter.received["transfer"] == 0
        assert SPEAKER in names_in(sim, GREEN) and SPEAKER not in names_in(sim, MAIN)


async def test_a_second_transfer_while_one_runs_is_refused(
    counted: tuple[SimServer, RequestCounter],
) -> None:
    sim, counter = counted
    sim.node.transfer_overlap = 30.0  # the source still shows the speaker meanwhile
    async with two_rooms(sim) as rooms:
        screen = await on_row(rooms, rooms.speaker)
        await rooms.press("t")
        dialog = await rooms.until(
            lambda: isinstance(rooms.app.screen, TransferDialog) and rooms.app.screen, "dialog"
        )
        dialog.query_one("#alias").value = MAIN  # type: ignore[attr-defined]
        await rooms.press("enter")
        await rooms.until(lambda: counter.received["transfer"] == 1, "the transfer sent")
        await rooms.until(lambda: SPEAKER in names_in(sim, MAIN), "in the target (overlap)")
        assert SPEAKER in names_in(sim, GREEN)
        await rooms.front(GREEN)
        screen.go_to_participant(rooms.speaker)
        for key in ("t", "T"):
            await rooms.press(key)
        await rooms.until(lambda: len(refusals(rooms)) == 2, "both refusals")
        for said in refusals(rooms):
            assert "Ben Tanaka is already being transferred" in said, said
        assert counter.received["transfer"] == 1
        assert rooms.app.attended.book.live() == []


async def test_the_conference_they_are_in_is_no_target(
    counted: tuple[SimServer, RequestCounter],
) -> None:
    sim, counter = counted
    async with two_rooms(sim) as rooms:
        await on_row(rooms, rooms.speaker)
        for key in ("t", "T"):
            await rooms.press(key)
            dialog = await rooms.until(
                lambda: isinstance(rooms.app.screen, TransferDialog) and rooms.app.screen, key
            )
            dialog.query_one("#alias").value = "MEET.board"  # type: ignore[attr-defined]
            await rooms.press("enter")
            assert rooms.app.screen is dialog  # stays open, what was typed kept
            assert dialog.error_text == (
                "MEET.board is the conference they are in: pick another one."
            )
            assert dialog.query_one("#alias").value == "MEET.board"  # type: ignore[attr-defined]
            await rooms.press("escape")
            await rooms.front(GREEN)
        assert counter.received["transfer"] == 0 and rooms.app.attended.book.live() == []
        assert SPEAKER in names_in(sim, GREEN)


async def test_a_call_that_cannot_be_moved_says_so(
    counted: tuple[SimServer, RequestCounter],
) -> None:
    """An RTMP stream (``transfer_supported: NO``) dims t and T; pressed, they say why (the
    hostile name shown literally) and nothing reaches the node. Far-end camera control on
    a call without it (z) says so the same way."""
    sim, counter = counted
    stream = '[b]Live[/b] "Stream"'
    conference = sim.node.conferences[GREEN]
    participant = make_participant(
        display_name=stream,
        role="guest",
        protocol="rtmp",
        service_type="conference",
        local_alias=GREEN,
        start_time=conference.clock(),
    )
    sim.run_on_loop(lambda: conference.add(participant))
    uuid = participant.uuid
    async with two_rooms(sim) as rooms:
        store = rooms.console(GREEN).store
        assert store is not None
        await rooms.until(lambda: uuid in store.roster, "the stream in the roster")
        screen = await on_row(rooms, uuid)
        assert screen.check_action("transfer", ()) is None  # dimmed in the footer
        for key in ("t", "T", "z"):
            await rooms.press(key)
        await rooms.until(lambda: len(refusals(rooms)) == 3, "three refusals")
        assert [note.message for note in rooms.app._notifications][-3:] == [
            f"{stream}'s call (rtmp) cannot be transferred: the node does not support it.",
        ] * 2 + [
            f"{stream}'s call (rtmp) cannot be camera-controlled (no far-end camera control): "
            "the node does not support it."
        ]
        assert not isinstance(rooms.app.screen, TransferDialog)
        assert counter.received["transfer"] == 0 and rooms.app.attended.book.live() == []
        assert stream in names_in(sim, GREEN)
        await on_row(rooms, rooms.speaker)  # a SIP call can be moved: t opens the dialog
        await rooms.press("t")
        await rooms.until(lambda: isinstance(rooms.app.screen, TransferDialog), "dialog")
        assert len(refusals(rooms)) == 3
