"""The opening of a simulated event stream: the participant sync and the conference's state.

Built from each participant's cached JSON (serialized once, until it changes), in pieces of
about SYNC_PIECE_BYTES: a sync of 50,000 participants is ~60 MB, never one object.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from pextui.sim.events import encode_event
from pextui.sim.participants import dumps

if TYPE_CHECKING:
    from pextui.sim.conference import Conference

SYNC_PIECE_BYTES = 256 * 1024


def sync_frames(conference: Conference, for_host: bool = True) -> list[bytes]:
    """participant_sync_begin, a participant_create per participant, participant_sync_end,
    then conference_update, layout, stage and presentation_start (when there are)."""
    pieces: list[bytes] = []
    parts: list[bytes] = [encode_event("participant_sync_begin", b"{}")]
    size = 0
    prefix = b"event: participant_create\ndata: "
    for participant in conference.participants.values():
        data = participant.json()
        parts += (prefix, data, b"\n\n")
        size += len(data)
        if size >= SYNC_PIECE_BYTES:
            pieces.append(b"".join(parts))
            parts, size = [], 0
    parts.append(encode_event("participant_sync_end", b"{}"))
    parts.append(encode_event("conference_update", dumps(conference.status)))
    parts.append(encode_event("layout", dumps(conference.layout_payload(for_host))))
    if conference.stage:
        parts.append(encode_event("stage", dumps(conference.stage)))
    if conference.presenter is not None and conference.presenter in conference.participants:
        parts.append(encode_event("presentation_start", dumps(conference._presentation())))
        if conference.frame_id:  # the current slide, for whoever joins mid-presentation
            frame = str(conference.frame_id)
            parts.append(encode_event("presentation_frame", dumps({"lastEventId": frame}), frame))
    pieces.append(b"".join(parts))
    return pieces
