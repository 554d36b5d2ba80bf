"""Turns the session's stream items into store updates, connection state and log lines.

Runs inside the console's stream (a worker of the app), once per network read: no drawing
here (the conference screen redraws from the store on its timer).
"""

from __future__ import annotations

import math
import time
from typing import TYPE_CHECKING

from pextui.conference import ConferenceStore, RosterGcPolicy
from pextui.protocol.models import (
    ConferenceUpdateEvent,
    DisconnectEvent,
    ParticipantCreateEvent,
    ParticipantDeleteEvent,
    ParticipantSyncBeginEvent,
    ParticipantSyncEndEvent,
    PresentationStartEvent,
)
from pextui.protocol.stream import (
    Connected,
    Ended,
    Reconnecting,
    Rejoined,
    Resynced,
    StreamItem,
    StreamState,
    TokenRecovered,
    TokenTrouble,
    Transferred,
)
from pextui.sanitize import safe_text
from pextui.tui.present import display_name
from pextui.tui.widgets.status_bar import Connection

if TYPE_CHECKING:
    from pextui.tui.console import Console


class StreamConsumer:
    """Applies one conference's stream to its console's store."""

    def __init__(self, console: Console) -> None:
        self.console = console
        self.syncing = False
        self.finished = False
        self.token_trouble: Connection | None = None  # shown instead of "live" while set
        self.gc_policy = RosterGcPolicy()
        self.gc_policy.stream_started()

    @property
    def store(self) -> ConferenceStore:
        store = self.console.store
        assert store is not None, "a console streams only with a store"
        return store

    def consume_all(self, items: list[StreamItem], start: int = 0, until: float = math.inf) -> int:
        """`consume` each of ``items[start:]`` in order, until the session ended or, after
        the sync, until ``time.perf_counter()`` passes ``until``; returns where it stopped.
        A sync's creates take a short path: they only fill the store's next roster."""
        store = self.store
        clock = time.perf_counter
        end = len(items)
        for n in range(start, end):
            item = items[n]
            if self.syncing and isinstance(item, ParticipantCreateEvent):
                store.apply(item)
                continue
            self.consume(item)
            if self.finished:
                return end
            store = self.store  # a followed transfer starts a new one
            if not self.syncing and clock() >= until:
                return n + 1
        self.gc_policy.tick()
        return end

    def consume(self, item: StreamItem) -> None:
        if isinstance(item, StreamState):
            self.gc_policy.interrupted()
            self._state(item)
            return
        self._before(item)
        self.store.apply(item)
        if isinstance(item, ParticipantSyncBeginEvent):
            self.gc_policy.sync_started()
        elif isinstance(item, ParticipantSyncEndEvent):
            self.gc_policy.sync_ended(len(self.store.roster))
        self.gc_policy.tick()

    def _before(self, item: StreamItem) -> None:
        """Log lines that need the state before the event is applied."""
        note = self.console.note
        if isinstance(item, ParticipantSyncBeginEvent):
            self.syncing = True
        elif isinstance(item, ParticipantSyncEndEvent):
            self.syncing = False
        elif isinstance(item, ParticipantCreateEvent) and not self.syncing:
            note(f"{display_name(item.data)} joined")
        elif isinstance(item, ParticipantDeleteEvent):
            record = self.store.roster.get(item.uuid)
            if record is not None:
                note(f"{display_name(record.participant)} left")
        elif isinstance(item, ConferenceUpdateEvent):
            old, new = self.store.status, item.data
            if old is not None and old.locked != new.locked:
                note("Conference locked" if new.locked else "Conference unlocked", "warn")
            if old is not None and old.guests_muted != new.guests_muted:
                note("Guests muted" if new.guests_muted else "Guests unmuted", "warn")
        elif isinstance(item, PresentationStartEvent) and item.data.presenter_name:
            note(f"{safe_text(item.data.presenter_name, 60)} started presenting")
        elif isinstance(item, DisconnectEvent):
            note(f"Disconnected by the server: {safe_text(item.reason, 200)}", "error")

    def _state(self, item: StreamState) -> None:
        app = self.console
        now = app.clock()
        if isinstance(item, Connected):
            # A reconnect while the token is in trouble: the trouble is still what to show.
            app.connection = self.token_trouble or Connection("live")
            if item.reconnect:
                app.note("Event stream reconnected; resynchronising", "ok")
        elif isinstance(item, Reconnecting):
            app.connection = Connection(
                "reconnecting", item.attempt, now + item.delay_s, safe_text(item.reason, 100)
            )
            app.note(
                f"Event stream lost ({safe_text(item.reason, 100)}); "
                f"reconnect attempt {item.attempt} in {item.delay_s:.1f}s",
                "warn",
            )
        elif isinstance(item, Resynced):
            app.connection = self.token_trouble or Connection("live")
            app.note(f"Roster resynchronised: {item.participants} participants", "ok")
        elif isinstance(item, Transferred):
            app.note(f"Transferred to {safe_text(item.alias, 60)} as {item.role}", "warn")
            app.follow_transfer(item.participant_uuid)
        elif isinstance(item, TokenTrouble):
            what = "rejoining" if item.rejoining else "refresh failing"
            self.token_trouble = Connection("token", detail=f"{what} ({item.reason})")
            app.connection = self.token_trouble
            app.note(f"Token refresh failed ({safe_text(item.reason, 100)}); {what}", "warn")
        elif isinstance(item, TokenRecovered):
            self.token_trouble = None
            if app.connection.state == "token":
                app.connection = Connection("live")
            app.note("Token renewed" + (" (joined again)" if item.rejoined else ""), "ok")
        elif isinstance(item, Rejoined):
            self.store.self_uuid = item.participant_uuid
            app.note("Token lost: joined again as a new participant", "warn")
        elif isinstance(item, Ended):
            self.finished = True
            reason = safe_text(item.reason, 200) or "disconnected"
            app.connection = Connection("ended", detail=reason)
            app.note(f"Session ended: {reason}", "error")
            app.session_ended(reason)
