"""Breakout rooms of one conference: rooms, who is where, moves, ends.

A room is a `Conference` of its own whose events do not go to streams of their own:
they travel on the main conference's streams, wrapped as `breakout_event`
{breakout_uuid, event, data}, to the hosts still in the main room and to the room's
members. A participant moved into a room leaves the main roster (participant_delete)
and appears in the room under a new UUID; its token and its stream stay those of the
main conference, and its stream gets `breakout_begin` {breakout_uuid, participant_uuid}
(its UUID inside the room) then the room's sync. Moving back ends with `breakout_end`
and the participant reappears in the main room under its old UUID. Hosts in the main
room get `breakout_end` too when a room closes (with their own UUID).
"""

from __future__ import annotations

import dataclasses
from typing import TYPE_CHECKING, Any

from pextui.sim.conference import Conference
from pextui.sim.events import Stream, encode_event
from pextui.sim.participants import Participant, dumps, new_uuid

if TYPE_CHECKING:
    from pextui.sim.node import Node

# What a breakout_event may carry; anything else a room emits goes to its addressee as is.
ROOM_EVENTS = frozenset(
    {
        "participant_sync_begin",
        "participant_sync_end",
        "participant_create",
        "participant_update",
        "participant_delete",
        "message_received",
        "conference_update",
        "presentation_start",
        "presentation_stop",
        "live_captions",
    }
)
REASON_ROOM_ENDED = "API initiated conference termination"
MAIN = "main"


@dataclasses.dataclass
class Away:
    """A main-room participant while it is in a room: its main identity and room UUID."""

    participant: Participant
    room: Room
    room_uuid: str


class Room(Conference):
    """One breakout room; `links` maps each member's room UUID to its main UUID."""

    def __init__(
        self,
        manager: Breakouts,
        *,
        name: str,
        description: str,
        duration: float,
        end_action: str,
        guests_allowed_to_leave: bool,
    ) -> None:
        main = manager.main
        vmr = dataclasses.replace(main.vmr, name=name, kind="conference")
        super().__init__(vmr, main.faults, lambda uuid: None, main.clock)
        self.manager = manager
        self.uuid = new_uuid()
        self.name = name
        self.duration = duration
        self.end_action = end_action
        self.links: dict[str, str] = {}
        self.status.update(
            breakout=True,
            breakout_name=name,
            breakout_description=description,
            breakout_guests_allowed_to_leave=guests_allowed_to_leave,
            end_action=end_action,
            breakoutbuzz={"time": 0, "value": False},
            guests_muted=False,
            locked=False,
        )
        if duration > 0:
            self.status["end_time"] = round(main.clock() + duration, 3)

    @property
    def guests_may_leave(self) -> bool:
        return bool(self.status["breakout_guests_allowed_to_leave"])

    def wrap(self, name: str, data_json: bytes) -> bytes:
        envelope = (
            b'{"breakout_uuid":'
            + dumps(self.uuid)
            + b',"event":'
            + dumps(name)
            + b',"data":'
            + data_json
            + b"}"
        )
        return self.faults.malform("breakout_event", envelope) or encode_event(
            "breakout_event", envelope
        )

    def emit(
        self,
        name: str,
        data_json: bytes,
        *,
        to: str | None = None,
        exclude: str | None = None,
        event_id: str | None = None,
    ) -> None:
        if name in ROOM_EVENTS:
            frame = self.wrap(name, data_json)
        elif to is not None:  # refer, fecc, call_disconnected: to that member as they are
            frame = encode_event(name, data_json, event_id)
        else:
            return  # stage, layout, frames: not relayed out of a room
        self.events_sent += 1
        for stream in self.manager.audience(self, to, exclude):
            stream.push(frame)

    def emit_layout(self) -> None:
        """Layouts of a room are kept, not relayed (breakout_event carries no layout)."""

    def sync_wrapped(self) -> bytes:
        """The room's opening for a host or a member: its sync, status and presentation."""
        parts = [self.wrap("participant_sync_begin", b"{}")]
        parts += [self.wrap("participant_create", p.json()) for p in self.participants.values()]
        parts.append(self.wrap("participant_sync_end", b"{}"))
        parts.append(self.wrap("conference_update", dumps(self.status)))
        if self.presenter is not None and self.presenter in self.participants:
            parts.append(self.wrap("presentation_start", dumps(self._presentation())))
        return b"".join(parts)

    def remove(self, uuid: str, reason: str | None) -> Participant | None:
        """A member leaves the call altogether (disconnected, transferred, token gone)."""
        participant = self.detach(uuid)
        if participant is None:
            return None
        main_uuid = self.links.pop(uuid, None)
        if main_uuid is not None:
            self.manager.gone(main_uuid, reason)
        return participant

    def snapshot(self) -> dict[str, Any]:
        state = super().snapshot()
        state.update(uuid=self.uuid, links=dict(self.links))
        return state


