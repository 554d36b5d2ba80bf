"""One simulated conference: status, participants, layout, stage, presentation and streams.

Every state change goes through a method here that also broadcasts the matching event.
All of it runs on the server's event loop.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from typing import Any

from pextui.sim.config import VmrConfig
from pextui.sim.events import Stream, encode_event
from pextui.sim.faults import Faults
from pextui.sim.hooks import RoomsHook
from pextui.sim.participants import Participant, dumps
from pextui.sim.splash import Splashes
from pextui.sim.syncframes import sync_frames

LAYOUTS: tuple[str, ...] = (
    "ac",
    "1:0",
    "1:7",
    "1:21",
    "2:21",
    "1:33",
    "4:0",
    "2x2",
    "9:0",
    "16:0",
    "25:0",
    "5:7",
    "teams",
)
LAYOUT_TAGS: dict[str, list[str]] = {
    "ac": ["adaptive", "default"],
    "1:0": ["speaker"],
    "4:0": ["grid"],
    "2x2": ["grid"],
    "9:0": ["grid"],
    "16:0": ["grid"],
    "25:0": ["grid"],
}
LAYOUT_CAPACITY = {"1:0": 1, "4:0": 4, "2x2": 4, "9:0": 9, "16:0": 16, "25:0": 25, "5:7": 12}

MAX_STREAMS_PER_PARTICIPANT = 8

# Reasons in disconnect events (docs/protocol.md, "Error strings")
REASON_BY_HOST = "Disconnected by another participant"
REASON_CONFERENCE_ENDED = "Conference terminated by another participant"
REASON_TOKEN_EXPIRED = "Timer expired awaiting token refresh"


class Conference:
    """The state of one VMR (or auditorium) and the event streams watching it."""

    def __init__(
        self,
        vmr: VmrConfig,
        faults: Faults,
        on_removed: Callable[[str], None],
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.vmr = vmr
        self.alias = vmr.alias
        self.faults = faults
        self.clock = clock
        self.on_removed = on_removed
        self.participants: dict[str, Participant] = {}
        self.streams: set[Stream] = set()
        self.status: dict[str, Any] = {
            "locked": False,
            "guests_muted": False,
            "started": True,
            "all_muted": False,
            "guests_can_unmute": True,
            "guests_can_present": True,
            "presentation_allowed": True,
            "direct_media": False,
            "live_captions_available": True,
            "breakout_rooms": True,
            "breakout": False,
        }
        self.is_auditorium = vmr.kind == "auditorium"
        self.layout: dict[str, Any] = {
            "layout": "ac",
            "host_layout": "1:7" if self.is_auditorium else "ac",
            "guest_layout": "1:0" if self.is_auditorium else "ac",
            "enable_overlay_text": True,
            "transforms": {},
        }
        self.stage: list[dict[str, Any]] = []
        self.presenter: str | None = None
        self.silent_video: dict[str, Any] = {"enable": True, "silent_after": 15}
        self.chat_log: list[dict[str, Any]] = []
        self.calls: dict[str, set[str]] = {}  # participant uuid -> RTMP call uuids
        self.video_mixes: dict[str, dict[str, Any]] = {}  # personal layouts by mix name
        self.events_sent = 0
        self.rooms: RoomsHook | None = None  # set by the breakout rooms of this conference
        self.caption_viewers: set[str] = set()  # who asked for live captions
        self.speech_listeners: list[Callable[[Conference, str], None]] = []
        self.frame_id = 0  # the latest presentation frame announced
        self.frames_served = 0  # presentation JPEGs answered
        self.dialled: dict[str, dict[str, str]] = {}  # dial-outs: destination, outcome
        self.splashes: Splashes | None = None  # with a theme: who is shown which screen

    # ---- service types

    @property
    def joined_service_type(self) -> str:
        return "lecture" if self.is_auditorium else "conference"

    # ---- broadcasting

    def emit(
        self,
        name: str,
        data_json: bytes,
        *,
        to: str | None = None,
        exclude: str | None = None,
        event_id: str | None = None,
    ) -> None:
        """Send one event (serialized once) to every stream, or only to participant `to`."""
        frame = self.faults.malform(name, data_json) or encode_event(name, data_json, event_id)
        self.events_sent += 1
        for stream in tuple(self.streams):
            if to is not None and stream.participant_uuid != to:
                continue
            if exclude is not None and stream.participant_uuid == exclude:
                continue
            stream.push(frame)

    def emit_status(self) -> None:
        self.emit("conference_update", dumps(self.status))

    def set_status(self, *, force: bool = False, **changes: Any) -> bool:
        """Change the status and emit conference_update (also unchanged when `force`)."""
        changed = any(self.status.get(k) != v for k, v in changes.items())
        if changed or force:
            self.status.update(changes)
            self.emit_status()
        return changed

    def open_stream(self, participant_uuid: str) -> Stream:
        """A new stream, starting with the sync; a participant's oldest streams beyond
        MAX_STREAMS_PER_PARTICIPANT are closed (a reconnecting client never piles up)."""
        own = sorted(self.streams_of(participant_uuid), key=lambda s: s.opened_at)
        for old in own[: max(0, len(own) - MAX_STREAMS_PER_PARTICIPANT + 1)]:
            old.close("replaced by a newer stream")
            self.streams.discard(old)
        stream = Stream(participant_uuid, self.faults.drop_stream_after)
        viewer = self.member(participant_uuid)
        is_host = viewer is None or viewer.is_host
        for piece in sync_frames(self, is_host):
            stream.push(piece)
        if self.rooms is not None:
            stream.push(self.rooms.opening_frames(participant_uuid, is_host))
        if self.splashes is not None and (splash := self.splashes.opening(participant_uuid)):
            stream.push(splash)
        self.streams.add(stream)
        return stream

    def close_stream(self, stream: Stream) -> None:
        self.streams.discard(stream)

    def streams_of(self, participant_uuid: str) -> list[Stream]:
        return [s for s in self.streams if s.participant_uuid == participant_uuid]

    # ---- participants

    def member(self, uuid: str) -> Participant | None:
        """A participant of this conference, in the main room or away in a breakout room."""
        participant = self.participants.get(uuid)
        if participant is None and self.rooms is not None:
            return self.rooms.locate(uuid)
        return participant

    def add(self, participant: Participant) -> None:
        self.participants[participant.uuid] = participant
        self.emit("participant_create", participant.json())
        if self.splashes is not None:
            self.splashes.roster_changed(participant.uuid)

    def update(self, participant: Participant, *, force: bool = False, **changes: Any) -> bool:
        """Apply changes and emit participant_update (also unchanged when `force`: a host
        action is always answered by an update, so a client can confirm it)."""
        if participant.uuid not in self.participants:
            return False
        if not participant.update(**changes) and not force:
            return False
        self.emit("participant_update", participant.json())
        return True

    def remove(self, uuid: str, reason: str | None) -> Participant | None:
        """Remove a participant; its own streams get `disconnect` {reason} and end."""
        if uuid not in self.participants and self.rooms is not None:
            return self.rooms.remove_away(uuid, reason)
        participant = self.detach(uuid)
        if participant is None:
            return None
        self.end_streams(uuid, reason)
        self.on_removed(uuid)
        return participant

    def end_streams(self, uuid: str, reason: str | None) -> None:
        """End the streams of participant `uuid`, with `disconnect` {reason} when given."""
        for stream in self.streams_of(uuid):
            if reason is not None:
                stream.push(encode_event("disconnect", dumps({"reason": reason})))
            stream.close(reason or "released")
            self.streams.discard(stream)

    def detach(self, uuid: str, delete: dict[str, Any] | None = None) -> Participant | None:
        """Take a participant out of this room (participant_delete; `delete` adds fields to
        it); its token and streams stay (it is moving to another room)."""
        participant = self.participants.pop(uuid, None)
        if participant is None:
            return None
        self.calls.pop(uuid, None)
        self.caption_viewers.discard(uuid)
        self.emit("participant_delete", dumps({"uuid": uuid, **(delete or {})}))
        if any(entry["participant_uuid"] == uuid for entry in self.stage):
            self.set_stage(
                [e["participant_uuid"] for e in self.stage if e["participant_uuid"] != uuid]
            )
        if self.presenter == uuid:
            self.stop_presentation()
        if self.splashes is not None:
            self.splashes.roster_changed(uuid)
        return participant

    def remove_all(self, reason: str) -> int:
        uuids = list(self.participants)
        for uuid in uuids:
            self.remove(uuid, reason)
        return len(uuids)

    def guests(self) -> Iterable[Participant]:
        return (p for p in self.participants.values() if not p.is_host)

    def waiting(self) -> list[Participant]:
        return [p for p in self.participants.values() if p.service_type == "waiting_room"]

    def admit(self, participant: Participant) -> bool:
        if participant.service_type != "waiting_room":
            return False
        admitted = self.update(participant, service_type=self.joined_service_type)
        if self.splashes is not None:
            self.splashes.roster_changed(participant.uuid)
        return admitted

    # ---- stage, layout, presentation

    def set_stage(self, order: list[str], speaking: str | None = None) -> None:
        now = self.clock()
        self.stage = [
            {"participant_uuid": uuid, "stage_index": index, "vad": 100 if uuid == speaking else 0}
            for index, uuid in enumerate(order)
            if uuid in self.participants
        ]
        if speaking is not None and speaking in self.participants:
            self.participants[speaking].update(last_spoken_time=int(now))
        self.emit("stage", dumps(self.stage))
        if speaking is not None and speaking in self.participants:
            for listener in self.speech_listeners:
                listener(self, speaking)

    def layout_payload(self, for_host: bool = True) -> dict[str, Any]:
        """The `layout` event as seen by a host or a guest (they differ in an auditorium)."""
        chair = self.layout["host_layout"]
        guest = self.layout["guest_layout"]
        view = chair if for_host else guest
        capacity = LAYOUT_CAPACITY.get(view, 12 if view == "ac" else 8)
        return {
            "view": view,
            "participants": [e["participant_uuid"] for e in self.stage[:capacity]],
            "requested_layout": {"primary_screen": {"chair_layout": chair, "guest_layout": guest}},
            "overlay_text_enabled": bool(self.layout["enable_overlay_text"]),
        }

    def transform_layout(self, transforms: dict[str, Any]) -> None:
        if "layout" in transforms:
            self.layout["layout"] = transforms["layout"]
            self.layout["host_layout"] = self.layout["guest_layout"] = transforms["layout"]
        if self.is_auditorium:
            for key in ("host_layout", "guest_layout"):
                if key in transforms:
                    self.layout[key] = transforms[key]
        if "enable_overlay_text" in transforms:
            self.layout["enable_overlay_text"] = transforms["enable_overlay_text"]
        self.layout["transforms"].update(transforms)
        self.emit_layout()

    def emit_layout(self) -> None:
        """One frame for hosts and one for guests, each serialized once."""
        frames: dict[bool, bytes] = {}
        for for_host in (True, False):
            data = dumps(self.layout_payload(for_host))
            frames[for_host] = self.faults.malform("layout", data) or encode_event("layout", data)
        self.events_sent += 1
        for stream in tuple(self.streams):
            viewer = self.participants.get(stream.participant_uuid)
            stream.push(frames[viewer is None or viewer.is_host])

    def _presentation(self) -> dict[str, Any]:
        presenter = self.participants.get(self.presenter or "")
        if presenter is None:
            return {"presenter_name": "", "presenter_uri": "", "presenter_uuid": ""}
        return {
            "presenter_name": presenter.display_name,
            "presenter_uri": presenter.data["uri"],
            "presenter_uuid": presenter.uuid,
            "status": "start",
        }

    def start_presentation(self, uuid: str) -> bool:
        presenter = self.participants.get(uuid)
        if presenter is None:
            return False
        if self.presenter is not None and self.presenter != uuid:
            old = self.participants.get(self.presenter)
            if old is not None:
                self.update(old, is_presenting="NO")
        self.presenter = uuid
        self.update(presenter, is_presenting="YES")
        self.emit("presentation_start", dumps(self._presentation()))
        return True

    def stop_presentation(self) -> bool:
        if self.presenter is None:
            return False
        old = self.participants.get(self.presenter)
        self.presenter = None
        if old is not None:
            self.update(old, is_presenting="NO")
        self.emit("presentation_stop", b"{}")
        return True

    # ---- chat

    def message(
        self, sender: Participant, mime: str, payload: str, direct_to: str | None = None
    ) -> None:
        body = {
            "origin": sender.display_name,
            "uuid": sender.uuid,
            "type": mime,
            "payload": payload,
            "direct": direct_to is not None,
        }
        self.chat_log.append(body if direct_to is None else {**body, "to": direct_to})
        del self.chat_log[:-200]
        if direct_to is not None:
            self.emit("message_received", dumps(body), to=direct_to)
        else:
            self.emit("message_received", dumps(body), exclude=sender.uuid)

    # ---- the truth for /_sim/state

    def snapshot(self) -> dict[str, Any]:
        return {
            "alias": self.alias,
            "name": self.vmr.service_name,
            "kind": self.vmr.kind,
            "status": dict(self.status),
            "layout": self.layout_payload(),
            "stage": list(self.stage),
            "presenter": self.presenter,
            "caption_viewers": sorted(self.caption_viewers),
            "frame_id": self.frame_id,
            "frames_served": self.frames_served,
            "dialled": {uuid: dict(call) for uuid, call in self.dialled.items()},
            "streams": len(self.streams),
            "participant_count": len(self.participants),
            "participants": [dict(p.data) for p in self.participants.values()],
        }
