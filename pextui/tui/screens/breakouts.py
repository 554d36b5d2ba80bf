"""The breakout view: rooms (people, time left, help asked), and the people of one room.

``BreakoutScreen(store, session, selection, clock)`` reads the conference's store on a
short timer and runs host calls on `session` in workers (failures become notifications
with the server's reason). `selection` is the roster's selection (main-room UUIDs) when
the view was opened: `n` fills new rooms from it (or spreads every guest evenly), `m`
moves it to the room under the cursor.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from typing import TYPE_CHECKING, ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.content import Content
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Static

from pextui.sanitize import safe_text
from pextui.tui import present
from pextui.tui.literal import literal
from pextui.tui.screens.text_prompt import TextPromptDialog, some_text, whole_number
from pextui.tui.screens.transfer import TransferDialog, TransferRequest
from pextui.tui.stylesheets import CONFERENCE_CSS

if TYPE_CHECKING:
    from pextui.conference import BreakoutRoom, ConferenceStore
    from pextui.protocol.session import Session

TICK_S = 0.25
MAX_ROOMS = 50
ROOM_COLUMNS = (("Room", 40), ("People", 6), ("Time left", 9), ("Help", 4))
PEOPLE_COLUMNS = (("Name", 40), ("Audio", 6), ("Video", 5), ("Hand", 4))


def _b(key: str, action: str, label: str, tooltip: str, show: bool = True) -> Binding:
    return Binding(key, action, label, id=f"breakout.{action}", tooltip=tooltip, show=show)


def _on_screen(key: str, action: str, label: str, tooltip: str) -> Binding:
    """A table's key whose action is the screen's."""
    return Binding(key, f"screen.{action}", label, id=f"breakout.{action}", tooltip=tooltip)


def time_left(seconds: float | None) -> str:
    if seconds is None:
        return "—"
    whole = int(seconds)
    return f"{whole // 60}:{whole % 60:02d}"


def spread(people: Sequence[str], rooms: int) -> list[list[str]]:
    """`people` dealt over `rooms` rooms in turn (sizes differ by one at most)."""
    return [list(people[index::rooms]) for index in range(rooms)]


class RoomTable(DataTable[Content]):
    BINDINGS: ClassVar[list[BindingType]] = [
        _on_screen("m", "move_here", "Move here", "Move the roster's selection into this room"),
        _on_screen(
            "b", "room_back", "Back to main", "Bring this room's people back to the main room"
        ),
        _on_screen("x", "close_room", "Close", "Close this room (its people come back)"),
        _on_screen("h", "help_handled", "Handled", "Mark the room's request for help as handled"),
        _on_screen("enter", "people", "People", "Act on the people in this room"),
    ]


class PeopleTable(DataTable[Content]):
    BINDINGS: ClassVar[list[BindingType]] = [
        _on_screen("m", "person_mute", "Mute", "Mute or unmute this person"),
        _on_screen("s", "person_spotlight", "Spotlight", "Spotlight this person on or off"),
        _on_screen("b", "person_back", "Back to main", "Move this person back to the main room"),
        _on_screen("t", "person_transfer", "Transfer", "Transfer this person to a conference"),
        _on_screen("x", "person_disconnect", "Kick", "Disconnect this person"),
        _on_screen("escape", "rooms", "Rooms", "Back to the list of rooms"),
    ]


class BreakoutScreen(Screen[None]):
    """Breakout rooms of one conference."""

    BINDINGS: ClassVar[list[BindingType]] = [
        _b("n", "open_rooms", "New rooms", "Open N rooms, filled from the selection or evenly"),
        _b("M", "message_all", "Message all", "Send a message to every room"),
        _b("B", "all_back", "All back", "Bring everyone back to the main room"),
        _b("X", "close_all", "Close all", "Close every room"),
        _b("escape", "leave", "Roster", "Back to the conference"),
    ]
    AUTO_FOCUS = "#rooms"
    CSS_PATH = CONFERENCE_CSS

    def __init__(
        self,
        store: ConferenceStore,
        session: Session,
        selection: Sequence[str] = (),
        clock: Callable[[], float] | None = None,
    ) -> None:
        super().__init__()
        self.store = store
        self.session = session
        self.selection = list(selection)
        self.clock = clock or store.clock
        self._room_keys: list[str] = []
        self._people_keys: list[str] = []

    def compose(self) -> ComposeResult:
        yield Static(id="breakout-hint")
        rooms = RoomTable(id="rooms", cursor_type="row", zebra_stripes=True)
        rooms.border_title = "Breakout rooms"
        yield rooms
        people = PeopleTable(id="people", cursor_type="row")
        people.border_title = "People in the room"
        yield people
        yield Footer()

    def on_mount(self) -> None:
        rooms, people = self.query_one(RoomTable), self.query_one(PeopleTable)
        for table, columns in ((rooms, ROOM_COLUMNS), (people, PEOPLE_COLUMNS)):
            for label, width in columns:
                table.add_column(label, width=width)
        self.set_interval(TICK_S, self.redraw, name="breakout-refresh")
        self.redraw()

    # -- drawing -----------------------------------------------------------------------------

    @property
    def room(self) -> BreakoutRoom | None:
        """The room under the cursor."""
        table = self.query_one(RoomTable)
        if not self._room_keys or table.cursor_row >= len(self._room_keys):
            return None
        return self.store.breakouts.get(self._room_keys[table.cursor_row])

    def redraw(self) -> None:
        now = self.clock()
        picked = (
            f"{len(self.selection)} selected in the roster" if self.selection else "no one selected"
        )
        self.query_one("#breakout-hint", Static).update(
            Content(f"{len(self.store.breakouts)} rooms · {picked} · n new rooms · m move here")
        )
        table = self.query_one(RoomTable)
        rooms = list(self.store.breakouts.values())
        keys = [room.uuid for room in rooms]
        rows = [
            (
                literal(room.name, 40),
                Content(str(room.people)),
                Content(time_left(room.time_left(now))),
                Content.styled("HELP", "bold $text-error") if room.needs_help else Content(""),
            )
            for room in rooms
        ]
        self._room_keys = self._fill(table, keys, rows)
        self._draw_people()

    def _draw_people(self) -> None:
        table = self.query_one(PeopleTable)
        room = self.room
        records = list(room.store.roster.values()) if room is not None else []
        table.border_title = (
            Content.assemble("People in ", literal(room.name, 40)) if room else "People"
        )
        rows = [
            (
                literal(present.display_name(record.participant), 40),
                Content("muted" if present.audio_muted(record.participant) else "on"),
                Content("off" if present.video_muted(record.participant) else "on"),
                Content("✋" if present.hand_time(record.participant) > 0 else ""),
            )
            for record in records
        ]
        self._people_keys = self._fill(table, [r.uuid for r in records], rows)

    def _fill(
        self, table: DataTable[Content], keys: list[str], rows: Sequence[tuple[Content, ...]]
    ) -> list[str]:
        """Replace the rows, keeping the cursor on the same row number."""
        row = table.cursor_row
        table.clear()
        for key, cells in zip(keys, rows, strict=True):
            table.add_row(*cells, key=key)
        if keys:
            table.move_cursor(row=min(row, len(keys) - 1))
        return keys

    @on(DataTable.RowHighlighted, "#rooms")
    def _room_moved(self) -> None:
        self._draw_people()

    # -- running host calls ------------------------------------------------------------------

    def run_call(self, description: str, call: Callable[[], Awaitable[object]]) -> None:
        async def run() -> None:
            try:
                await call()
            except Exception as exc:  # the server's reason, shown literally
                reason = safe_text(getattr(exc, "reason", "") or exc, 200)
                text = f"{safe_text(description, 120)} failed: {reason}"
                self.notify(text, title="Breakout rooms", severity="error", markup=False)
                return
            self.notify(safe_text(description, 160), timeout=2, markup=False)

        self.run_worker(run(), group="breakout-calls", exit_on_error=False)

    def _person(self) -> tuple[BreakoutRoom, str] | None:
        room = self.room
        table = self.query_one(PeopleTable)
        if room is None or not self._people_keys or table.cursor_row >= len(self._people_keys):
            return None
        return room, self._people_keys[table.cursor_row]

    # -- rooms -------------------------------------------------------------------------------

    def action_open_rooms(self) -> None:
        def opened(answer: str | None) -> None:
            if answer:
                self.open_rooms(int(answer))

        dialog = TextPromptDialog(
            "Open breakout rooms", "How many rooms", whole_number(1, MAX_ROOMS), "e.g. 3"
        )
        self.app.push_screen(dialog, opened)

    def open_rooms(self, count: int) -> None:
        """`count` new rooms with the selection, or every guest of the main room, dealt out."""
        people = self.selection or [
            uuid
            for uuid, record in self.store.roster.items()
            if uuid != self.store.self_uuid and not present.is_host(record.participant)
        ]
        shares = spread(people, count)
        start = len(self.store.breakouts) + 1

        async def create_all() -> None:
            for offset, share in enumerate(shares):
                await self.session.create_breakout(
                    f"Room {start + offset}",
                    participants={"main": share} if share else None,
                    guests_allowed_to_leave=True,
                )

        self.selection = []
        self.run_call(f"Opened {count} rooms for {len(people)} people", create_all)

    def action_move_here(self) -> None:
        room = self.room
        if room is None:
            return
        if not self.selection:
            self.notify("Select people in the roster first (space), then open this view")
            return
        moved, self.selection = self.selection, []
        self.run_call(
            f"Moved {len(moved)} to {room.name}",
            lambda: self.session.move_to_room(moved, room.uuid),
        )

    def action_room_back(self) -> None:
        room = self.room
        if room is None or not room.store.roster:
            return
        people = list(room.store.roster)
        self.run_call(
            f"Brought {room.name} back",
            lambda: self.session.room(room.uuid).move_to_room(people, None),
        )

    def action_close_room(self) -> None:
        room = self.room
        if room is not None:
            self.run_call(f"Closed {room.name}", self.session.room(room.uuid).close)

    def action_help_handled(self) -> None:
        room = self.room
        if room is not None and room.needs_help:
            actions = self.session.room(room.uuid)
            self.run_call(f"Help for {room.name} handled", actions.clear_breakout_buzz)

    def action_people(self) -> None:
        self.query_one(PeopleTable).focus()

    def action_message_all(self) -> None:
        def send(text: str | None) -> None:
            if text:
                self.run_call(
                    "Message sent to every room", lambda: self.session.message_all_rooms(text)
                )

        self.app.push_screen(
            TextPromptDialog("Message every room", "Message", some_text(500)), send
        )

    def action_all_back(self) -> None:
        self.run_call("Everyone is back in the main room", self.session.empty_all_rooms)

    def action_close_all(self) -> None:
        self.run_call("Closed every room", self.session.close_all_rooms)

    def action_leave(self) -> None:
        self.dismiss()

    # -- people in a room --------------------------------------------------------------------

    def action_rooms(self) -> None:
        self.query_one(RoomTable).focus()

    def action_person_mute(self) -> None:
        found = self._person()
        if found is None:
            return
        room, uuid = found
        actions = self.session.room(room.uuid)
        record = room.store.roster[uuid]
        if present.audio_muted(record.participant):
            self.run_call("Unmuted", lambda: actions.unmute(uuid))
        else:
            self.run_call("Muted", lambda: actions.mute(uuid))

    def action_person_spotlight(self) -> None:
        found = self._person()
        if found is None:
            return
        room, uuid = found
        actions = self.session.room(room.uuid)
        if present.spotlight_time(room.store.roster[uuid].participant) > 0:
            self.run_call("Spotlight off", lambda: actions.spotlight_off(uuid))
        else:
            self.run_call("Spotlighted", lambda: actions.spotlight_on(uuid))

    def action_person_back(self) -> None:
        found = self._person()
        if found is not None:
            room, uuid = found
            self.run_call(
                "Moved back to the main room",
                lambda: self.session.room(room.uuid).move_to_room([uuid], None),
            )

    def action_person_disconnect(self) -> None:
        found = self._person()
        if found is not None:
            room, uuid = found
            self.run_call(
                "Disconnected", lambda: self.session.room(room.uuid).disconnect_participant(uuid)
            )

    def action_person_transfer(self) -> None:
        found = self._person()
        if found is None:
            return
        room, uuid = found
        name = present.display_name(room.store.roster[uuid].participant)

        def chosen(request: TransferRequest | None) -> None:
            if request is not None:
                actions = self.session.room(room.uuid)
                self.run_call(
                    f"Transferred {name} to {request.alias}",
                    lambda: actions.transfer(uuid, request.alias, request.role, request.pin),
                )

        self.app.push_screen(TransferDialog(name), chosen)
