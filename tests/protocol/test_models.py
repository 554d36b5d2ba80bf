"""Payload models and parse_event (docs/protocol.md)."""

from __future__ import annotations

import json
from typing import Any

import pytest

from pextui.protocol.models import (
    EVENT_CLASSES,
    EVENT_NAMES,
    BreakoutEventEvent,
    ConferenceUpdateEvent,
    MalformedEventError,
    Participant,
    ParticipantCreateEvent,
    ParticipantDeleteEvent,
    ParticipantUpdateEvent,
    ReferEvent,
    SplashScreenEvent,
    StageEvent,
    parse_event,
)

# The participant_create example of the v28 document (docs/protocol.md).
V28_PARTICIPANT: dict[str, Any] = {
    "buzz_time": 0,
    "call_direction": "in",
    "call_tag": "def456",
    "disconnect_supported": "YES",
    "display_name": "Alice",
    "encryption": "On",
    "external_node_uuid": "",
    "fecc_supported": "NO",
    "has_media": False,
    "is_audio_only_call": "NO",
    "is_external": False,
    "is_muted": "NO",
    "is_presenting": "NO",
    "is_streaming_conference": False,
    "is_video_call": "YES",
    "is_video_muted": False,
    "local_alias": "meet.alice",
    "mute_supported": "YES",
    "overlay_text": "Alice",
    "presentation_supported": "NO",
    "protocol": "api",
    "role": "chair",
    "rx_presentation_policy": "ALLOW",
    "service_type": "conference",
    "spotlight": 0,
    "start_time": 1441720992,
    "transfer_supported": "YES",
    "uri": "Infinity_Connect_10.44.21.35",
    "uuid": "50b956c8-9a63-4711-8630-3810f8666b04",
    "vendor": "Pexip Infinity Connect/2.0.0-25227.0.0 (Windows NT 6.1; WOW64) nwjs/0.12.2",
}

NEWER_FIELDS: dict[str, Any] = {
    "is_client_muted": True,
    "is_video_silent": True,
    "is_main_video_dropped_out": False,
    "needs_presentation_in_mix": True,
    "last_spoken_time": 1441721000.5,
    "is_conjoined": False,
    "is_transferring": True,
    "is_idp_authenticated": False,
    "supports_direct_chat": True,
    "api_url": "https://node/api",
    "can_receive_personal_mix": True,
    "receive_from_video_mix": {
        "mix_name": "main",
        "timestamp": 12.5,
        "mix_config": {"transform_layout": {"layout": "1:7"}},
    },
}

# One valid payload per event name (docs/protocol.md, "The event stream").
VALID: dict[str, Any] = {
    "participant_sync_begin": None,
    "participant_sync_end": {},
    "participant_create": V28_PARTICIPANT,
    "participant_update": {**V28_PARTICIPANT, **NEWER_FIELDS},
    "participant_delete": {"uuid": "65b4af2f"},
    "conference_update": {"locked": False, "guests_muted": False, "started": True},
    "message_received": {"origin": "Alice", "type": "text/plain", "payload": "Hi", "uuid": "u"},
    "stage": [{"stage_index": 0, "participant_uuid": "a", "vad": 0}],
    "layout": {"view": "1:7", "participants": ["a", "b"]},
    "presentation_start": {"presenter_name": "Bob", "presenter_uri": "bob@example.com"},
    "presentation_stop": None,
    "presentation_ended": {},
    "presentation_frame": {"lastEventId": "MTAuNDQ"},
    "disconnect": {"reason": "API initiated participant disconnect"},
    "call_disconnected": {"call_uuid": "50ed679d", "reason": "x"},
    "refer": {"alias": "meet.other", "token": "one-time-token", "target": "conference"},
    "cancel_refer": {"reason": "cancelled"},
    "on_hold": True,
    "fecc": {"action": "start", "movement": [{"axis": "pan", "direction": "left"}], "timeout": 1},
    "refresh_token": {},
    "live_captions": {
        "data": "hello",
        "is_final": True,
        "sources": [{"participant_uuid": "a", "indices": [0, 1]}],
    },
    "peer_disconnect": {},
    "new_offer": {"sdp": "v=0"},
    "update_sdp": {"sdp": "v=0"},
    "new_candidate": {"candidate": "candidate:1", "mid": "0"},
    "splash_screen": {"screen_key": "direct_media_welcome", "display_duration": 5},
    "breakout_begin": {"breakout_uuid": "r1", "participant_uuid": "me"},
    "breakout_end": {"breakout_uuid": "r1", "participant_uuid": "me"},
    "breakout_event": {"breakout_uuid": "r1", "event": "participant_delete", "data": {"uuid": "x"}},
    "breakout_refer": {"breakout_uuid": "r1", "breakout_name": "Room 1", "requester_uuid": "h"},
}


