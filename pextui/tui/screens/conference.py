"""The conference screen: status bar, roster, stage, waiting room, hands, chat, event log.

The screen reads the app's store on a ~50 ms timer (`refresh_from_store`): one drain of the
store's change feed per tick, however many events arrived, so bursts coalesce.
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING, ClassVar

from rich.cells import cell_len, set_cell_size
from textual import on
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Horizontal, Vertical
from textual.widget import Widget
from textual.widgets import Footer, Input, Static
from textual.widgets._footer import FooterKey

from pextui.tui import present
from pextui.tui.screens.conference_actions import HOST_BINDINGS, HOST_ONLY
from pextui.tui.screens.conference_dialogs import DialogActions
from pextui.tui.screens.panel_actions import PANEL_BINDINGS, PanelActions
from pextui.tui.widgets.captions import CaptionsLine
from pextui.tui.widgets.chat import ChatPanel
from pextui.tui.widgets.event_log import EventLog
from pextui.tui.widgets.panels import QueuePanel, QueueView, StagePanel, StageView
from pextui.tui.widgets.roster import Roster
from pextui.tui.widgets.roster_columns import RowFacts, header
from pextui.tui.widgets.slides import SlidesPane
from pextui.tui.widgets.status_bar import StatusBar, StatusInfo

if TYPE_CHECKING:
    from pextui.conference import ConferenceStore

TICK_S = 0.05
CHECKED_ACTIONS = tuple(sorted(HOST_ONLY))
LOG_LINES_PER_TICK = 20  # event-log lines drawn per refresh (the rest are summarised)
QUEUE_ROWS = 12  # waiting / hands entries drawn (the rest are counted)
PANELS_EVERY_S = 0.25  # status bar counts and the waiting / hands panels
TITLE_EVERY_S = 0.25  # the roster's title (counts) is redrawn at most this often
SINCE_EVERY_S = 5.0  # the meeting's start is recomputed at most this often
NARROW = 100
MIN_PRESENTER = 8  # cells of the presenter's name shown however narrow the terminal
MAX_PRESENTER = 40


# Footer keys in the order they earn a place when the terminal is narrow; the help screen (?)
# and the command palette list every key whatever the width.
FOOTER_PRIORITY = (
    "help",
    "mute",
    "video",
    "transfer",
    "disconnect",
    "admit",
    "lock",
    "chat",
    "filter",
    "spotlight",
    "sort",
    "toggle_select",
    "quit",
)


def footer_key_width(key: FooterKey) -> int:
    """Cells a (non-compact) footer key takes: padding, key, space, description."""
    return len(key.key_display) + len(key.description) + 3


def fit_presenter(name: str, width: int, status: object, counts: tuple[int, int, int]) -> str:
    """The presenter's name cut (with an ellipsis) to what the status bar's second line has
    left after its counts and flags, so a long name never pushes them out of sight."""
    flags = 6 if bool(getattr(status, "locked", False)) else 8  # locked / unlocked
    if bool(getattr(status, "guests_muted", False)):
        flags += 15 + 15  # " · guests muted" + " (can't unmute)"
    else:
        flags += 17
    if not bool(getattr(status, "started", True)):
        flags += 14  # " · not started"
    used = (
        40 + flags + 15
    )  # " N in · N waiting · N hands │ " (room for 3-digit counts) + " │ presenting: "
    room = max(MIN_PRESENTER, width - used) if width > 0 else MAX_PRESENTER
    room = min(room, MAX_PRESENTER)
    if cell_len(name) <= room:
        return name
    return set_cell_size(name, room - 1).rstrip() + "…"


class HostFooter(Footer):
    """A footer that keeps the most useful keys that fit one line (the palette key stays)."""

    def compose(self) -> ComposeResult:
        widgets: list[Widget] = list(super().compose())
        keys = [w for w in widgets if isinstance(w, FooterKey)]
        palette = [key for key in keys if key.has_class("-command-palette")]
        keys = [key for key in keys if key not in palette]
        room = self.app.size.width - 1 - sum(footer_key_width(key) for key in palette)
        rank = {action: n for n, action in enumerate(FOOTER_PRIORITY)}
        kept: set[int] = set()
        for key in sorted(keys, key=lambda k: rank.get(k.action, len(rank))):
            width = footer_key_width(key)
            if width <= room:
                kept.add(id(key))
                room -= width
        shown = [
            w for w in widgets if not isinstance(w, FooterKey) or w not in keys or id(w) in kept
        ]
        self.styles.grid_size_columns = max(1, len(shown))
        yield from shown


class ConferenceScreen(PanelActions, DialogActions):
    """The host's view of one live conference."""

    BINDINGS: ClassVar[list[BindingType]] = HOST_BINDINGS + PANEL_BINDINGS
    AUTO_FOCUS = "#roster"

    def __init__(self) -> None:
        super().__init__()
        self.sort_key = "name"
        self.sort_reverse = False
        self._vad: dict[str, float] = {}
        self._spot_order: dict[str, int] = {}
        self._chat_seq = 0
        self._minute = 0
        self._since = 0.0
        self._header_width = -1
        self._title_at = -1e9
        self._panels_at = -1e9
        self._panels_dirty = True
        self._drawn_connection: object = None
        self._drawn_second = -1
        self._binding_signature: tuple[bool | None, ...] = ()
        self._since_at = -1e9
        self._transferring: set[str] = set()
        self._reported_transfers: set[int] = set()
        self._since_for = -1
        self._footer_width = -1

    @property
    def store(self) -> ConferenceStore:
        store = self.pextui.store
        assert store is not None, "the conference screen needs a store"
        return store

    # -- layout -----------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        store = self.store
        yield StatusBar(id="status")
        yield Static(id="panel-info")
        yield CaptionsLine(id="captions")
        with Horizontal(id="main"):
            with Vertical(id="left"):
                yield Static(id="roster-header")
                yield Roster(store.index, store.roster, self._facts, id="roster")
                yield Input(placeholder="filter by name (esc clears)", id="filter")
            with Vertical(id="side"):
                yield StagePanel(id="stage")
                yield QueuePanel("nobody waiting", id="waiting")
                yield QueuePanel("no hands raised", id="hands")
                yield ChatPanel(id="chat")
        yield SlidesPane(id="slides")
        yield EventLog(id="events")
        yield HostFooter()

    def on_mount(self) -> None:
        self.query_one("#stage").border_title = "Stage"
        self.query_one("#waiting").border_title = "Waiting room"
        self.query_one("#hands").border_title = "Raised hands"
        self.query_one("#chat").border_title = "Chat"
        self.query_one("#events").border_title = "Event log"
        self.query_one("#filter", Input).display = False
        self.query_one("#panel-info").display = False
        self.query_one("#slides").border_title = "Slides"
        self.store.index.set_sort(self.sort_key, self.sort_reverse)
        self.set_interval(TICK_S, self.refresh_from_store, name="store-refresh")
        self.refresh_from_store(full=True)

    def on_resize(self) -> None:
        self.set_class(self.size.width < NARROW, "-narrow")
        self.redraw_header()
        if self.app.size.width != self._footer_width:
            self._footer_width = self.app.size.width
            self.query_one(HostFooter).refresh(recompose=True)  # which keys fit changed

    def rebind(self) -> None:
        """The app moved to another conference (transfer/refer): point at the new store."""
        store = self.store
        store.index.set_sort(self.sort_key, self.sort_reverse)
        self.query_one(Roster).rebind(store.index, store.roster)
        self._chat_seq = 0
        self._since, self._since_for = 0.0, -1
        self._vad, self._spot_order, self._transferring = {}, {}, set()
        self.refresh_from_store(full=True)

    # -- the refresh tick -------------------------------------------------------------------

    def refresh_from_store(self, full: bool = False) -> None:
        store = self.store
        now = self.pextui.clock()
        changes = store.drain_changes()
        self.expire_actions(now)
        self._flush_activity()
        minute = int(now // 60)
        minute_changed = minute != self._minute
        reordered = full or changes.roster_order or bool(changes.removed)
        changed = changes.changed
        self._minute = minute
        if full or changes.stage:
            old_vad = self._vad
            self._vad = {entry.participant_uuid: float(entry.vad) for entry in store.stage}
            changed = changed | {
                uuid
                for uuid in old_vad.keys() | self._vad.keys()
                if old_vad.get(uuid) != self._vad.get(uuid)
            }
        if full or changes.stage or changes.layout:
            self._draw_stage()
        if full or changes.spotlight or changes.roster_order:
            self._spot_order = {uuid: n for n, uuid in enumerate(store.spotlight, 1)}
        roster = self.query_one(Roster)
        roster.sync(changed, reordered=reordered)
        if minute_changed or full:
            roster.refresh()  # durations (time in meeting, hands) move on
        if full or changes.transfers:
            self._transfers_changed()
        # Panels that summarise the whole meeting are redrawn a few times a second at most.
        if changes.waiting or changes.hands or changes.changed or changes.status:
            self._panels_dirty = True
        tick = time.monotonic()
        if (
            full
            or minute_changed
            or (self._panels_dirty and tick - self._panels_at >= PANELS_EVERY_S)
        ):
            self._panels_at, self._panels_dirty = tick, False
            self._draw_queues(now)
            self._draw_status(now)
        elif self.pextui.connection != self._drawn_connection or int(now) != self._drawn_second:
            self._draw_status(now)
        self._sync_bindings()
        if full or changes.chat:
            self.draw_chat()
        if full or roster.size.width != self._header_width:
            self.redraw_header()
        elif time.monotonic() - self._title_at >= TITLE_EVERY_S:
            self._title_at = time.monotonic()
            self._draw_title()
        self.panel_tick(changes, now)

    def _facts(self, uuid: str) -> RowFacts:
        record = self.store.roster.get(uuid)
        pending = "transferring" if uuid in self._transferring else self.pending_label(record)
        return RowFacts(
            now=self._minute * 60.0,
            vad=self._vad.get(uuid, 0.0),
            spotlight_order=self._spot_order.get(uuid, 0),
            pending=pending,
        )

    def _transfers_changed(self) -> None:
        """Show transfer outcomes once: transferred (they left) or failed (the reason)."""
        transfers = self.store.transfers
        before = self._transferring
        self._transferring = {t.participant_uuid for t in transfers.active()}
        roster = self.query_one(Roster)
        roster.sync(before ^ self._transferring)
        for transfer in transfers.recent():
            if transfer.id in self._reported_transfers:
                continue
            self._reported_transfers.add(transfer.id)
            name = present.safe_text(transfer.display_name, 60) or "participant"
            alias = present.safe_text(transfer.target_alias, 60)
            if transfer.state == "transferred":
                self.pextui.note(f"{name} transferred to {alias}", "ok")
                self.notify(f"{name} → {alias}", title="Transferred")
            else:
                reason = present.safe_text(transfer.reason, 200)
                self.pextui.note(f"Transfer of {name} to {alias} failed: {reason}", "error")
                self.notify(reason, title=f"Transfer of {name} failed", severity="error")

    def redraw_header(self) -> None:
        widget = self.query_one("#roster-header", Static)
        width = self.query_one(Roster).size.width or widget.size.width
        self._header_width = width
        widget.update(header(width, widget.rich_style))
        self._draw_title()

    def _draw_title(self) -> None:
        index = self.store.index
        arrow = "▼" if self.sort_reverse else "▲"
        title = f"Participants {len(index)}"
        if index.filter_text:
            title += (
                f" of {len(self.store.roster)} · filter: {present.safe_text(index.filter_text, 20)}"
            )
        title += f" · sort: {self.sort_key} {arrow}"
        selected = len(self.query_one(Roster).selected)
        if selected:
            title += f" · {selected} selected"
        left = self.query_one("#left")
        if left.border_title != title:
            left.border_title = title

    def _draw_stage(self) -> None:
        store = self.store
        speakers = tuple(
            (self.name_for(entry.participant_uuid), float(entry.vad)) for entry in store.stage
        )
        layout = store.layout
        self.query_one(StagePanel).show(
            StageView(
                speakers=speakers,
                layout=present.safe_text(getattr(layout, "view", "") or "", 30) if layout else "",
                spotlighted=tuple(self.name_for(uuid) for uuid in store.spotlight),
                overlay=bool(getattr(layout, "overlay_text_enabled", False)) if layout else False,
            )
        )

    def _draw_queues(self, now: float) -> None:
        """The waiting room and the raised hands: only the entries the panels can show."""
        store = self.store
        waiting_panel = self.query_one("#waiting", QueuePanel)
        hands_panel = self.query_one("#hands", QueuePanel)
        waiting_all, hands_all = store.waiting_room, store.raised_hands
        waiting = tuple(
            (self.name_for(uuid), self._joined(uuid)) for uuid in waiting_all[:QUEUE_ROWS]
        )
        hands = tuple(
            (self.name_for(uuid), present.hand_time(self._participant(uuid)))
            for uuid in hands_all[:QUEUE_ROWS]
        )
        minute = float(int(now // 60) * 60)
        waiting_panel.show(QueueView(waiting, minute, len(waiting_all)))
        hands_panel.show(QueueView(hands, minute, len(hands_all)))

    def _sync_bindings(self) -> None:
        """Refresh the footer only when what is allowed actually changed."""
        signature = tuple(self.check_action(action, ()) for action in CHECKED_ACTIONS)
        if signature != self._binding_signature:
            self._binding_signature = signature
            self.refresh_bindings()

    def draw_chat(self) -> None:
        chat = self.query_one(ChatPanel)
        for entry in self.store.chat.since(self._chat_seq):
            self._chat_seq = entry.seq
            if entry.is_text:
                chat.add(entry.origin, entry.payload, at=entry.received_at, own=entry.local)

    def _draw_status(self, now: float) -> None:
        store = self.store
        self._drawn_connection, self._drawn_second = self.pextui.connection, int(now)
        status = store.status
        session = self.pextui.session
        presentation = store.presentation
        presenter = ""
        if presentation is not None:
            presenter = present.safe_text(presentation.name, 200)
            counts = (len(store.roster), len(store.waiting_room), len(store.raised_hands))
            width = self.query_one(StatusBar).size.width
            presenter = fit_presenter(presenter, width, status, counts)
        self.query_one(StatusBar).show(
            StatusInfo(
                conference=str(getattr(session, "conference_name", "") or ""),
                alias=str(getattr(session, "alias", "") or ""),
                role=str(getattr(session, "role", "") or ""),
                locked=bool(getattr(status, "locked", False)),
                guests_muted=bool(getattr(status, "guests_muted", False)),
                guests_can_unmute=bool(getattr(status, "guests_can_unmute", False)),
                started=bool(getattr(status, "started", True)),
                presenter=presenter,
                participants=len(store.roster),
                waiting=len(store.waiting_room),
                hands=len(store.raised_hands),
                connection=self.pextui.connection,
                since=self.meeting_start(),
                now=float(int(now)),
            )
        )

    def _flush_activity(self) -> None:
        """Move new activity into the event log; a burst is summarised, not drawn line by line."""
        activity = self.pextui.activity
        if not activity:
            return
        items = list(activity)
        activity.clear()
        self.query_one(EventLog).record_batch(
            [(item.text, item.level, item.at) for item in items], LOG_LINES_PER_TICK
        )

    def meeting_start(self) -> float:
        """The earliest join time in the roster, recomputed only when the roster changes size."""
        roster = self.store.roster
        tick = time.monotonic()  # a throttle: real time, whatever the meeting clock says
        stale = not self._since or tick - self._since_at >= SINCE_EVERY_S
        if self._since_for != len(roster) and stale:
            self._since_at = tick
            starts = [
                float(present.field(rec.participant, "start_time", 0) or 0)
                for rec in roster.values()
            ]
            self._since = min((s for s in starts if s > 0), default=0.0)
            self._since_for = len(roster)
        return self._since

    def _participant(self, uuid: str) -> object:
        record = self.store.roster.get(uuid)
        return record.participant if record is not None else None

    def name_for(self, uuid: str) -> str:
        participant = self._participant(uuid)
        return present.display_name(participant) if participant is not None else "?"

    def _joined(self, uuid: str) -> float:
        record = self.store.roster.get(uuid)
        return float(getattr(record, "joined_at", 0.0) or 0.0) if record else 0.0

    # -- filter, sort, chat -----------------------------------------------------------------

    @on(Input.Changed, "#filter")
    def _filter_changed(self, event: Input.Changed) -> None:
        self.store.index.set_filter(event.value)
        self.query_one(Roster).sync(reordered=True)

    @on(Input.Submitted, "#filter")
    def _filter_done(self) -> None:
        self.query_one(Roster).focus()

    @on(ChatPanel.Send)
    def _chat_send(self, event: ChatPanel.Send) -> None:
        self.send_chat(event.text)

    @on(Roster.CursorMoved)
    def _cursor_moved(self) -> None:
        self._sync_bindings()

    def go_to_participant(self, uuid: str) -> None:
        """Move the cursor to a participant, clearing the filter if it hides them."""
        roster = self.query_one(Roster)
        if not roster.go_to(uuid):
            self.query_one("#filter", Input).value = ""
            self.store.index.set_filter("")
            roster.sync(reordered=True)
            roster.go_to(uuid)
        roster.focus()
