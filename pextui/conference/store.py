"""``ConferenceStore``: applies typed events to the live conference state.

See docs/architecture.md, "How data flows".

No I/O; the only clock read is the injectable ``clock``. Every event costs O(1)
dictionary work (hands and spotlight included, see ``timeorder``) plus, when the roster
view's sort key changes, one bisect move in its sorted index; ``participant_sync_end``
swaps in the re-synced roster with one O(n log n) sort (amortised O(log n) per
participant of the sync).

Sync semantics follow the SDK, double-buffered so the UI never sees an empty
roster mid-sync: ``participant_sync_begin`` starts collecting a new roster
(a nested begin starts over), participant events until ``participant_sync_end``
go to that collection, and the end replaces the roster with it. A sync that
never ends leaves the previous roster in place. Outside a sync, a create for a
known uuid overwrites it, and updates and deletes of unknown uuids are ignored.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from itertools import islice
from typing import Any

from pextui.conference.actions import (
    DEFAULT_ACTION_TIMEOUT,
    ActionTracker,
    ConferenceView,
    HostAction,
)
from pextui.conference.breakouts import BreakoutBook, BreakoutRoom
from pextui.conference.captions import CaptionLog
from pextui.conference.changes import Changes
from pextui.conference.chat import DEFAULT_CHAT_LIMIT, ChatLog
from pextui.conference.dialouts import DialBook
from pextui.conference.index import RosterIndex
from pextui.conference.participants import ParticipantState
from pextui.conference.records import ParticipantRecord, PresenterInfo
from pextui.conference.snapshot import store_snapshot
from pextui.conference.timeorder import TimeOrder
from pextui.conference.transfers import DEFAULT_TRANSFER_TIMEOUT, TransferTracker
from pextui.protocol import models as m


class ConferenceStore(ParticipantState):
    """The live conference: roster, waiting room, hands, spotlight, stage, layout, chat, ..."""

    def __init__(
        self,
        *,
        clock: Callable[[], float] = time.time,
        chat_limit: int = DEFAULT_CHAT_LIMIT,
        action_timeout: float = DEFAULT_ACTION_TIMEOUT,
        transfer_timeout: float = DEFAULT_TRANSFER_TIMEOUT,
        self_uuid: str | None = None,
    ) -> None:
        self.clock = clock
        self.self_uuid: str | None = self_uuid
        self._roster = {}
        self._syncing = None
        self._changes = Changes()
        self._waiting = {}
        self._hands = TimeOrder()
        self._spotlight = TimeOrder()
        self.status = m.ConferenceStatus()
        self.stage: tuple[m.StageEntry, ...] = ()
        self.layout: m.Layout | None = None
        self.presentation = None
        self.chat = ChatLog(chat_limit)
        self.caption: m.LiveCaptions | None = None
        self.splash: m.SplashScreen | None = None
        self.refer: m.Refer | None = None
        self.disconnect_reason: str | None = None
        self.rooms = BreakoutBook(lambda uuid: ConferenceStore(clock=self.clock), clock)
        self.breakouts: dict[str, BreakoutRoom] = self.rooms.rooms
        self.captions = CaptionLog()
        self.dialouts = DialBook()  # calls this console dialled, and how they ended
        self.theme: dict[str, Any] = {}  # the theme/ result, for splash screens
        self.presentation_frame: str | None = None  # the latest frame id (polled, no flag)
        self.index = RosterIndex(self._roster, self._mark_reorder)
        self.actions = ActionTracker(
            clock, self._participant, self._conference_view, self._actions_changed, action_timeout
        )
        self.on_added = None
        self.transfers = TransferTracker(
            clock, self._participant, self._transfers_changed, transfer_timeout
        )
        self._handlers: dict[type[Any], Callable[[Any], None]] = {
            m.ParticipantSyncBeginEvent: self._sync_begin,
            m.ParticipantSyncEndEvent: self._sync_end,
            m.ParticipantCreateEvent: self._create,
            m.ParticipantUpdateEvent: self._update,
            m.ParticipantDeleteEvent: self._delete_noting_dialouts,
            m.ConferenceUpdateEvent: self._conference_update,
            m.MessageReceivedEvent: self._message,
            m.StageEvent: self._stage,
            m.LayoutEvent: self._layout,
            m.PresentationStartEvent: self._presentation_start,
            m.PresentationStopEvent: self._presentation_stop,
            m.DisconnectEvent: self._disconnect,
            m.ReferEvent: self._refer,
            m.CancelReferEvent: self._cancel_refer,
            m.LiveCaptionsEvent: self._captions,
            m.SplashScreenEvent: self._splash,
            m.BreakoutBeginEvent: self._breakout,
            m.BreakoutEndEvent: self._breakout,
            m.BreakoutEventEvent: self._breakout,
            m.BreakoutReferEvent: self._breakout,
            m.PresentationFrameEvent: self._frame,
        }

    # --- reading ---------------------------------------------------------------------------

    @property
    def roster(self) -> Mapping[str, ParticipantRecord]:
        return self._roster

    @property
    def syncing(self) -> bool:
        return self._syncing is not None

    @property
    def me(self) -> ParticipantRecord | None:
        return None if self.self_uuid is None else self._roster.get(self.self_uuid)

    @property
    def waiting_room(self) -> tuple[str, ...]:
        """uuids in the waiting room, in arrival order."""
        return tuple(self._waiting)

    @property
    def raised_hands(self) -> tuple[str, ...]:
        """uuids with a raised hand, earliest ``buzz_time`` first."""
        return tuple(self._hands)

    def first_waiting(self, count: int) -> tuple[str, ...]:
        """The first ``count`` of ``waiting_room``, without copying the rest."""
        return tuple(islice(self._waiting, count))

    def first_hands(self, count: int) -> tuple[str, ...]:
        """The first ``count`` of ``raised_hands``, without copying the rest."""
        return self._hands.first(count)

    @property
    def waiting_count(self) -> int:
        """``len(waiting_room)`` without copying it (O(1))."""
        return len(self._waiting)

    @property
    def hands_count(self) -> int:
        """``len(raised_hands)`` without copying it (O(1))."""
        return len(self._hands)

    def newest_waiting(self) -> str | None:
        """The last to arrive in the waiting room (O(1))."""
        return next(reversed(self._waiting), None)

    def newest_hand(self) -> str | None:
        """The latest raised hand (O(1))."""
        return self._hands.last()

    @property
    def spotlight(self) -> tuple[str, ...]:
        """Spotlighted uuids, earliest spotlight first."""
        return tuple(self._spotlight)

    @property
    def disconnected(self) -> bool:
        return self.disconnect_reason is not None

    def drain_changes(self) -> Changes:
        """What changed since the previous call."""
        changes, self._changes = self._changes, Changes()
        return changes

    def snapshot(self) -> dict[str, Any]:
        """The whole state as JSON-able values (see ``snapshot.store_snapshot``)."""
        return store_snapshot(self)

    def record_sent_message(
        self, payload: str, *, direct: bool = False, recipient: str = ""
    ) -> None:
        """Add a chat message this console sent to the log (the server does not echo it);
        a private one (``direct``) names its ``recipient``."""
        me = self.me
        origin = me.participant.name if me is not None else ""
        self.chat.add_local(
            self.self_uuid or "", origin, payload, self.clock(), direct=direct, recipient=recipient
        )
        self._changes.chat = True

    def chat_divider(self, text: str) -> None:
        """Start the chat with a divider (this store follows another conference's)."""
        self.chat.add_divider(text, self.clock())
        self._changes.chat = True

    def expire(self, now: float | None = None) -> list[HostAction]:
        """Time out host actions and transfers that got no answer; returns the actions."""
        expired = self.actions.expire(now)
        self.transfers.expire(now)
        return expired

    # --- applying ---------------------------------------------------------------------------

    def apply(self, event: m.Event) -> None:
        """Fold one event into the state; events without a handler are ignored."""
        handler = self._handlers.get(type(event))
        if handler is not None:
            handler(event)

    def _conference_update(self, event: m.ConferenceUpdateEvent) -> None:
        self.status = event.data
        self._changes.status = True
        self.actions.conference_changed()

    def _message(self, event: m.MessageReceivedEvent) -> None:
        self.chat.add_received(event.data, self.clock())
        self._changes.chat = True

    def _stage(self, event: m.StageEvent) -> None:
        self.stage = event.entries
        self._changes.stage = True
        speaking = [e.participant_uuid for e in event.entries if e.vad > 0]
        if not speaking:
            return
        now = self.clock()
        for uuid in speaking:
            record = self._roster.get(uuid)
            if record is not None and record.last_spoken != now:
                record.last_spoken = now
                record.version += 1
                self._changes.participant_changed(uuid)
                self.index.update(record)

    def _layout(self, event: m.LayoutEvent) -> None:
        self.layout = event.data
        self._changes.layout = True
        self.actions.conference_changed()

    def _presentation_start(self, event: m.PresentationStartEvent) -> None:
        data = event.data
        if data.revoked or data.status == "stop":
            presenter = None
        else:
            record = self._roster.get(data.presenter_uuid)
            name = data.presenter_name or (record.participant.name if record else "")
            presenter = PresenterInfo(data.presenter_uuid, name, data.presenter_uri)
        if presenter != self.presentation:
            self.presentation = presenter
            self._changes.presentation = True

    def _presentation_stop(self, event: m.PresentationStopEvent) -> None:
        if self.presentation is not None:
            self.presentation = None
            self._changes.presentation = True

    def _disconnect(self, event: m.DisconnectEvent) -> None:
        self.disconnect_reason = event.data.reason
        self._changes.disconnect = True

    def _refer(self, event: m.ReferEvent) -> None:
        self.refer = event.data
        self._changes.refer = True

    def _cancel_refer(self, event: m.CancelReferEvent) -> None:
        self.refer = None
        self._changes.refer = True

    def _captions(self, event: m.LiveCaptionsEvent) -> None:
        self.caption = event.data
        self.captions.add(event.data, self._name_of, self.clock())
        self._changes.captions = True

    def _splash(self, event: m.SplashScreenEvent) -> None:
        data = event.data
        self.splash = data if data is not None and data.screen_key else None
        self._changes.splash = True

    def _delete_noting_dialouts(self, event: m.ParticipantDeleteEvent) -> None:
        reason = (event.data.model_extra or {}).get("reason")
        if reason is not None or self.dialouts.calls:
            self.dialouts.ended(event.data.uuid, reason)
        if reason and self._syncing is None and event.data.uuid in self._roster:
            # Disconnected (with a reason) while being transferred: rejected after it started.
            self.transfers.participant_rejected(event.data.uuid, str(reason)[:300])
        self._delete(event)

    def _breakout(self, event: m.Event) -> None:
        if self.rooms.apply(event):
            self._changes.breakouts = True

    def _frame(self, event: m.PresentationFrameEvent) -> None:
        frame = event.data.lastEventId
        self.presentation_frame = None if frame is None else str(frame)

    # --- callbacks for the index and the trackers -----------------------------------------------

    def _mark_reorder(self) -> None:
        self._changes.roster_order = True

    def _participant(self, uuid: str) -> m.Participant | None:
        record = self._roster.get(uuid)
        return None if record is None else record.participant

    def _name_of(self, uuid: str) -> str | None:
        record = self._roster.get(uuid)
        return None if record is None else record.participant.name

    def _conference_view(self) -> ConferenceView:
        others = len(self._roster) - (1 if self.self_uuid in self._roster else 0)
        return ConferenceView(self.status, self.layout, len(self._hands), others)

    def _actions_changed(self, uuid: str | None) -> None:
        self._changes.actions = True
        if uuid is not None:
            record = self._roster.get(uuid)
            if record is not None:
                record.pending = self.actions.for_participant(uuid)
                record.version += 1
                self._changes.participant_changed(uuid)

    def _transfers_changed(self) -> None:
        self._changes.transfers = True