def test_every_event_name_has_a_class_and_a_sample() -> None:
    assert set(VALID) == EVENT_NAMES
    assert len(EVENT_CLASSES) == len(EVENT_NAMES) == 30


@pytest.mark.parametrize("name", sorted(VALID))
def test_each_event_parses_to_its_class(name: str) -> None:
    parsed = parse_event(name, json.dumps(VALID[name]))
    assert parsed is not None
    assert parsed.name == name
    assert type(parsed).name == name
    json.dumps(parsed.payload())  # JSON-able


@pytest.mark.parametrize("name", sorted(VALID))
def test_bytes_and_str_data_are_both_accepted(name: str) -> None:
    data = json.dumps(VALID[name])
    assert parse_event(name, data.encode()) == parse_event(name, data)


def test_v28_participant_gets_defaults_for_newer_fields() -> None:
    parsed = parse_event("participant_create", json.dumps(V28_PARTICIPANT))
    assert isinstance(parsed, ParticipantCreateEvent)
    p = parsed.data
    assert p.display_name == "Alice" and p.is_host and p.start_time == 1441720992
    assert p.is_client_muted is False
    assert p.supports_direct_chat is False
    assert p.receive_from_video_mix is None
    assert p.last_spoken_time == 0


def test_full_participant_object_has_42_typed_fields() -> None:
    assert len(Participant.model_fields) == 42
    p = Participant.model_validate({**V28_PARTICIPANT, **NEWER_FIELDS})
    assert p.model_extra == {}
    assert p.receive_from_video_mix is not None
    mix_config = p.receive_from_video_mix.mix_config
    assert mix_config is not None and mix_config.transform_layout is not None
    assert mix_config.transform_layout.layout == "1:7"
    assert p.is_transferring is True and p.last_spoken_time == 1441721000.5


def test_unknown_fields_are_kept() -> None:
    parsed = parse_event("participant_update", json.dumps({"uuid": "a", "future_flag": [1, 2]}))
    assert parsed is not None and isinstance(parsed.data, Participant)
    assert parsed.data.model_extra == {"future_flag": [1, 2]}
    assert parsed.payload()["future_flag"] == [1, 2]
    status = parse_event("conference_update", json.dumps({"locked": True, "new_thing": "x"}))
    assert isinstance(status, ConferenceUpdateEvent)
    assert status.data.model_extra == {"new_thing": "x"}
    assert status.data.guests_muted is False  # absent booleans are False


def test_participant_helpers() -> None:
    p = Participant.model_validate({"uuid": "a", "uri": "sip:alice@example.com", "buzz_time": 3})
    assert p.name == "alice@example.com"  # SDK falls back to the uri without sip:
    assert p.hand_raised and not p.spotlighted and not p.audio_muted and not p.waiting


def test_stage_entries_are_sorted_by_stage_index() -> None:
    data = [
        {"participant_uuid": "b", "stage_index": 2, "vad": 0},
        {"participant_uuid": "a", "stage_index": 0, "vad": 100},
        {"participant_uuid": "c", "stage_index": 1, "vad": 0},
    ]
    parsed = parse_event("stage", json.dumps(data))
    assert isinstance(parsed, StageEvent)
    assert [e.participant_uuid for e in parsed.entries] == ["a", "c", "b"]
    assert parsed.entries[0].speaking


def test_refer_token_is_kept_but_never_shown() -> None:
    parsed = parse_event("refer", json.dumps(VALID["refer"]))
    assert isinstance(parsed, ReferEvent)
    assert parsed.data.token == "one-time-token"
    assert "one-time-token" not in repr(parsed)
    assert "one-time-token" not in json.dumps(parsed.payload())


def test_splash_screen_null_clears() -> None:
    parsed = parse_event("splash_screen", "null")
    assert isinstance(parsed, SplashScreenEvent) and parsed.data is None


def test_breakout_event_carries_the_parsed_inner_event() -> None:
    parsed = parse_event("breakout_event", json.dumps(VALID["breakout_event"]))
    assert isinstance(parsed, BreakoutEventEvent)
    assert isinstance(parsed.inner, ParticipantDeleteEvent)
    assert parsed.inner.uuid == "x"
    other = {"breakout_uuid": "r", "event": "stage", "data": []}  # not a room event: no inner
    parsed = parse_event("breakout_event", json.dumps(other))
    assert isinstance(parsed, BreakoutEventEvent) and parsed.inner is None


