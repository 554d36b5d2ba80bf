"""Typed event classes: one per SSE event name of docs/protocol.md, "The event stream".

Each class has a class-level ``name`` (the SSE ``event:`` name) and
``payload()`` returning the event's data as JSON-able values (secrets such as a
refer token are left out).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, ClassVar

import msgspec

from pextui.protocol.models.participant import Participant
from pextui.protocol.models.payloads import (
    BreakoutEnvelope,
    BreakoutRefer,
    BreakoutRoomRef,
    CallDisconnected,
    Candidate,
    ChatMessage,
    ConferenceStatus,
    Disconnect,
    Fecc,
    Layout,
    LiveCaptions,
    ParticipantRef,
    Payload,
    Presentation,
    PresentationFrame,
    Refer,
    Sdp,
    SplashScreen,
    StageEntry,
)


@dataclass(frozen=True, slots=True)
class _ModelEvent:
    """An event whose data is one payload model."""

    name: ClassVar[str] = ""

    def payload(self) -> Any:
        data = getattr(self, "data", None)
        if isinstance(data, Payload | Participant):
            return data.model_dump(mode="json")
        return data


@dataclass(frozen=True, slots=True)
class _AnyJsonEvent:
    """An event whose data is any JSON value the client ignores (``raw``)."""

    raw: Any = None
    name: ClassVar[str] = ""

    def payload(self) -> Any:
        return self.raw


@dataclass(frozen=True, slots=True)
class ParticipantSyncBeginEvent(_AnyJsonEvent):
    name: ClassVar[str] = "participant_sync_begin"


@dataclass(frozen=True, slots=True)
class ParticipantSyncEndEvent(_AnyJsonEvent):
    name: ClassVar[str] = "participant_sync_end"


class _ParticipantEvent(msgspec.Struct, frozen=True, gc=False):
    """The events that dominate the stream: a frozen msgspec Struct, built in C (a frozen
    dataclass's ``__init__`` is Python, through ``object.__setattr__``). Untracked by the
    cyclic collector like the participant it holds: neither can be part of a cycle."""

    name: ClassVar[str] = ""
    if TYPE_CHECKING:  # each subclass declares its own

        @property
        def data(self) -> Payload | Participant: ...

    def payload(self) -> Any:
        return self.data.model_dump(mode="json")


class ParticipantCreateEvent(_ParticipantEvent, frozen=True, gc=False):
    data: Participant
    name: ClassVar[str] = "participant_create"


class ParticipantUpdateEvent(_ParticipantEvent, frozen=True, gc=False):
    data: Participant
    name: ClassVar[str] = "participant_update"


class ParticipantDeleteEvent(_ParticipantEvent, frozen=True, gc=False):
    data: ParticipantRef
    name: ClassVar[str] = "participant_delete"

    @property
    def uuid(self) -> str:
        return self.data.uuid


@dataclass(frozen=True, slots=True)
class ConferenceUpdateEvent(_ModelEvent):
    data: ConferenceStatus
    name: ClassVar[str] = "conference_update"


@dataclass(frozen=True, slots=True)
class MessageReceivedEvent(_ModelEvent):
    data: ChatMessage
    name: ClassVar[str] = "message_received"


@dataclass(frozen=True, slots=True)
class StageEvent:
    """``stage``: active speakers, ``entries`` sorted by ``stage_index``."""

    entries: tuple[StageEntry, ...]
    name: ClassVar[str] = "stage"

    def payload(self) -> Any:
        return [entry.model_dump(mode="json") for entry in self.entries]


@dataclass(frozen=True, slots=True)
class LayoutEvent(_ModelEvent):
    data: Layout
    name: ClassVar[str] = "layout"


@dataclass(frozen=True, slots=True)
class PresentationStartEvent(_ModelEvent):
    data: Presentation
    name: ClassVar[str] = "presentation_start"


@dataclass(frozen=True, slots=True)
class PresentationStopEvent(_AnyJsonEvent):
    name: ClassVar[str] = "presentation_stop"


@dataclass(frozen=True, slots=True)
class PresentationEndedEvent(_AnyJsonEvent):
    name: ClassVar[str] = "presentation_ended"


@dataclass(frozen=True, slots=True)
class PresentationFrameEvent(_ModelEvent):
    data: PresentationFrame
    name: ClassVar[str] = "presentation_frame"


@dataclass(frozen=True, slots=True)
class DisconnectEvent(_ModelEvent):
    data: Disconnect
    name: ClassVar[str] = "disconnect"

    @property
    def reason(self) -> str:
        return self.data.reason


@dataclass(frozen=True, slots=True)
class CallDisconnectedEvent(_ModelEvent):
    data: CallDisconnected
    name: ClassVar[str] = "call_disconnected"


@dataclass(frozen=True, slots=True)
class ReferEvent(_ModelEvent):
    data: Refer
    name: ClassVar[str] = "refer"


@dataclass(frozen=True, slots=True)
class CancelReferEvent(_ModelEvent):
    data: dict[str, str]
    name: ClassVar[str] = "cancel_refer"


@dataclass(frozen=True, slots=True)
class OnHoldEvent(_ModelEvent):
    data: bool
    name: ClassVar[str] = "on_hold"


@dataclass(frozen=True, slots=True)
class FeccEvent(_ModelEvent):
    data: Fecc
    name: ClassVar[str] = "fecc"


@dataclass(frozen=True, slots=True)
class RefreshTokenEvent(_AnyJsonEvent):
    name: ClassVar[str] = "refresh_token"


@dataclass(frozen=True, slots=True)
class LiveCaptionsEvent(_ModelEvent):
    data: LiveCaptions
    name: ClassVar[str] = "live_captions"


@dataclass(frozen=True, slots=True)
class PeerDisconnectEvent(_AnyJsonEvent):
    name: ClassVar[str] = "peer_disconnect"


@dataclass(frozen=True, slots=True)
class NewOfferEvent(_ModelEvent):
    data: Sdp
    name: ClassVar[str] = "new_offer"


@dataclass(frozen=True, slots=True)
class UpdateSdpEvent(_ModelEvent):
    data: Sdp
    name: ClassVar[str] = "update_sdp"


@dataclass(frozen=True, slots=True)
class NewCandidateEvent(_ModelEvent):
    data: Candidate
    name: ClassVar[str] = "new_candidate"


@dataclass(frozen=True, slots=True)
class SplashScreenEvent(_ModelEvent):
    """``splash_screen``: ``data`` is None when the splash screen is cleared."""

    data: SplashScreen | None
    name: ClassVar[str] = "splash_screen"


@dataclass(frozen=True, slots=True)
class BreakoutBeginEvent(_ModelEvent):
    data: BreakoutRoomRef
    name: ClassVar[str] = "breakout_begin"


@dataclass(frozen=True, slots=True)
class BreakoutEndEvent(_ModelEvent):
    data: BreakoutRoomRef
    name: ClassVar[str] = "breakout_end"


@dataclass(frozen=True, slots=True)
class BreakoutEventEvent(_ModelEvent):
    """``breakout_event``: ``inner`` is the parsed room event (None if unknown or malformed)."""

    data: BreakoutEnvelope
    inner: Event | None
    name: ClassVar[str] = "breakout_event"


@dataclass(frozen=True, slots=True)
class BreakoutReferEvent(_ModelEvent):
    data: BreakoutRefer
    name: ClassVar[str] = "breakout_refer"


Event = (
    ParticipantSyncBeginEvent
    | ParticipantSyncEndEvent
    | ParticipantCreateEvent
    | ParticipantUpdateEvent
    | ParticipantDeleteEvent
    | ConferenceUpdateEvent
    | MessageReceivedEvent
    | StageEvent
    | LayoutEvent
    | PresentationStartEvent
    | PresentationStopEvent
    | PresentationEndedEvent
    | PresentationFrameEvent
    | DisconnectEvent
    | CallDisconnectedEvent
    | ReferEvent
    | CancelReferEvent
    | OnHoldEvent
    | FeccEvent
    | RefreshTokenEvent
    | LiveCaptionsEvent
    | PeerDisconnectEvent
    | NewOfferEvent
    | UpdateSdpEvent
    | NewCandidateEvent
    | SplashScreenEvent
    | BreakoutBeginEvent
    | BreakoutEndEvent
    | BreakoutEventEvent
    | BreakoutReferEvent
)
"""Every typed event; dispatch with ``isinstance`` or ``match``."""

EVENT_CLASSES: tuple[type[Event], ...] = (
    ParticipantSyncBeginEvent,
    ParticipantSyncEndEvent,
    ParticipantCreateEvent,
    ParticipantUpdateEvent,
    ParticipantDeleteEvent,
    ConferenceUpdateEvent,
    MessageReceivedEvent,
    StageEvent,
    LayoutEvent,
    PresentationStartEvent,
    PresentationStopEvent,
    PresentationEndedEvent,
    PresentationFrameEvent,
    DisconnectEvent,
    CallDisconnectedEvent,
    ReferEvent,
    CancelReferEvent,
    OnHoldEvent,
    FeccEvent,
    RefreshTokenEvent,
    LiveCaptionsEvent,
    PeerDisconnectEvent,
    NewOfferEvent,
    UpdateSdpEvent,
    NewCandidateEvent,
    SplashScreenEvent,
    BreakoutBeginEvent,
    BreakoutEndEvent,
    BreakoutEventEvent,
    BreakoutReferEvent,
)

EVENT_NAMES: frozenset[str] = frozenset(cls.name for cls in EVENT_CLASSES)
