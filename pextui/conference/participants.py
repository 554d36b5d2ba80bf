"""The roster half of ``ConferenceStore``: participant sync, create, update and delete.

``ParticipantState`` holds the roster and what is derived from it (waiting room, hands,
spotlight, presenter, sorted index) and folds the participant events into it; the store
subclasses it and adds every other event. Sync semantics follow the SDK, double-buffered
so the UI never sees an empty roster mid-sync (see the store's docstring).
"""

from __future__ import annotations

from collections.abc import Callable

from pextui.conference.actions import ActionTracker
from pextui.conference.changes import Changes
from pextui.conference.index import RosterIndex
from pextui.conference.records import ParticipantRecord, PresenterInfo
from pextui.conference.sortedkeys import SortKey
from pextui.conference.timeorder import TimeOrder
from pextui.conference.transfers import TransferTracker
from pextui.protocol import models as m


class ParticipantState:
    """Roster state and the participant-event handlers (set up by ``ConferenceStore``)."""

    clock: Callable[[], float]
    _roster: dict[str, ParticipantRecord]
    _syncing: dict[str, m.Participant] | None
    _changes: Changes
    _waiting: dict[str, None]  # insertion-ordered set: arrival order
    _hands: TimeOrder
    _spotlight: TimeOrder
    presentation: PresenterInfo | None
    index: RosterIndex
    actions: ActionTracker
    transfers: TransferTracker
    # Told of every participant new to the roster (a create of an unknown UUID, or new in a
    # re-sync): how a transfer's arrival in this conference is seen (TransferHub).
    on_added: Callable[[m.Participant], None] | None

    def _sync_begin(self, event: m.ParticipantSyncBeginEvent) -> None:
        self._syncing = {}

    def _sync_end(self, event: m.ParticipantSyncEndEvent) -> None:
        synced = self._syncing
        if synced is None:
            return
        self._syncing = None
        roster = self._roster
        for uuid in [u for u in roster if u not in synced]:
            self._remove(uuid, bulk=True)
        # One pass: records, then the hand and spotlight orders from the same objects.
        hands: list[tuple[str, SortKey]] = []
        spotlight: list[tuple[str, SortKey]] = []
        for uuid, participant in synced.items():
            record = roster.get(uuid)
            if record is None:
                self._add(participant, bulk=True)
            else:
                self._replace(record, participant, bulk=True)
            buzz = participant.buzz_time
            if buzz > 0:
                hands.append((uuid, (buzz, uuid)))
            spot = participant.spotlight
            if spot > 0:
                spotlight.append((uuid, (spot, uuid)))
        self._hands.rebuild(hands)
        self._spotlight.rebuild(spotlight)
        self.index.rebuild()
        changes = self._changes
        changes.resynced = changes.hands = changes.spotlight = True
        self.actions.conference_changed()

    def _create(self, event: m.ParticipantCreateEvent) -> None:
        participant = event.data
        if self._syncing is not None:
            self._syncing[participant.uuid] = participant
        else:
            self._upsert(participant)

    def _update(self, event: m.ParticipantUpdateEvent) -> None:
        participant = event.data
        syncing = self._syncing
        if syncing is not None:
            if participant.uuid in syncing:
                syncing[participant.uuid] = participant
            return
        record = self._roster.get(participant.uuid)
        if record is not None:
            self._replace(record, participant)

    def _delete(self, event: m.ParticipantDeleteEvent) -> None:
        uuid = event.data.uuid
        if self._syncing is not None:
            self._syncing.pop(uuid, None)
        elif uuid in self._roster:
            self._remove(uuid)

    def _upsert(self, participant: m.Participant) -> None:
        """Add a participant, or replace the known one with the same uuid."""
        record = self._roster.get(participant.uuid)
        if record is None:
            self._add(participant)
        else:
            self._replace(record, participant)

    def _add(self, participant: m.Participant, bulk: bool = False) -> None:
        uuid = participant.uuid
        start = participant.start_time
        record = ParticipantRecord(participant, start if start > 0 else self.clock())
        self._roster[uuid] = record
        changes = self._changes
        changes.changed.add(uuid)
        if changes.removed:
            changes.removed.discard(uuid)
        if participant.service_type == "waiting_room":
            self._waiting[uuid] = None
            changes.waiting = True
        if participant.is_presenting == "YES":
            self._track_presenter(participant)
        actions = self.actions
        if uuid in actions.watched:  # requested before the participant was known
            record.pending = actions.for_participant(uuid)
            actions.participant_changed(uuid, participant)
        if self.on_added is not None:
            self.on_added(participant)
        if bulk:
            return
        # A new uuid is in neither order yet: only a raised hand or a spotlight adds it.
        buzz = participant.buzz_time
        if buzz > 0 and self._hands.upsert(uuid, (buzz, uuid)):
            changes.hands = True
        spot = participant.spotlight
        if spot > 0 and self._spotlight.upsert(uuid, (spot, uuid)):
            changes.spotlight = True
        self.index.update(record)
        if actions.conference_watched:
            actions.conference_changed()

    def _replace(
        self, record: ParticipantRecord, participant: m.Participant, bulk: bool = False
    ) -> None:
        """The hot path of the stream: a participant_update. Kept flat on purpose.

        Each derived structure is touched only when a field it reads changed: the
        waiting room (service_type), the presenter (is_presenting), hands (buzz_time),
        spotlight (spotlight), pending actions (only if the participant has any) and
        the sorted view (its sort key's inputs or the searched texts).
        """
        old = record.participant
        if old == participant:  # the structs' own field-by-field comparison (C)
            return
        spoken = record.last_spoken
        renamed = record.replace(participant)
        uuid = record.uuid
        changes = self._changes
        changes.changed.add(uuid)
        if old.service_type != participant.service_type:
            if participant.service_type == "waiting_room":
                self._waiting[uuid] = None
                changes.waiting = True
            elif old.service_type == "waiting_room":
                self._waiting.pop(uuid, None)
                changes.waiting = True
        if old.is_presenting == "YES" or participant.is_presenting == "YES":
            self._track_presenter(participant)
        actions = self.actions
        if uuid in actions.watched:
            actions.participant_changed(uuid, participant)
        if bulk:
            return
        hand_moved = old.buzz_time != participant.buzz_time
        if hand_moved and _place(self._hands, uuid, participant.buzz_time):
            changes.hands = True
        if old.spotlight != participant.spotlight and _place(
            self._spotlight, uuid, participant.spotlight
        ):
            changes.spotlight = True
        index = self.index
        if (
            renamed
            or (hand_moved and index.reads_hand)
            or (index.reads_role and old.role != participant.role)
            or (index.reads_spoken and record.last_spoken != spoken)
        ):
            index.update(record)
        if actions.conference_watched:
            actions.conference_changed()

    def _remove(self, uuid: str, bulk: bool = False) -> None:
        record = self._roster.pop(uuid)
        changes = self._changes
        changes.participant_removed(uuid)
        if uuid in self._waiting:
            del self._waiting[uuid]
            changes.waiting = True
        if not bulk:
            if self._hands.discard(uuid):
                changes.hands = True
            if self._spotlight.discard(uuid):
                changes.spotlight = True
            self.index.remove(record)
        presentation = self.presentation
        if presentation is not None and presentation.uuid == uuid:
            self.presentation = None
            changes.presentation = True
        actions = self.actions
        if uuid in actions.watched:
            actions.participant_changed(uuid, None)
        self.transfers.participant_left(uuid)
        if not bulk and actions.conference_watched:
            actions.conference_changed()

    def _track_presenter(self, participant: m.Participant) -> None:
        """Follow is_presenting of someone who presents or just stopped presenting."""
        current = self.presentation
        if participant.is_presenting == "YES":
            if current is None or current.uuid != participant.uuid:
                self.presentation = PresenterInfo(
                    participant.uuid, participant.name, participant.uri
                )
                self._changes.presentation = True
        elif current is not None and current.uuid == participant.uuid:
            self.presentation = None
            self._changes.presentation = True


def _place(keys: TimeOrder, uuid: str, when: float) -> bool:
    """Order by a timestamp; 0 means "not in this list". True if anything moved."""
    if when > 0:
        return keys.upsert(uuid, (when, uuid))
    return keys.discard(uuid)
