"""Breakout rooms as the event stream tells them: each room's own store (roster, status,
chat, captions), whether we are in it, its time left and its requests for help.

A room appears with its first `breakout_begin` (we were moved in) or `breakout_event`
(a host in the main room sees every room), and disappears with `breakout_end`: ours
(we left it) or the room's (it closed). A request for help is a `breakout_refer`, or a
room status whose `breakoutbuzz.value` turned true; each one is queued once as a
`HelpRequest` until the console takes it (`take_help_requests`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

from pextui.protocol import models as m

if TYPE_CHECKING:
    from pextui.conference.store import ConferenceStore


@dataclass(frozen=True, slots=True)
class HelpRequest:
    """A room asked for a host: which room, who asked (their name if known), when."""

    breakout_uuid: str
    room_name: str
    requester: str
    at: float

    def to_json(self) -> dict[str, Any]:
        return {
            "breakout_uuid": self.breakout_uuid,
            "room_name": self.room_name,
            "requester": self.requester,
            "at": self.at,
        }


class BreakoutRoom:
    """A breakout room: its uuid, our uuid inside it ('' if we are not in it), its store."""

    __slots__ = ("help_since", "participant_uuid", "store", "uuid")

    def __init__(self, uuid: str, participant_uuid: str, store: ConferenceStore) -> None:
        self.uuid = uuid
        self.participant_uuid = participant_uuid
        self.store = store
        self.help_since: float | None = None  # asking for help since (None: not asking)

    @property
    def name(self) -> str:
        return self.store.status.breakout_name or "Breakout room"

    @property
    def people(self) -> int:
        return len(self.store.roster)

    @property
    def needs_help(self) -> bool:
        return self.help_since is not None

    def time_left(self, now: float) -> float | None:
        """Seconds until the room ends by itself (never below 0), None if open-ended."""
        end = self.store.status.end_time
        return None if not end else max(0.0, end - now)

    def to_json(self, now: float) -> dict[str, Any]:
        return {
            "uuid": self.uuid,
            "name": self.name,
            "participant_uuid": self.participant_uuid,
            "people": self.people,
            "needs_help": self.needs_help,
            "time_left": self.time_left(now),
        }


class BreakoutBook:
    """Every room we know of; `current` is the one we are in (None: the main room)."""

    def __init__(
        self,
        new_store: Callable[[str], ConferenceStore],
        clock: Callable[[], float],
    ) -> None:
        self.rooms: dict[str, BreakoutRoom] = {}
        self.current: str | None = None
        self._new_store = new_store
        self._clock = clock
        self._help: list[HelpRequest] = []

    def __iter__(self) -> Iterator[BreakoutRoom]:
        return iter(self.rooms.values())

    def __len__(self) -> int:
        return len(self.rooms)

    @property
    def help_requests(self) -> tuple[HelpRequest, ...]:
        """Requests for help not yet taken by the console, oldest first."""
        return tuple(self._help)

    def take_help_requests(self) -> list[HelpRequest]:
        taken, self._help = self._help, []
        return taken

    def room_of(self, participant_uuid: str) -> BreakoutRoom | None:
        """The room whose roster holds `participant_uuid` (a UUID inside the room)."""
        for room in self.rooms.values():
            if participant_uuid in room.store.roster:
                return room
        return None

    def apply(self, event: m.Event) -> bool:
        """Fold one breakout event in; True when anything a view shows changed."""
        if isinstance(event, m.BreakoutBeginEvent):
            return self._begin(event.data)
        if isinstance(event, m.BreakoutEndEvent):
            return self._end(event.data)
        if isinstance(event, m.BreakoutEventEvent):
            return self._room_event(event)
        if isinstance(event, m.BreakoutReferEvent):
            data = event.data
            room = self._room(data.breakout_uuid)
            self._ask(room, data.requester_uuid, data.breakout_name)
            return True
        return False

    def _room(self, uuid: str) -> BreakoutRoom:
        room = self.rooms.get(uuid)
        if room is None:
            room = BreakoutRoom(uuid, "", self._new_store(uuid))
            self.rooms[uuid] = room
        return room

    def _begin(self, data: m.BreakoutRoomRef) -> bool:
        room = self._room(data.breakout_uuid)
        room.participant_uuid = data.participant_uuid
        room.store.self_uuid = data.participant_uuid or None
        self.current = data.breakout_uuid
        return True

    def _end(self, data: m.BreakoutRoomRef) -> bool:
        if self.current == data.breakout_uuid:
            self.current = None
        return self.rooms.pop(data.breakout_uuid, None) is not None

    def _room_event(self, event: m.BreakoutEventEvent) -> bool:
        inner = event.inner
        if inner is None or isinstance(inner, m.BreakoutEventEvent):
            return False
        room = self._room(event.data.breakout_uuid)
        room.store.apply(inner)
        if isinstance(inner, m.ConferenceUpdateEvent):
            buzz = inner.data.breakoutbuzz
            if buzz is not None and buzz.value:
                self._ask(room, "", room.name, since=buzz.time or None)
            else:
                room.help_since = None
        return True

    def _ask(
        self, room: BreakoutRoom, requester_uuid: str, name: str, since: float | None = None
    ) -> None:
        """Queue a request for help once per request: its refer and its status make one
        (whichever comes second fills in what the first did not say)."""
        record = room.store.roster.get(requester_uuid) if requester_uuid else None
        requester = record.participant.name if record is not None else ""
        if room.help_since is not None:
            for index, queued in enumerate(self._help):
                if queued.breakout_uuid == room.uuid and requester and not queued.requester:
                    self._help[index] = replace(queued, requester=requester)
            return
        room.help_since = since or self._clock()
        self._help.append(HelpRequest(room.uuid, name or room.name, requester, self._clock()))
