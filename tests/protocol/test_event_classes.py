"""What every consumer relies on of the typed events, whatever a class is built with (the
participant events are msgspec Structs, the others frozen dataclasses): equality, hashing,
immutability, ``match`` patterns, ``name`` and ``payload()``."""

from __future__ import annotations

import gc
import json

import pytest

from pextui.protocol.models import (
    Event,
    ParticipantCreateEvent,
    ParticipantDeleteEvent,
    ParticipantUpdateEvent,
    parse_event,
)
from tests.protocol.test_fastdecode import FULL
from tests.protocol.test_models import VALID


def parsed(name: str, data: object) -> Event:
    event = parse_event(name, json.dumps(data))
    assert event is not None
    return event


@pytest.mark.parametrize("name", sorted(VALID))
def test_equal_data_make_equal_events_that_cannot_change(name: str) -> None:
    first, second = parsed(name, VALID[name]), parsed(name, VALID[name])
    assert first == second and first is not second
    assert type(first).name == first.name == name
    try:
        hashed = hash(first)
    except TypeError:  # the data holds a dict (a payload's extras, cancel_refer's map)
        pass
    else:
        assert hashed == hash(second)
    field = next(iter(type(first).__match_args__))
    with pytest.raises(AttributeError):
        setattr(first, field, None)
    assert first == second


def test_participant_events_match_by_class_and_field_and_differ_by_class() -> None:
    created, updated = parsed("participant_create", FULL), parsed("participant_update", FULL)
    deleted = parsed("participant_delete", {"uuid": FULL["uuid"]})
    assert created != updated and created.payload() == updated.payload()
    seen = []
    for event in (created, updated, deleted):
        match event:
            case ParticipantCreateEvent(data=participant):
                seen.append(("create", participant.uuid))
            case ParticipantUpdateEvent(participant):  # positional, as __match_args__ allows
                seen.append(("update", participant.uuid))
            case ParticipantDeleteEvent(data=ref):
                seen.append(("delete", ref.uuid))
    assert seen == [(kind, FULL["uuid"]) for kind in ("create", "update", "delete")]
    assert isinstance(deleted, ParticipantDeleteEvent) and deleted.uuid == FULL["uuid"]
    assert updated.payload() == {**FULL, "buzz_time": FULL["buzz_time"]} | {
        "receive_from_video_mix": {"mix_name": "main", "timestamp": 0.0, "mix_config": None},
        "spotlight": 0.0,
        "start_time": float(FULL["start_time"]),
    }
    assert deleted.payload() == {"uuid": FULL["uuid"]}
    assert ParticipantUpdateEvent(updated.data) == updated  # built directly, as tests do


def test_participant_events_are_not_tracked_by_the_cyclic_collector() -> None:
    # They hold only an untracked participant (or a ref): never part of a cycle.
    for name, data in (("participant_update", FULL), ("participant_delete", {"uuid": "u"})):
        assert not gc.is_tracked(parsed(name, data))
