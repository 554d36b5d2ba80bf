"""Draws the conference screen from its console: one drain of the store's changes per tick.

:class:`ConferencePainter` runs on the screen's ~50 ms timer (:meth:`ConferencePainter.refresh`):
one drain of the store's change feed per tick however many events arrived, so bursts
coalesce; panels that summarise the whole meeting are redrawn a few times a second at most.
When the console moved to another store (a transfer followed, a rejoin) it rebinds.
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING

from rich.cells import cell_len, set_cell_size
from textual.widgets import Static

from pextui.tui import present
from pextui.tui.host.calls import HostCalls
from pextui.tui.literal import literal
from pextui.tui.meeting_start import EarliestStart
from pextui.tui.transfer_report import TransferReporter
from pextui.tui.widgets.chat import ChatPanel
from pextui.tui.widgets.conference_tabs import ConferenceTabs
from pextui.tui.widgets.event_log import EventLog
from pextui.tui.widgets.panels import QueuePanel, QueueView, StagePanel, StageView
from pextui.tui.widgets.roster import Roster
from pextui.tui.widgets.roster_columns import RowFacts, header
from pextui.tui.widgets.status_bar import StatusBar, StatusInfo
from pextui.tui.widgets.titled import TitledColumn

if TYPE_CHECKING:
    from pextui.conference import ConferenceStore
    from pextui.protocol.models import Participant
    from pextui.tui.console import Console
    from pextui.tui.screens.conference import ConferenceScreen

LOG_LINES_PER_TICK = 20  # event-log lines drawn per refresh (the rest are summarised)
LOG_LINES_PER_SECOND = 20.0  # and per second, in a busy meeting
QUEUE_ROWS = 12  # waiting / hands entries drawn (the rest are counted)
PANELS_EVERY_S = 0.25  # counts, clock, title, tabs and a busy event log: together, this often
MIN_PRESENTER = 8  # cells of the presenter's name shown however narrow the terminal
MAX_PRESENTER = 40


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


class ConferencePainter:
    """The drawing state of one conference screen (what was drawn, and when)."""

    def __init__(self, screen: ConferenceScreen, console: Console) -> None:
        self.screen = screen
        self.console = console
        store = console.store
        assert store is not None, "the conference screen needs a store"
        self.store: ConferenceStore = store
        self.transfers = TransferReporter(console.note, console.notify)
        self._reset()
        self._header_width = -1
        self._left_title = ""
        self._slot_at = -1e9
        self._top_half = False  # which half of the summaries the next half-period draws
        self._panels_dirty = self._queues_dirty = True
        self._drawn_connection: object = None
        self._drawn_second = -1
        self._minute = 0
        self._hidden = False
        self._log_budget, self._log_at = float(LOG_LINES_PER_TICK), time.monotonic()
        self.ticks = 0  # refreshes done (tests wait for the next one instead of sleeping)

    def _reset(self) -> None:
        self._vad: dict[str, float] = {}
        self._spot_order: dict[str, int] = {}
        self.transfers.reset()
        self._chat_seq = 0
        self._since = EarliestStart()

    def rebind(self) -> None:
        """The console moved to another store (transfer/refer, rejoin): draw that one."""
        store = self.console.store
        assert store is not None
        self.store = store
        store.index.set_sort(self.screen.sort_key, self.screen.sort_reverse)
        self.screen.query_one(Roster).rebind(store.index, store.roster)
        self._reset()
        self.refresh(full=True)

    def refresh(self, full: bool = False) -> None:
        """One tick: drain the store's changes and redraw what they touch."""
        self.ticks += 1
        if not self.screen.is_current:
            # Another conference (or screen) is in front: draw nothing; changes wait in the
            # store's feed and the whole screen is redrawn when it comes back.
            self._hidden = True
            self.console.expire(self.console.clock())
            return
        if self._hidden:
            self._hidden, full = False, True
        if self.console.store is not self.store:
            self.rebind()
            return
        store = self.store
        now = self.console.clock()
        changes = store.drain_changes()
        self.console.expire(now)
        # What summarises the meeting is redrawn every PANELS_EVERY_S, in two halves half a
        # period apart: the counts, clock, title, tabs and a busy event log together (the
        # lines at the top: each tick's changes are drawn in one frame whose cost grows with
        # the box around all of them), and the waiting and hands panels. Each half is a
        # few ms of drawing: together, and with roster rows, they made the longest frames.
        tick = time.monotonic()
        half = full or tick - self._slot_at >= PANELS_EVERY_S / 2
        if half:
            self._slot_at = tick
            self._top_half = not self._top_half
        slot = full or (half and self._top_half)
        queues_slot = full or (half and not self._top_half)
        self._flush_activity(slot)
        minute = int(now // 60)
        minute_changed = minute != self._minute
        reordered = full or changes.roster_order or bool(changes.removed)
        if full or changes.resynced:
            self._since.invalidate()
        self._since.update(store.roster, changes.changed, changes.removed)
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
        roster = self.screen.query_one(Roster)
        roster.sync(changed, reordered=reordered)
        if minute_changed or full:
            roster.refresh()  # durations (time in meeting, hands) move on
        if full or changes.transfers:
            self._transfers_changed()
        marks = self.screen.consult.tick(full)  # the consult panel, "transfer pending" marks
        if marks:
            roster.sync(marks)
        # Panels that summarise the whole meeting are redrawn a few times a second at most.
        if changes.waiting or changes.hands or changes.changed or changes.status:
            self._panels_dirty = self._queues_dirty = True
        if full or minute_changed or (self._queues_dirty and queues_slot):
            self._queues_dirty = False
            self._draw_queues(now)
        if full or minute_changed or (self._panels_dirty and slot):
            self._panels_dirty = False
            self._draw_status(now)
        elif self.console.connection != self._drawn_connection or (
            slot and int(now) != self._drawn_second
        ):
            self._draw_status(now)
        if slot:
            self.screen.query_one(ConferenceTabs).show(self.console.tab_badges())
        self.screen.sync_bindings()
        self.screen.panel.tick(changes, now)
        if full or changes.chat:
            self.draw_chat()
        if full or roster.size.width != self._header_width:
            self.redraw_header()
        elif slot:
            self._draw_title()

    def facts(self, uuid: str) -> RowFacts:
        record = self.store.roster.get(uuid)
        pending, short = self.transfers.label(uuid) or HostCalls.pending_label(record), ""
        if not pending:  # "transfer pending to X" while a consult is about them
            pending, short = self.screen.consult.pending_label(uuid)
        return RowFacts(
            now=self._minute * 60.0,
            vad=self._vad.get(uuid, 0.0),
            spotlight_order=self._spot_order.get(uuid, 0),
            pending=pending,
            pending_short=short,
            you=uuid == self.store.self_uuid,
        )

    def _transfers_changed(self) -> None:
        """Say each change of a transfer once (event log, notification); label its row."""
        changed = self.transfers.changed(self.store)
        if changed:
            self.screen.query_one(Roster).sync(changed)

    def redraw_header(self) -> None:
        widget = self.screen.query_one("#roster-header", Static)
        width = self.screen.query_one(Roster).size.width or widget.size.width
        self._header_width = width
        widget.update(header(width, widget.rich_style))
        self._draw_title()

    def _draw_title(self) -> None:
        index = self.store.index
        arrow = "▼" if self.screen.sort_reverse else "▲"
        title = f"Participants {len(index)}"
        if index.filter_text:
            title += (
                f" of {len(self.store.roster)} · filter: {present.safe_text(index.filter_text, 20)}"
            )
        title += f" · sort: {self.screen.sort_key} {arrow}"
        selected = len(self.screen.query_one(Roster).selected)
        if selected:
            title += f" · {selected} selected"
        if self._left_title != title:
            self._left_title = title
            self.screen.query_one("#left", TitledColumn).set_title(literal(title))

    def _draw_stage(self) -> None:
        store = self.store
        speakers = tuple(
            (self.name_for(entry.participant_uuid), float(entry.vad)) for entry in store.stage
        )
        layout = store.layout
        self.screen.query_one(StagePanel).show(
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
        waiting_panel = self.screen.query_one("#waiting", QueuePanel)
        hands_panel = self.screen.query_one("#hands", QueuePanel)
        waiting = tuple(
            (self.name_for(uuid), self._joined(uuid)) for uuid in store.first_waiting(QUEUE_ROWS)
        )
        hands = tuple(
            (self.name_for(uuid), present.hand_time(self._participant(uuid)))
            for uuid in store.first_hands(QUEUE_ROWS)
        )
        minute = float(int(now // 60) * 60)
        waiting_panel.show(QueueView(waiting, minute, store.waiting_count))
        hands_panel.show(QueueView(hands, minute, store.hands_count))

    def draw_chat(self) -> None:
        chat = self.screen.query_one(ChatPanel)
        for entry in self.store.chat.since(self._chat_seq):
            self._chat_seq = entry.seq
            if entry.is_divider:
                chat.add_divider(entry.payload)
            elif entry.is_text:
                chat.add(
                    entry.origin,
                    entry.payload,
                    at=entry.received_at,
                    own=entry.local,
                    private=entry.direct,
                    recipient=entry.recipient,
                )

    def _draw_status(self, now: float) -> None:
        store = self.store
        self._drawn_connection, self._drawn_second = self.console.connection, int(now)
        status = store.status
        session = self.console.session
        presentation = store.presentation
        presenter = ""
        if presentation is not None:
            presenter = present.safe_text(presentation.name, 200)
            counts = (len(store.roster), store.waiting_count, store.hands_count)
            width = self.screen.query_one(StatusBar).size.width
            presenter = fit_presenter(presenter, width, status, counts)
        self.screen.query_one(StatusBar).show(
            StatusInfo(
                conference=str(getattr(session, "conference_name", "") or ""),
                alias=self.console.alias,
                via=str(getattr(session, "reception", "") or ""),
                role=str(getattr(session, "role", "") or ""),
                locked=bool(getattr(status, "locked", False)),
                guests_muted=bool(getattr(status, "guests_muted", False)),
                guests_can_unmute=bool(getattr(status, "guests_can_unmute", False)),
                started=bool(getattr(status, "started", True)),
                presenter=presenter,
                participants=len(store.roster),
                waiting=store.waiting_count,
                hands=store.hands_count,
                connection=self.console.connection,
                since=self.meeting_start(),
                now=float(int(now)),
            )
        )

    def _flush_activity(self, slot: bool) -> None:
        """Move new activity into the event log; a burst is summarised, not drawn line by
        line: at most ``LOG_LINES_PER_SECOND`` lines are drawn (each drawn line is a render
        and dozens of objects kept), errors always. After a quiet spell (the budget is
        full) a line is drawn at once, else with the other summaries (``slot``)."""
        tick = time.monotonic()
        self._log_budget = min(
            float(LOG_LINES_PER_TICK),
            self._log_budget + (tick - self._log_at) * LOG_LINES_PER_SECOND,
        )
        self._log_at = tick
        activity = self.console.activity
        log = self.screen.query_one(EventLog)
        if not activity and not (log.unsaid and self._log_budget >= 1):
            return
        if not slot and self._log_budget < LOG_LINES_PER_TICK:
            return  # busy: wait for the slot (the activity deque keeps the lines)
        items = list(activity)
        activity.clear()
        budget = int(self._log_budget)
        log.record_batch([(item.text, item.level, item.at) for item in items], budget)
        self._log_budget -= min(budget, len(items) + 1)

    def meeting_start(self) -> float:
        """The earliest join time in the roster (followed through the change feed)."""
        return self._since.value(self.store.roster)

    def _participant(self, uuid: str) -> Participant | None:
        record = self.store.roster.get(uuid)
        return record.participant if record is not None else None

    def name_for(self, uuid: str) -> str:
        participant = self._participant(uuid)
        return present.display_name(participant) if participant is not None else "?"

    def _joined(self, uuid: str) -> float:
        record = self.store.roster.get(uuid)
        return float(getattr(record, "joined_at", 0.0) or 0.0) if record else 0.0
