"""``parse_event``: SSE event name + data -> typed event.

Unknown event names and empty data are ignored (None), as the SDK does. Bad
JSON or a payload of the wrong shape raises ``MalformedEventError``, whose
message names the event and the problem but never echoes the payload. Data larger
than ``MAX_EVENT_SIZE`` is malformed whatever its shape.
"""

from __future__ import annotations

from collections.abc import Callable
from operator import attrgetter
from typing import Any

from pydantic import TypeAdapter, ValidationError

from pextui.protocol.models import events as ev
from pextui.protocol.models.fastdecode import decode_full_participant, decode_participant_ref
from pextui.protocol.models.participant import Participant, ParticipantModel, from_model
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


class MalformedEventError(ValueError):
    """An event whose data is not JSON or not of the documented shape."""

    def __init__(self, event_name: str, problem: str) -> None:
        super().__init__(f"malformed {event_name} event: {problem}")
        self.event_name = event_name
        self.problem = problem


_MAX_ERRORS_SHOWN = 3
MAX_EVENT_SIZE = 256 * 1024
"""Longer event data (characters or bytes) is malformed: no event of the protocol comes
near it (a participant is about 1.5 kB), and a huge one (a broken or hostile server) would
otherwise become, for instance, a participant with a megabyte-long uuid."""