class Breakouts:
    """The breakout rooms of `main` (the `RoomsHook` of that conference)."""

    def __init__(self, node: Node, main: Conference) -> None:
        self.node = node
        self.main = main
        self.rooms: dict[str, Room] = {}
        self.away: dict[str, Away] = {}
        main.rooms = self

    # ---- the hook the main conference calls

    def locate(self, uuid: str) -> Participant | None:
        away = self.away.get(uuid)
        return None if away is None else away.participant

    def remove_away(self, uuid: str, reason: str | None) -> Participant | None:
        away = self.away.get(uuid)
        return None if away is None else away.room.remove(away.room_uuid, reason)

    def opening_frames(self, participant_uuid: str, is_host: bool) -> bytes:
        away = self.away.get(participant_uuid)
        if away is not None:
            return self._begin(away) + away.room.sync_wrapped()
        if is_host and participant_uuid in self.main.participants:
            return b"".join(room.sync_wrapped() for room in self.rooms.values())
        return b""

    def enter_room(self, uuid: str, breakout_uuid: str) -> bool:
        room = self.rooms.get(breakout_uuid)
        return room is not None and self.move([uuid], None, room) == 1

    # ---- routing

    def host_streams(self) -> list[Stream]:
        main = self.main
        return [
            s
            for s in main.streams
            if (p := main.participants.get(s.participant_uuid)) is not None and p.is_host
        ]

    def audience(self, room: Room, to: str | None, exclude: str | None) -> list[Stream]:
        """Streams a room's event goes to: the main room's hosts and the room's members."""
        main = self.main
        if to is not None:
            main_uuid = room.links.get(to, to)
            return main.streams_of(main_uuid)
        members = {room.links[u] for u in room.participants if u in room.links}
        skipped = room.links.get(exclude, exclude) if exclude is not None else None
        streams = []
        for stream in main.streams:
            uuid = stream.participant_uuid
            if uuid == skipped:
                continue
            participant = main.participants.get(uuid)
            if uuid in members or (participant is not None and participant.is_host):
                streams.append(stream)
        return streams

    def _begin(self, away: Away) -> bytes:
        data = {"breakout_uuid": away.room.uuid, "participant_uuid": away.room_uuid}
        return encode_event("breakout_begin", dumps(data))

    def _push(self, main_uuid: str, frames: bytes) -> None:
        for stream in self.main.streams_of(main_uuid):
            stream.push(frames)

    # ---- rooms

    def create(
        self,
        *,
        name: str,
        description: str = "",
        duration: float = 0,
        end_action: str = "transfer",
        guests_allowed_to_leave: bool = False,
        participants: dict[str, list[str]] | None = None,
    ) -> Room:
        room = Room(
            self,
            name=name,
            description=description,
            duration=duration,
            end_action=end_action,
            guests_allowed_to_leave=guests_allowed_to_leave,
        )
        self.rooms[room.uuid] = room
        room.speech_listeners = list(self.main.speech_listeners)  # captions in the room too
        opening = room.sync_wrapped()
        for stream in self.host_streams():
            stream.push(opening)
        if duration > 0:
            self.node.call_later(duration, self._time_up, room.uuid)
        for source, uuids in (participants or {}).items():
            self.move(uuids, self.rooms.get(source), room)
        return room

    def _time_up(self, breakout_uuid: str) -> None:
        room = self.rooms.get(breakout_uuid)
        if room is not None:
            self.close(room, room.end_action)

    def close(self, room: Room, end_action: str = "transfer") -> None:
        """End a room: its members go back to the main room (transfer) or are disconnected."""
        for uuid in list(room.participants):
            if end_action == "disconnect":
                room.remove(uuid, REASON_ROOM_ENDED)
            else:
                self.move([uuid], room, None)
        self.rooms.pop(room.uuid, None)
        for stream in self.host_streams():
            data = {"breakout_uuid": room.uuid, "participant_uuid": stream.participant_uuid}
            stream.push(encode_event("breakout_end", dumps(data)))

    def close_all(self) -> None:
        for room in list(self.rooms.values()):
            self.close(room)

    def empty(self) -> int:
        """Everyone back to the main room; the rooms stay open."""
        return sum(self.move(list(room.participants), room, None) for room in self.rooms.values())

    def gone(self, main_uuid: str, reason: str | None) -> None:
        """A member left the call from inside a room: end its streams and its token."""
        self.away.pop(main_uuid, None)
        self.main.end_streams(main_uuid, reason)
        self.main.on_removed(main_uuid)

    # ---- moves

    def move(self, uuids: list[str], source: Room | None, target: Room | None) -> int:
        """Move participants (main UUIDs from the main room, room UUIDs from a room)."""
        moved = 0
        for uuid in uuids:
            if source is None:
                participant = self.main.participants.get(uuid)
                away = self.away.get(uuid)
                if away is not None:  # named by its main UUID while in a room
                    moved += self.move([away.room_uuid], away.room, target)
                    continue
                if participant is None or target is None:
                    continue
                if participant.service_type not in ("conference", "lecture"):
                    continue  # waiting, connecting: not yet in the meeting
                self.main.detach(uuid)
                self._enter(participant, uuid, target)
            else:
                main_uuid = source.links.get(uuid)
                if main_uuid is None or target is source or source.detach(uuid) is None:
                    continue
                source.links.pop(uuid, None)
                away = self.away.pop(main_uuid)
                data = {"breakout_uuid": source.uuid, "participant_uuid": uuid}
                self._push(main_uuid, encode_event("breakout_end", dumps(data)))
                if target is None:
                    self._return(away.participant)
                else:
                    self._enter(away.participant, main_uuid, target)
            moved += 1
        return moved

    def _enter(self, participant: Participant, main_uuid: str, room: Room) -> None:
        room_uuid = new_uuid()
        data = dict(participant.data)
        data.update(
            uuid=room_uuid,
            buzz_time=0,
            spotlight=0,
            is_presenting="NO",
            service_type="conference",
            api_url=f"{participant.data['api_url'].split('/participants/')[0]}"
            f"/breakouts/{room.uuid}/participants/{room_uuid}",
        )
        if not participant.is_host and room.status["guests_muted"]:
            data["is_muted"] = "YES"
        room.add(Participant(data=data, token_holder=participant.token_holder))
        room.links[room_uuid] = main_uuid
        away = Away(participant, room, room_uuid)
        self.away[main_uuid] = away
        self._push(main_uuid, self._begin(away) + room.sync_wrapped())

    def _return(self, participant: Participant) -> None:
        participant.update(buzz_time=0, spotlight=0, is_presenting="NO")
        if not participant.is_host:
            muted = bool(self.main.status["guests_muted"])
            participant.update(is_muted="YES" if muted else participant.data["is_muted"])
        self.main.add(participant)
        if participant.is_host:  # back among the hosts who watch every room
            self._push(participant.uuid, b"".join(r.sync_wrapped() for r in self.rooms.values()))

    # ---- help requests

    def buzz(self, room: Room, requester: str | None, on: bool) -> None:
        """A room asks for help (or stops asking): its status, and breakout_refer to hosts."""
        room.set_status(breakoutbuzz={"time": round(room.clock(), 3) if on else 0, "value": on})
        if on:
            refer = {
                "breakout_uuid": room.uuid,
                "breakout_name": room.name,
                "requester_uuid": requester or "",
            }
            frame = encode_event("breakout_refer", dumps(refer))
            for stream in self.host_streams():
                stream.push(frame)

    def snapshot(self) -> list[dict[str, Any]]:
        return [room.snapshot() for room in self.rooms.values()]
