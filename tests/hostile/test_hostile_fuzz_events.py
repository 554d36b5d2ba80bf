"""Property tests of every event model, one event name at a time, structure-aware.

tests/protocol/test_models_properties.py fuzzes parse_event with random names and
payloads; here each of the ~30 events of docs/protocol.md gets payloads built from its own
model's fields (valid values of the declared type, or hostile junk, or missing), so every
model's validators are reached. Properties: only MalformedEventError escapes; what parses
is that event, serializable, and the conference store applies it without an exception and
stays consistent. 30 examples per model (900 in all) by default; ``PEXTUI_FUZZ_EXAMPLES``
each (default 1,000, tests/fuzzing.py) under ``pytest -m fuzz``.
"""

from __future__ import annotations

import json
import types
import typing
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pydantic import BaseModel

from pextui.conference import ConferenceStore
from pextui.protocol.models import EVENT_NAMES, MalformedEventError, ParticipantModel, parse_event
from pextui.protocol.models import payloads as p
from tests.fuzzing import FUZZ_EXAMPLES

MODELS: dict[str, Any] = {
    "participant_create": ParticipantModel,  # the light participant's schema
    "participant_update": ParticipantModel,
    "participant_delete": p.ParticipantRef,
    "conference_update": p.ConferenceStatus,
    "message_received": p.ChatMessage,
    "stage": list[p.StageEntry],
    "layout": p.Layout,
    "presentation_start": p.Presentation,
    "presentation_frame": p.PresentationFrame,
    "disconnect": p.Disconnect,
    "call_disconnected": p.CallDisconnected,
    "refer": p.Refer,
    "cancel_refer": dict[str, str],
    "on_hold": bool,
    "fecc": p.Fecc,
    "live_captions": p.LiveCaptions,
    "new_offer": p.Sdp,
    "update_sdp": p.Sdp,
    "new_candidate": p.Candidate,
    "splash_screen": p.SplashScreen | None,
    "breakout_begin": p.BreakoutRoomRef,
    "breakout_end": p.BreakoutRoomRef,
    "breakout_event": p.BreakoutEnvelope,
    "breakout_refer": p.BreakoutRefer,
}
NAMES = sorted(EVENT_NAMES)  # events without a payload model get generic JSON

HOSTILE = st.sampled_from(
    ["", "\x00", "\x1b]52;c;aGk=\x07", "[/]", "\u202e", "NaN", "-1", "9" * 400, "🎉" * 50]
)
SCALARS = (
    st.none()
    | st.booleans()
    | st.integers(-(2**70), 2**70)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=30)
    | HOSTILE
)
JUNK = st.recursive(
    SCALARS,
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4)
    ),
    max_leaves=12,
)


def valid_value(annotation: Any, depth: int = 0) -> st.SearchStrategy[Any]:
    """A JSON value of the declared type (or junk where the type is too open)."""
    origin = typing.get_origin(annotation)
    args = typing.get_args(annotation)
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return model_object(annotation, depth + 1) if depth < 3 else JUNK
    if origin in (typing.Union, types.UnionType):
        return st.one_of([valid_value(a, depth) for a in args])
    if origin is typing.Literal:
        return st.sampled_from(args)
    if origin is list:
        return st.lists(valid_value(args[0], depth) if args else JUNK, max_size=4)
    if origin is dict:
        return st.dictionaries(st.text(max_size=8), valid_value(args[1], depth), max_size=4)
    simple: dict[Any, st.SearchStrategy[Any]] = {
        str: st.text(max_size=40) | HOSTILE,
        bool: st.booleans(),
        int: st.integers(-(2**40), 2**40),
        float: st.floats(-1e12, 1e12, allow_nan=False) | st.integers(-(2**40), 2**40),
        type(None): st.none(),
    }
    return simple.get(annotation, JUNK)


def model_object(model: type[BaseModel], depth: int = 0) -> st.SearchStrategy[dict[str, Any]]:
    """An object with each field valid, junk or missing, plus a few unknown fields."""
    fields = {
        name: st.one_of(valid_value(info.annotation, depth), JUNK)
        for name, info in model.model_fields.items()
    }
    known = st.fixed_dictionaries({}, optional=fields)
    extra = st.dictionaries(st.text(max_size=10), JUNK, max_size=2)
    return st.builds(lambda k, e: {**e, **k}, known, extra)


def payload_for(name: str) -> st.SearchStrategy[str]:
    model = MODELS.get(name)
    structured = valid_value(model) if model is not None else JUNK
    value = st.one_of(structured, structured, JUNK)
    encoded = st.builds(lambda v, a: json.dumps(v, ensure_ascii=a), value, st.booleans())
    broken = st.builds(lambda s, n: s[: max(1, len(s) - n)], encoded, st.integers(1, 5))
    return st.one_of(encoded, encoded, encoded, broken)


def synced_store() -> ConferenceStore:
    store = ConferenceStore(self_uuid="me", clock=lambda: 1_700_000_000.0)
    for name, data in (
        ("participant_sync_begin", "{}"),
        ("participant_create", '{"uuid": "me", "display_name": "Host", "role": "chair"}'),
        ("participant_create", '{"uuid": "other", "display_name": "Guest"}'),
        ("participant_sync_end", "{}"),
    ):
        event = parse_event(name, data)
        assert event is not None
        store.apply(event)
    return store


def check(name: str, data: str) -> None:
    try:
        event = parse_event(name, data)
    except MalformedEventError as exc:
        message = str(exc)
        assert message.startswith(f"malformed {name} event: ") and len(message) < 2_000
        return
    if event is None:
        return
    assert event.name == name
    json.dumps(event.payload())
    store = synced_store()
    store.apply(event)
    store.drain_changes()
    assert len(store.index) <= len(store.roster)
    json.dumps(store.snapshot(), default=str)


@pytest.mark.parametrize("name", NAMES)
@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_every_event_model(name: str, data: st.DataObject) -> None:
    check(name, data.draw(payload_for(name)))


@pytest.mark.fuzz
@pytest.mark.timeout(1800)
@pytest.mark.parametrize("name", NAMES)
@settings(max_examples=FUZZ_EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck))
@given(data=st.data())
def test_every_event_model_fuzz(name: str, data: st.DataObject) -> None:
    check(name, data.draw(payload_for(name)))
