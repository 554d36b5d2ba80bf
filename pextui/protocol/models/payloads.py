"""Pydantic models of the event-stream payloads (docs/protocol.md, "The participant object").

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


class Participant(Payload):
    """The participant object of ``participant_create`` / ``participant_update`` (42 fields).

    Only ``uuid`` is required (and must be non-empty); every other field has the
    default a v28 server implies when it does not send it.
    """

    uuid: str = Field(min_length=1)
    display_name: str = ""
    role: Role = "guest"
    is_muted: YesNo = "NO"
    is_client_muted: bool = False
    is_video_muted: bool = False
    is_video_silent: bool = False
    is_main_video_dropped_out: bool = False
    is_presenting: YesNo = "NO"
    presentation_supported: YesNo = "NO"
    rx_presentation_policy: Literal["ALLOW", "DENY"] = "ALLOW"
    needs_presentation_in_mix: bool = False
    buzz_time: float = 0.0
    spotlight: float = 0.0
    start_time: float = 0.0
    last_spoken_time: float = 0.0
    call_direction: str = "in"
    protocol: str = ""
    is_audio_only_call: YesNo = "NO"
    is_video_call: YesNo = "NO"
    has_media: bool = False
    encryption: str = "Off"
    mute_supported: YesNo = "YES"
    disconnect_supported: YesNo = "YES"
    transfer_supported: YesNo = "YES"
    fecc_supported: YesNo = "NO"
    is_streaming_conference: bool = False
    is_external: bool = False
    external_node_uuid: str = ""
    is_conjoined: bool = False
    is_transferring: bool = False
    is_idp_authenticated: bool = False
    supports_direct_chat: bool = False
    local_alias: str = ""
    overlay_text: str = ""
    service_type: str = "conference"
    uri: str = ""
    vendor: str = ""
    call_tag: str = ""
    api_url: str = ""
    can_receive_personal_mix: bool = False
    receive_from_video_mix: VideoMix | None = None

    @property
    def name(self) -> str:
        """The name to show: display name, else the URI without ``sip:`` (as the SDK does)."""
        if self.display_name:
            return self.display_name
        uri = self.uri
        return uri[4:] if uri.startswith("sip:") else uri

    @property
    def is_host(self) -> bool:
        return self.role == "chair"

    @property
    def audio_muted(self) -> bool:
        """Muted by a host, or muted on their own device (the host sees both the same)."""
        return self.is_muted == "YES" or self.is_client_muted

    @property
    def video_muted(self) -> bool:
        return self.is_video_muted

    @property
    def has_video(self) -> bool:
        """Sends video: has media and is not an audio-only call (a control-only
        participant such as this console, or a phone caller, has none)."""
        return self.has_media and self.is_audio_only_call != "YES"

    @property
    def rx_presentation_denied(self) -> bool:
        return self.rx_presentation_policy == "DENY"

    @property
    def hand_raised(self) -> bool:
        return self.buzz_time > 0

    @property
    def spotlighted(self) -> bool:
        return self.spotlight > 0

    @property
    def presenting(self) -> bool:
        return self.is_presenting == "YES"

    @property
    def waiting(self) -> bool:
        return self.service_type == "waiting_room"

    @property
    def can_mute(self) -> bool:
        return self.mute_supported == "YES"

    @property
    def can_disconnect(self) -> bool:
        return self.disconnect_supported == "YES"

    @property
    def can_transfer(self) -> bool:
        return self.transfer_supported == "YES"

    def supports(self, capability: str) -> bool:
        """``mute``, ``transfer`` or ``disconnect`` (the ``*_supported`` flags)."""
        return {
            "mute": self.can_mute,
            "transfer": self.can_transfer,
            "disconnect": self.can_disconnect,
        }.get(capability, True)


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