def test_unknown_event_and_empty_data_are_ignored() -> None:
    assert parse_event("message", "{}") is None
    assert parse_event("something_new", "{not json") is None
    assert parse_event("participant_update", "") is None
    assert parse_event("stage", b"  ") is None


@pytest.mark.parametrize(
    ("name", "data", "problem"),
    [
        ("participant_update", "{not json", "Invalid JSON"),
        ("participant_update", "{}", "uuid"),
        ("participant_update", '{"uuid": ""}', "uuid"),
        ("participant_update", '{"uuid": "a", "is_muted": 5}', "is_muted"),
        ("participant_update", '{"uuid": "a", "role": "king"}', "role"),
        ("participant_update", '{"uuid": "a", "buzz_time": "soon"}', "buzz_time"),
        ("participant_update", '{"uuid": "a", "buzz_time": NaN}', "buzz_time"),
        ("participant_update", "[]", "object"),
        ("participant_delete", "{}", "uuid"),
        ("stage", "{}", "array"),
        ("stage", '[{"stage_index": 0}]', "participant_uuid"),
        ("presentation_frame", "null", "object"),
        ("refer", '{"alias": "x"}', "token"),
        ("on_hold", '"perhaps"', "boolean"),
        ("cancel_refer", '{"k": 1}', "<key>: Input should be a valid string"),
        (
            "breakout_event",
            '{"breakout_uuid": "r", "event": "participant_delete", "data": {}}',
            "uuid",
        ),
        ("conference_update", '{"locked": "maybe"}', "locked"),
    ],
)
def test_malformed_payloads_raise_a_clear_error(name: str, data: str, problem: str) -> None:
    with pytest.raises(MalformedEventError) as info:
        parse_event(name, data)
    message = str(info.value)
    assert message.startswith(f"malformed {name} event: ")
    assert problem in message
    assert info.value.event_name == name
    assert isinstance(info.value, ValueError)


def test_error_message_never_echoes_the_payload() -> None:
    secret = "tok-3f9a8c-secret"
    cases = [
        ("refer", json.dumps({"alias": 5, "token": secret})),
        ("participant_update", json.dumps({"uuid": "a", "is_muted": secret})),
        ("participant_update", '{"uuid": "a", "display_name": "' + secret),
        ("cancel_refer", json.dumps({"reason": {"nested": secret}})),
        ("cancel_refer", json.dumps({secret: 1})),
    ]
    for name, data in cases:
        with pytest.raises(MalformedEventError) as info:
            parse_event(name, data)
        assert secret not in str(info.value)
        assert secret not in repr(info.value)


def test_error_message_is_short_for_many_problems() -> None:
    data = json.dumps({"uuid": 1, "role": 2, "is_muted": 3, "buzz_time": "x", "spotlight": "y"})
    with pytest.raises(MalformedEventError) as info:
        parse_event("participant_update", data)
    assert "and 2 more" in str(info.value)


def test_full_participants_share_one_fields_set_with_the_same_contents() -> None:
    full = json.dumps({**V28_PARTICIPANT, **NEWER_FIELDS})
    first = parse_event("participant_update", full)
    second = parse_event("participant_create", full)
    assert isinstance(first, ParticipantUpdateEvent)
    assert second is not None and isinstance(second.data, Participant)
    assert first.data.model_fields_set == set(Participant.model_fields)
    assert first.data.model_fields_set is second.data.model_fields_set
    dumped = first.data.model_dump(mode="json", exclude_unset=True)
    assert set(dumped) == set(Participant.model_fields)
    copy = first.data.model_copy(update={"display_name": "Copy"})
    assert copy.display_name == "Copy"
    assert first.data.model_fields_set == set(Participant.model_fields)


def test_partial_or_extended_participants_keep_their_own_fields_set() -> None:
    v28 = parse_event("participant_update", json.dumps(V28_PARTICIPANT))
    extended = parse_event(
        "participant_update", json.dumps({**V28_PARTICIPANT, **NEWER_FIELDS, "future": 1})
    )
    assert v28 is not None and isinstance(v28.data, Participant)
    assert extended is not None and isinstance(extended.data, Participant)
    assert v28.data.model_fields_set == set(V28_PARTICIPANT)
    assert "future" in extended.data.model_fields_set
    assert extended.data.model_extra == {"future": 1}
    assert v28.data.model_dump(exclude_unset=True).keys() == V28_PARTICIPANT.keys()
