"""Pydantic models of the event-stream payloads (docs/protocol.md, "The event stream").

The participant itself is the light type of participant.py (its schema is derived
from it).

Every model is tolerant: unknown fields are kept (``extra="allow"``) and the
fields that older (v28) servers do not send get sensible defaults. Wrong types
and missing identifiers are rejected, which the parser turns into
``MalformedEventError``.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

YesNo = Literal["YES", "NO"]
"""The protocol's string booleans."""

Role = Literal["chair", "guest"]


class Payload(BaseModel):
    """Base of every payload model: immutable, unknown fields kept, finite numbers only."""

    model_config = ConfigDict(extra="allow", frozen=True, allow_inf_nan=False, defer_build=False)


class TransformLayout(Payload):
    layout: str | None = None


class MixConfig(Payload):
    transform_layout: TransformLayout | None = None


class VideoMix(Payload):
    """``receive_from_video_mix``: the personal layout mix a participant sees."""

    mix_name: str
    timestamp: float
    mix_config: MixConfig | None = None


class ParticipantRef(Payload):
    """``participant_delete``: just the uuid."""

    uuid: str = Field(min_length=1)


class Classification(Payload):
    current: float | None = None
    levels: dict[str, str] = Field(default_factory=dict)


class BreakoutBuzz(Payload):
    time: float = 0.0
    value: bool = False


class ConferenceStatus(Payload):
    """``conference_update`` / ``conference_status``; absent booleans are False."""

    locked: bool = False
    guests_muted: bool = False
    started: bool = False
    all_muted: bool = False
    live_captions_available: bool = False
    direct_media: bool = False
    presentation_allowed: bool = False
    breakout_rooms: bool = False
    guests_can_unmute: bool = False
    guests_can_present: bool = False
    breakout: bool = False
    breakout_guests_allowed_to_leave: bool = False
    breakout_name: str = ""
    breakout_description: str = ""
    end_action: str | None = None
    end_time: float | None = None
    classification: Classification | None = None
    breakoutbuzz: BreakoutBuzz | None = None


class StageEntry(Payload):
    """One element of the ``stage`` array: active-speaker position and voice activity."""

    participant_uuid: str
    stage_index: int = 0
    vad: float = 0.0

    @property
    def speaking(self) -> bool:
        return self.vad > 0


class PrimaryScreen(Payload):
    chair_layout: str = ""
    guest_layout: str = ""


class RequestedLayout(Payload):
    primary_screen: PrimaryScreen | None = None


class Layout(Payload):
    """The ``layout`` event: the view and the participants in it, main speaker first."""

    view: str = ""
    participants: list[str] = Field(default_factory=list)
    requested_layout: RequestedLayout | None = None
    overlay_text_enabled: bool | None = None
    pres_slot_coords: list[list[float]] | None = None


class ChatMessage(Payload):
    """``message_received``: a chat message (``uuid`` is the sender's)."""

    type: str = "text/plain"
    payload: str = ""
    origin: str = ""
    uuid: str = ""
    direct: bool = False

    @property
    def is_text(self) -> bool:
        return self.type.split(";", 1)[0].strip().lower() == "text/plain"


class Presentation(Payload):
    """``presentation_start``: who presents. All three fields empty means "revoked"."""

    presenter_name: str = ""
    presenter_uri: str = ""
    presenter_uuid: str = ""
    status: str | None = None

    @property
    def revoked(self) -> bool:
        return not (self.presenter_name or self.presenter_uri or self.presenter_uuid)


class PresentationFrame(Payload):
    """``presentation_frame``: must be an object; the frame id is ``lastEventId``."""

    lastEventId: str | int | None = None


class Disconnect(Payload):
    """``disconnect``: the server is disconnecting this participant."""

    reason: str = ""


class CallDisconnected(Payload):
    call_uuid: str = ""
    reason: str = ""


class Refer(Payload):
    """``refer``: join ``alias`` with the one-time ``token`` (never shown or dumped)."""

    alias: str
    token: str = Field(repr=False, exclude=True)
    breakout_name: str | None = None
    target: str | None = None


class CancelRefer(Payload):
    """``cancel_refer``: an object of strings (kept as extra fields)."""


class FeccMovement(Payload):
    axis: str = ""
    direction: str = ""


class Fecc(Payload):
    action: str = ""
    movement: list[FeccMovement] = Field(default_factory=list)
    timeout: float | None = None


class CaptionSource(Payload):
    participant_uuid: str = ""
    indices: list[int] = Field(default_factory=list)


class LiveCaptions(Payload):
    data: str = ""
    is_final: bool = False
    src_lang: str | None = None
    tgt_lang: str | None = None
    sources: list[CaptionSource] = Field(default_factory=list)


class Sdp(Payload):
    sdp: str = Field(default="", repr=False)


class Candidate(Payload):
    candidate: str = Field(default="", repr=False)
    mid: str = ""
    ufrag: str | None = Field(default=None, repr=False)


class SplashScreen(Payload):
    screen_key: str = ""
    display_duration: float = 0.0


class BreakoutRoomRef(Payload):
    """``breakout_begin`` / ``breakout_end``: the room and our uuid inside it."""

    breakout_uuid: str
    participant_uuid: str = ""


class BreakoutEnvelope(Payload):
    """``breakout_event``: an inner event for one breakout room."""

    breakout_uuid: str
    event: str
    data: Any = None


class BreakoutRefer(Payload):
    breakout_uuid: str
    breakout_name: str = ""
    requester_uuid: str = ""
