"""The light participant type (pextui/protocol/models/participant.py): untracked by the
cyclic collector, never part of a cycle, and the same as pydantic's view of it wherever
a consumer asks pydantic's questions (dump, copy, extras, fields-set)."""

from __future__ import annotations

import gc
import json
import types
import typing
from typing import Any

import msgspec
import pytest
from pydantic import BaseModel

from pextui.conference import ConferenceStore
from pextui.protocol.models import Participant, ParticipantModel, VideoMix, parse_event
from pextui.protocol.models.participant import (
    FullParticipant,
    ValidatedParticipant,
    from_model,
    to_model,
)
from tests.protocol.test_fastdecode import FULL
from tests.protocol.test_models import NEWER_FIELDS, V28_PARTICIPANT

ATOMIC = (str, bool, float, type(None))


def test_the_schema_has_the_light_types_fields_types_and_defaults() -> None:
    assert tuple(ParticipantModel.model_fields) == Participant.__struct_fields__
    assert Participant.model_fields is ParticipantModel.model_fields
    built = Participant(uuid="u")
    for info in msgspec.structs.fields(Participant):
        field = ParticipantModel.model_fields[info.name]
        if info.name == "uuid":
            assert field.is_required()
        else:
            assert field.default == info.default == getattr(built, info.name)


def field_kinds(annotation: Any) -> set[Any]:
    """The classes a field's value can be an instance of."""
    origin, args = typing.get_origin(annotation), typing.get_args(annotation)
    if origin is typing.Annotated:
        return field_kinds(args[0])
    if origin is typing.Literal:
        return {type(arg) for arg in args}
    if isinstance(annotation, types.UnionType):
        return set().union(*(field_kinds(arg) for arg in args))
    return {origin or annotation}


def atomic_model(model: type[BaseModel]) -> bool:
    """A frozen pydantic model whose fields hold only atomic values or such models."""
    if not model.model_config.get("frozen"):
        return False
    for info in model.model_fields.values():
        for kind in field_kinds(info.annotation):
            if kind not in ATOMIC and not (issubclass(kind, BaseModel) and atomic_model(kind)):
                return False
    return True


def test_no_field_can_hold_a_reference_back_to_a_participant() -> None:
    """gc=False is safe only without cycles: atomic values, a frozen model of atomics,
    and (extras, fields-set) JSON data and strings built before the participant."""
    kinds: set[Any] = set()
    for info in msgspec.structs.fields(ValidatedParticipant):
        kinds |= field_kinds(info.type)
    assert kinds - set(ATOMIC) == {VideoMix, frozenset, dict}
    assert atomic_model(VideoMix)


def test_participants_are_not_tracked_by_the_collector_whichever_path_made_them() -> None:
    full = parse_event("participant_update", json.dumps(FULL))
    lax = parse_event("participant_update", json.dumps({**FULL, "has_media": 1}))
    v28 = parse_event("participant_update", json.dumps(V28_PARTICIPANT))
    extra = parse_event("participant_update", json.dumps({"uuid": "x", "new": {"a": [1]}}))
    rest = Participant.model_validate({**V28_PARTICIPANT, **NEWER_FIELDS})
    for participant in (e.data for e in (full, lax, v28, extra) if e is not None):
        assert isinstance(participant, Participant)
        assert not gc.is_tracked(participant)
    assert not gc.is_tracked(rest) and not gc.is_tracked(Participant(uuid="u"))
    assert full is not None and lax is not None and v28 is not None and extra is not None
    assert type(full.data) is FullParticipant and type(lax.data) is FullParticipant
    assert type(v28.data) is ValidatedParticipant and type(extra.data) is ValidatedParticipant
    assert full.data == lax.data.model_copy(update={"has_media": True})


@pytest.mark.parametrize(
    "obj",
    [
        {**V28_PARTICIPANT, **NEWER_FIELDS},
        V28_PARTICIPANT,
        {**V28_PARTICIPANT, "future": [1, {"b": None}]},
        {"uuid": "only"},
        FULL,
    ],
    ids=["full-with-mix-config", "v28", "v28-extra", "uuid-only", "full"],
)
def test_dump_copy_and_round_trip_match_pydantic(obj: dict[str, Any]) -> None:
    model = ParticipantModel.model_validate(obj)
    light = from_model(model)
    assert light.model_dump() == model.model_dump()
    assert light.model_dump(mode="json") == model.model_dump(mode="json")
    assert light.model_dump(mode="json", exclude_unset=True) == model.model_dump(
        mode="json", exclude_unset=True
    )
    assert light.model_fields_set == model.model_fields_set
    assert light.model_extra == (model.model_extra or {})
    back = to_model(light)
    assert back == model and back.model_fields_set == model.model_fields_set
    assert from_model(back) == light
    copy = light.model_copy(update={"display_name": "Copy", "later": 2})
    expected = model.model_copy(update={"display_name": "Copy", "later": 2})
    assert copy.model_dump(mode="json") == expected.model_dump(mode="json")
    assert copy.model_extra == expected.model_extra and copy.model_extra["later"] == 2
    assert light.display_name == model.display_name  # the original is unchanged


def test_validate_accepts_lax_values_and_rejects_what_the_schema_rejects() -> None:
    lax = Participant.model_validate({"uuid": "a", "has_media": "true", "buzz_time": "1.5"})
    assert lax.has_media is True and lax.buzz_time == 1.5 and lax.hand_raised
    for bad in ({"uuid": ""}, {"uuid": "a", "role": "owner"}, {"uuid": "a", "spotlight": 1e400}):
        with pytest.raises(ValueError):
            Participant.model_validate(bad)


def test_the_store_sees_an_unchanged_participant_as_unchanged_across_classes() -> None:
    store = ConferenceStore(clock=lambda: 1.0)
    created = parse_event("participant_create", json.dumps(FULL))
    assert created is not None
    store.apply(created)
    store.drain_changes()
    again = parse_event("participant_update", json.dumps(FULL))
    assert again is not None
    store.apply(again)
    assert not store.drain_changes().changed
    extra = parse_event("participant_update", json.dumps({**FULL, "x_new": 1}))
    assert extra is not None
    store.apply(extra)
    assert store.drain_changes().changed == {FULL["uuid"]}
    record = store.roster[FULL["uuid"]]
    assert record.participant.model_extra == {"x_new": 1}
    assert record.participant.model_dump(mode="json")["x_new"] == 1
