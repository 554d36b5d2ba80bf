"""Private chat against the simulator: a private message to the participant under the cursor
reaches only them, one received is marked private, and after the console follows its own
transfer the chat shows a divider naming the new conference."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from textual.widgets import Input

from pextui.protocol.client import JoinParams, connect
from pextui.protocol.models import MessageReceivedEvent, ParticipantSyncEndEvent
from pextui.protocol.session import Session
from pextui.sim.server import SimServer
from pextui.tui.screens.message import PrivateMessageDialog
from tests.tui.console_helpers import HOST_PIN, running_console


def flat(text: str) -> str:
    """The chat's text with its line wrapping undone (the panel is narrow)."""
    return " ".join(text.split())


class Inbox:
    """The chat messages one API participant's event stream delivered."""

    def __init__(self) -> None:
        self.messages: list[dict[str, object]] = []
        self.synced = False  # the stream is open: what is sent from now on arrives

    def payloads(self, *, direct: bool) -> list[object]:
        return [m["payload"] for m in self.messages if m["direct"] is direct]


@asynccontextmanager
async def reading(session: Session) -> AsyncIterator[Inbox]:
    inbox = Inbox()

    async def read() -> None:
        async for item in session.events():
            if isinstance(item, MessageReceivedEvent):
                inbox.messages.append(item.data.model_dump())
            elif isinstance(item, ParticipantSyncEndEvent):
                inbox.synced = True

    task = asyncio.create_task(read())
    try:
        yield inbox
    finally:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task


async def test_M_sends_a_private_message_to_the_cursor_s_participant_only(
    simulator: SimServer,
) -> None:
    async with running_console(simulator) as console:
        alice, bob = console.guests["Alice"], console.guests["Bob"]
        async with reading(alice) as alice_inbox, reading(bob) as bob_inbox:
            await console.until(lambda: alice_inbox.synced and bob_inbox.synced, "streams")
            await console.cursor_on("Alice")
            await console.press("M")
            dialog = await console.until(
                lambda: isinstance(console.app.screen, PrivateMessageDialog) and console.app.screen,
                "the private message dialog",
            )
            assert "Only Alice will see this message." in str(
                dialog.query_one("#participant").render()
            )
            await console.press("enter")  # empty: an inline error, nothing sent
            assert dialog.error_text == "Enter the message."
            dialog.query_one("#message", Input).value = "[b]just[/b] for you"
            await console.press("enter")
            await console.until(
                lambda: alice_inbox.payloads(direct=True) == ["[b]just[/b] for you"],
                "Alice gets it, marked direct",
            )
            # A conference message after it: when Bob has that one, he would have had the
            # private one before it (one stream, in order).
            await console.press("c")
            await console.pilot.press(*"to everyone", "enter")
            await console.until(
                lambda: bob_inbox.payloads(direct=False) == ["to everyone"], "Bob gets the chat"
            )
            assert bob_inbox.payloads(direct=True) == []
            sent = alice_inbox.messages[0]
            assert sent["origin"] == "Host"
            assert sent["uuid"] == console.app.session.participant_uuid  # type: ignore[union-attr]
        await console.until(lambda: "Host → Alice" in console.chat_text(), "shown as sent")
        chat = console.chat_text()
        assert "private" in chat.split("Host → Alice", 1)[1].splitlines()[0]
        assert "[b]just[/b] for you" in chat  # literally
        entry = [e for e in console.app.store.chat if e.direct]  # type: ignore[union-attr]
        assert [(e.local, e.recipient) for e in entry] == [(True, "Alice")]


async def test_a_received_direct_message_is_marked_private(simulator: SimServer) -> None:
    async with running_console(simulator) as console:
        me = console.app.session.participant_uuid  # type: ignore[union-attr]
        await console.guests["Alice"].send_private_message(me, "psst, only you")
        await console.guests["Bob"].send_message("hello room")
        await console.until(lambda: "hello room" in console.chat_text(), "both messages")
        await console.until(lambda: "psst, only you" in console.chat_text(), "the private one")
        lines = console.chat_text().splitlines()
        private_head = lines[lines.index("psst, only you") - 1]
        room_head = lines[lines.index("hello room") - 1]
        assert "Alice → you" in private_head and "private" in private_head
        assert "Bob" in room_head and "private" not in room_head and "→" not in room_head
        store = console.app.store
        assert store is not None
        assert [(e.origin, e.direct) for e in store.chat] == [("Alice", True), ("Bob", False)]


async def test_after_following_its_transfer_the_chat_shows_a_divider(
    simulator: SimServer,
) -> None:
    async with running_console(simulator, guests=("Alice",)) as console:
        await console.guests["Alice"].send_message("said in the demo room")
        await console.until(lambda: "said in the demo room" in console.chat_text(), "chat")
        operator = await connect(
            JoinParams(simulator.base_url, "meet.demo", display_name="Op", pin=HOST_PIN)
        )
        board = await connect(
            JoinParams(simulator.base_url, "meet.board", display_name="Zoe", pin="5678")
        )
        try:
            me = console.app.session.participant_uuid  # type: ignore[union-attr]
            await operator.transfer(me, "meet.board", "host", "1234")
            await console.until(
                lambda: "Moved to Board Meeting · meet.board" in flat(console.chat_text()),
                "the divider",
            )
            # The console's stream is open in the board room once its roster has Zoe.
            await console.until(
                lambda: board.participant_uuid in console.app.store.roster,  # type: ignore[union-attr]
                "the board room's roster",
            )
            await board.send_message("said in the board room")
            await console.until(
                lambda: "said in the board room" in flat(console.chat_text()), "the new message"
            )
        finally:
            await operator.close()
            await board.close()
        text = flat(console.chat_text())
        old = text.index("said in the demo room")
        divider = text.index("Moved to Board Meeting · meet.board")
        new = text.index("said in the board room")
        assert old < divider < new
        store = console.app.store
        assert store is not None
        assert [(e.kind, e.payload) for e in store.chat] == [
            ("divider", "Moved to Board Meeting · meet.board"),
            ("message", "said in the board room"),
        ]


async def test_each_open_conference_has_its_own_chat(simulator: SimServer) -> None:
    async with running_console(simulator, guests=("Alice",)) as console:
        app = console.app
        demo = app.current
        assert demo is not None
        board_guest = await connect(
            JoinParams(simulator.base_url, "meet.board", display_name="Zoe", pin="5678")
        )
        try:
            board = app.open_conference(
                JoinParams(simulator.base_url, "meet.board", display_name="Host", pin=HOST_PIN)
            )
            await console.until(
                lambda: (
                    board.store is not None and board_guest.participant_uuid in board.store.roster
                ),
                "the board room joined",
            )
            await board_guest.send_message("board only")
            await console.guests["Alice"].send_message("demo only")
            await console.until(
                lambda: board.store is not None and len(board.store.chat) == 1, "board chat"
            )
            await console.until(
                lambda: demo.store is not None and len(demo.store.chat) == 1, "demo"
            )
            assert [e.payload for e in board.store.chat] == ["board only"]  # type: ignore[union-attr]
            assert [e.payload for e in demo.store.chat] == ["demo only"]  # type: ignore[union-attr]
            app.switch_to(board)
            await console.until(lambda: "board only" in console.chat_text(), "board's panel")
            assert "demo only" not in console.chat_text()
            app.switch_to(demo)
            await console.until(lambda: "demo only" in console.chat_text(), "demo's panel")
            assert "board only" not in console.chat_text()
        finally:
            await board_guest.close()