# Events a breakout_event may carry (docs/protocol.md, "The event stream").
BREAKOUT_INNER_EVENTS: frozenset[str] = frozenset(
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


def _sort_stage(entries: list[StageEntry]) -> ev.StageEvent:
    return ev.StageEvent(tuple(sorted(entries, key=attrgetter("stage_index"))))


def _breakout_event(envelope: BreakoutEnvelope) -> ev.BreakoutEventEvent:
    inner: ev.Event | None = None
    if envelope.event in BREAKOUT_INNER_EVENTS:
        try:
            inner = _parse_value(envelope.event, envelope.data)
        except MalformedEventError as exc:
            problem = f"{envelope.event}: {exc.problem}"
            raise MalformedEventError("breakout_event", problem) from None
    return ev.BreakoutEventEvent(envelope, inner)


class _Spec:
    """How one event name is validated and wrapped.

    Calls the compiled pydantic-core validator directly: the ``TypeAdapter`` and
    ``model_validate_json`` wrappers add Python overhead per call (about 8 % of a
    participant parse).
    """

    __slots__ = ("build", "validate_json", "validate_python")

    def __init__(self, adapter: TypeAdapter[Any], build: Callable[[Any], ev.Event]) -> None:
        self.validate_json: Callable[[str | bytes], Any] = adapter.validator.validate_json
        self.validate_python: Callable[[Any], Any] = adapter.validator.validate_python
        self.build = build


def _model(model: type[Any], build: Callable[[Any], ev.Event]) -> _Spec:
    return _Spec(TypeAdapter(model), build)


def _light(event: Callable[[Participant], ev.Event]) -> Callable[[Any], ev.Event]:
    """A participant event from the schema's model (a breakout's inner event)."""
    return lambda model: event(from_model(model))


_ANY: TypeAdapter[Any] = TypeAdapter(Any)

_SPECS: dict[str, _Spec] = {
    "participant_sync_begin": _Spec(_ANY, ev.ParticipantSyncBeginEvent),
    "participant_sync_end": _Spec(_ANY, ev.ParticipantSyncEndEvent),
    "participant_create": _model(ParticipantModel, _light(ev.ParticipantCreateEvent)),
    "participant_update": _model(ParticipantModel, _light(ev.ParticipantUpdateEvent)),
    "participant_delete": _model(ParticipantRef, ev.ParticipantDeleteEvent),
    "conference_update": _model(ConferenceStatus, ev.ConferenceUpdateEvent),
    "message_received": _model(ChatMessage, ev.MessageReceivedEvent),
    "stage": _Spec(TypeAdapter(list[StageEntry]), _sort_stage),
    "layout": _model(Layout, ev.LayoutEvent),
    "presentation_start": _model(Presentation, ev.PresentationStartEvent),
    "presentation_stop": _Spec(_ANY, ev.PresentationStopEvent),
    "presentation_ended": _Spec(_ANY, ev.PresentationEndedEvent),
    "presentation_frame": _model(PresentationFrame, ev.PresentationFrameEvent),
    "disconnect": _model(Disconnect, ev.DisconnectEvent),
    "call_disconnected": _model(CallDisconnected, ev.CallDisconnectedEvent),
    "refer": _model(Refer, ev.ReferEvent),
    "cancel_refer": _Spec(TypeAdapter(dict[str, str]), ev.CancelReferEvent),
    "on_hold": _Spec(TypeAdapter(bool), ev.OnHoldEvent),
    "fecc": _model(Fecc, ev.FeccEvent),
    "refresh_token": _Spec(_ANY, ev.RefreshTokenEvent),
    "live_captions": _model(LiveCaptions, ev.LiveCaptionsEvent),
    "peer_disconnect": _Spec(_ANY, ev.PeerDisconnectEvent),
    "new_offer": _model(Sdp, ev.NewOfferEvent),
    "update_sdp": _model(Sdp, ev.UpdateSdpEvent),
    "new_candidate": _model(Candidate, ev.NewCandidateEvent),
    "splash_screen": _Spec(TypeAdapter(SplashScreen | None), ev.SplashScreenEvent),
    "breakout_begin": _model(BreakoutRoomRef, ev.BreakoutBeginEvent),
    "breakout_end": _model(BreakoutRoomRef, ev.BreakoutEndEvent),
    "breakout_event": _model(BreakoutEnvelope, _breakout_event),
    "breakout_refer": _model(BreakoutRefer, ev.BreakoutReferEvent),
}

# Participant events dominate the stream: the model's own validator, no lookup.
_validate_participant_json = _SPECS["participant_update"].validate_json
_PARTICIPANT_EVENTS: dict[str, Callable[[Participant], ev.Event]] = {
    "participant_create": ev.ParticipantCreateEvent,
    "participant_update": ev.ParticipantUpdateEvent,
}


def _field_names() -> frozenset[str]:
    names: set[str] = set()
    pending: list[type[Payload]] = [Payload]
    while pending:
        model = pending.pop()
        names.update(model.model_fields)
        pending.extend(model.__subclasses__())
    return frozenset(names)


_FIELD_NAMES = _field_names()


def _clean(part: object) -> str:
    """A location part: a list index or one of our field names; anything else came from
    the payload (a map key) and is not repeated."""
    if isinstance(part, int) or part in _FIELD_NAMES:
        return str(part)
    return "<key>"


def describe_validation_error(exc: ValidationError) -> str:
    """Field locations and messages only: never the offending input."""
    problems = []
    for error in exc.errors(include_input=False, include_url=False)[:_MAX_ERRORS_SHOWN]:
        loc = ".".join(_clean(part) for part in error["loc"])
        problems.append(f"{loc}: {error['msg']}" if loc else error["msg"])
    more = exc.error_count() - _MAX_ERRORS_SHOWN
    if more > 0:
        problems.append(f"and {more} more")
    return "; ".join(problems)


def _parse_value(name: str, value: Any) -> ev.Event | None:
    spec = _SPECS.get(name)
    if spec is None:
        return None
    try:
        return spec.build(spec.validate_python(value))
    except ValidationError as exc:
        raise MalformedEventError(name, describe_validation_error(exc)) from None


def parse_event(name: str, data: str | bytes) -> ev.Event | None:
    """Parse one SSE event; None for an unknown name or empty data (both ignored)."""
    if len(data) > MAX_EVENT_SIZE:
        raise MalformedEventError(name, f"{len(data)} characters, more than {MAX_EVENT_SIZE}")
    participant_event = _PARTICIPANT_EVENTS.get(name)
    try:
        if participant_event is not None:  # straight from the strict decoder, else the schema
            # (a participant is always true: a Struct with no __bool__ or __len__)
            fast = decode_full_participant(data) or from_model(_validate_participant_json(data))
            return participant_event(fast)
        if name == "participant_delete":
            ref = decode_participant_ref(data)
            if ref is not None:
                return ev.ParticipantDeleteEvent(ref)
        spec = _SPECS.get(name)
        if spec is None or not data or data.isspace():  # isspace: no copy, unlike strip
            return None
        return spec.build(spec.validate_json(data))
    except ValidationError as exc:
        if not data or data.isspace():
            return None
        raise MalformedEventError(name, describe_validation_error(exc)) from None
    except (ValueError, RecursionError) as exc:
        if isinstance(exc, MalformedEventError):
            raise
        raise MalformedEventError(name, type(exc).__name__) from None
