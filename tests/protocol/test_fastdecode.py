"""The fast participant decoder: it takes only full, strictly typed participants and then
returns exactly the light participant the schema's validation gives (pydantic, then
``from_model``); everything else is declined and left to pydantic.

The property tests compare the two on valid, mutated, lax and hostile payloads; the
``fuzz`` variant runs ``PEXTUI_FUZZ_EXAMPLES`` examples (default 1,000;
``pytest -m fuzz``, see tests/fuzzing.py).
"""

from __future__ import annotations

import gc
import json
from typing import Any

import msgspec
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pydantic import BaseModel, ValidationError

from pextui.protocol.models import (
    Participant,
    ParticipantDeleteEvent,
    ParticipantRef,
    ParticipantUpdateEvent,
    Payload,
    parse_event,
)
from pextui.protocol.models.fastdecode import decode_full_participant, decode_participant_ref
from pextui.protocol.models.mirror import Mirror
from pextui.protocol.models.participant import (
    KNOWN_VALUES,
    FullParticipant,
    ParticipantModel,
    from_model,
    to_model,
)
from tests.fuzzing import FUZZ_EXAMPLES

validate_json = ParticipantModel.__pydantic_validator__.validate_json

FULL: dict[str, Any] = {
    "uuid": "0f1e2d3c-0000-4000-8000-000000000001",
    "display_name": "Alice Andersen",
    "role": "chair",
    "is_muted": "YES",
    "is_client_muted": False,
    "is_video_muted": True,
    "is_video_silent": False,
    "is_main_video_dropped_out": False,
    "is_presenting": "NO",
    "presentation_supported": "YES",
    "rx_presentation_policy": "DENY",
    "needs_presentation_in_mix": False,
    "buzz_time": 1763200000.25,
    "spotlight": 0,
    "start_time": 1763000000,
    "last_spoken_time": 0.0,
    "call_direction": "out",
    "protocol": "sip",
    "is_audio_only_call": "NO",
    "is_video_call": "YES",
    "has_media": True,
    "encryption": "On",
    "mute_supported": "YES",
    "disconnect_supported": "YES",
    "transfer_supported": "NO",
    "fecc_supported": "NO",
    "is_streaming_conference": False,
    "is_external": False,
    "external_node_uuid": "",
    "is_conjoined": False,
    "is_transferring": False,
    "is_idp_authenticated": True,
    "supports_direct_chat": True,
    "local_alias": "meet.demo",
    "overlay_text": "Alice",
    "service_type": "conference",
    "uri": "sip:alice@example.com",
    "vendor": "Pexip Infinity Connect/2.0.0",
    "call_tag": "",
    "api_url": "",
    "can_receive_personal_mix": True,
    "receive_from_video_mix": {"mix_name": "main", "timestamp": 0},
}


def same_model(fast: BaseModel, slow: BaseModel) -> None:
    """Everything observable about two pydantic models is the same."""
    assert type(fast) is type(slow)
    assert fast.__dict__ == slow.__dict__
    assert fast.model_fields_set == slow.model_fields_set
    assert fast.__pydantic_extra__ == slow.__pydantic_extra__
    assert fast.__pydantic_private__ == slow.__pydantic_private__
    assert fast.model_dump_json() == slow.model_dump_json()
    assert fast.model_dump_json(exclude_unset=True) == slow.model_dump_json(exclude_unset=True)
    assert fast == slow
    assert hash(fast) == hash(slow)
    for name, value in fast.__dict__.items():
        if isinstance(value, BaseModel):
            same_model(value, getattr(slow, name))


def same_participant(fast: Participant, slow: BaseModel) -> None:
    """Everything observable about the fast participant is what the schema's model (and
    the light participant made from it) says."""
    light = from_model(slow)
    assert type(fast) is type(light)
    assert not gc.is_tracked(fast)
    for name in ParticipantModel.model_fields:
        value, expected = getattr(fast, name), getattr(slow, name)
        assert type(value) is type(expected) and value == expected
        if isinstance(value, BaseModel):
            same_model(value, expected)
    assert fast.model_fields_set == slow.model_fields_set
    assert fast.model_extra == (slow.__pydantic_extra__ or {})
    assert to_model(fast).model_dump_json() == slow.model_dump_json()
    assert to_model(fast).model_dump_json(exclude_unset=True) == slow.model_dump_json(
        exclude_unset=True
    )
    assert fast.model_dump(mode="json") == slow.model_dump(mode="json")
    assert fast == light
    assert hash(fast) == hash(light)


def check_agrees_with_pydantic(data: str | bytes) -> Participant | None:
    """The fast decoder either declines or returns what pydantic returns."""
    fast = decode_full_participant(data)
    try:
        slow: BaseModel | None = validate_json(data)
    except ValidationError:
        slow = None
    if fast is not None:
        assert slow is not None, "the fast path accepted what pydantic rejects"
        same_participant(fast, slow)
    return fast


def test_full_participant_takes_the_fast_path_and_equals_pydantics() -> None:
    data = json.dumps(FULL).encode()
    fast = check_agrees_with_pydantic(data)
    assert fast is not None
    assert fast.model_fields_set == set(Participant.model_fields)
    assert fast.receive_from_video_mix is not None
    assert fast.receive_from_video_mix.model_fields_set == {"mix_name", "timestamp"}
    assert isinstance(fast.spotlight, float) and isinstance(fast.start_time, float)


def test_str_data_takes_the_fast_path_too() -> None:
    assert check_agrees_with_pydantic(json.dumps(FULL, ensure_ascii=False)) is not None


@pytest.mark.parametrize(
    "change",
    [
        pytest.param({"is_muted": None}, id="missing-field"),  # None: drop the field
        pytest.param({"x_new_field": 1}, id="unknown-field"),
        pytest.param({"is_video_muted": "true"}, id="lax-bool"),
        pytest.param({"buzz_time": "1.5"}, id="lax-float"),
        pytest.param({"has_media": 1}, id="int-as-bool"),
        pytest.param({"receive_from_video_mix": {"mix_name": "main", "timestamp": 1, "x": 2}}),
        pytest.param(
            {"receive_from_video_mix": {"mix_name": "m", "timestamp": 1, "mix_config": {}}},
            id="nested-model-not-mirrored",
        ),
    ],
)
def test_anything_but_a_strict_full_participant_is_left_to_pydantic(
    change: dict[str, Any],
) -> None:
    obj = {**FULL, **change}
    obj = {key: value for key, value in obj.items() if value is not None}
    data = json.dumps(obj)
    assert decode_full_participant(data) is None
    event = parse_event("participant_update", data)  # pydantic accepts each of them
    assert isinstance(event, ParticipantUpdateEvent)
    if "x_new_field" in change:
        assert event.data.model_extra == {"x_new_field": 1}


@pytest.mark.parametrize(
    "data",
    [
        json.dumps({**FULL, "uuid": ""}),
        json.dumps({**FULL, "role": "owner"}),
        json.dumps(FULL).replace('"buzz_time": 1763200000.25', '"buzz_time": 1e400'),
        json.dumps(FULL)[:-1],
        "\ufeff" + json.dumps(FULL),
        json.dumps({**FULL, "display_name": "\ud800"}),
    ],
    ids=["empty-uuid", "bad-literal", "infinite", "truncated", "bom", "lone-surrogate"],
)
def test_invalid_payloads_are_declined_and_pydantic_reports_them(data: str) -> None:
    assert check_agrees_with_pydantic(data) is None


def test_duplicate_keys_end_as_pydantic_ends_them() -> None:
    data = json.dumps(FULL)[:-1] + ', "display_name": "Second"}'
    fast = check_agrees_with_pydantic(data)
    assert fast is not None and fast.display_name == "Second"


def test_equal_video_mixes_are_shared_but_the_sign_of_zero_is_kept() -> None:
    first = decode_full_participant(json.dumps(FULL))
    second = decode_full_participant(json.dumps({**FULL, "uuid": "other"}))
    assert first is not None and second is not None
    assert first.receive_from_video_mix is second.receive_from_video_mix
    negative_zero = {"mix_name": "main", "timestamp": -0.0}
    negative = json.dumps({**FULL, "receive_from_video_mix": negative_zero})
    fast = check_agrees_with_pydantic(negative)
    assert fast is not None and fast.receive_from_video_mix is not None
    assert str(fast.receive_from_video_mix.timestamp) == "-0.0"


def test_a_negative_zero_mix_is_never_shared_with_a_positive_one() -> None:
    for first, second in ((-0.0, 0.0), (0.0, -0.0), (-0.0, -0.0)):
        mixes = []
        for number, timestamp in enumerate((first, second)):
            mix = {"mix_name": "sign-test", "timestamp": timestamp}
            obj = {**FULL, "uuid": f"u{number}", "receive_from_video_mix": mix}
            fast = check_agrees_with_pydantic(json.dumps(obj))
            assert fast is not None and fast.receive_from_video_mix is not None
            mixes.append(fast.receive_from_video_mix)
        assert [str(mix.timestamp) for mix in mixes] == [str(first), str(second)]


def test_zero_times_and_repeated_open_set_texts_share_one_object() -> None:
    zeros = {name: 0 for name in ("buzz_time", "spotlight", "start_time", "last_spoken_time")}
    vendor = "Pexip Infinity Connect/9.9 (" + "x" * 40 + ")"
    texts = {"vendor": vendor, "local_alias": "meet.shared.alias"}
    first, second = (
        check_agrees_with_pydantic(json.dumps({**FULL, **zeros, **texts, "uuid": uuid}))
        for uuid in ("one", "two")
    )
    assert first is not None and second is not None
    for name in (*zeros, *texts):
        assert getattr(first, name) is getattr(second, name), name
    negative = {name: -0.0 for name in zeros}
    signed = check_agrees_with_pydantic(json.dumps({**FULL, **negative}))
    assert signed is not None
    assert [str(getattr(signed, name)) for name in zeros] == ["-0.0"] * len(zeros)


def test_an_overlay_text_equal_to_the_display_name_is_the_same_object() -> None:
    named = {**FULL, "display_name": "Dana Novak", "overlay_text": "Dana Novak"}
    fast = check_agrees_with_pydantic(json.dumps(named))
    assert fast is not None and fast.overlay_text is fast.display_name
    other = check_agrees_with_pydantic(json.dumps({**named, "overlay_text": "Room 4"}))
    assert other is not None
    assert (other.display_name, other.overlay_text) == ("Dana Novak", "Room 4")


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("call_direction", "sideways"),
        ("encryption", "Maybe"),
        ("protocol", "teams"),
        ("service_type", "media_playback"),
        ("protocol", "SIP"),
    ],
)
def test_a_closed_set_value_from_a_newer_server_parses_and_loses_nothing(
    field: str, value: str
) -> None:
    data = json.dumps({**FULL, field: value})
    assert decode_full_participant(data) is None  # not a documented value: left to pydantic
    event = parse_event("participant_update", data)
    assert isinstance(event, ParticipantUpdateEvent)
    assert getattr(event.data, field) == value
    assert type(event.data) is FullParticipant  # still every field, nothing else
    assert event.data.model_fields_set == set(Participant.model_fields)
    documented = decode_full_participant(json.dumps(FULL))
    assert documented is not None  # the same participant but for that one value:
    assert event.data == msgspec.structs.replace(documented, **{field: value})
    assert event.data.model_dump() == {**documented.model_dump(), field: value}


def test_documented_closed_set_values_are_decoded_to_one_shared_object() -> None:
    for field, values in KNOWN_VALUES.items():
        for value in values:
            first = check_agrees_with_pydantic(json.dumps({**FULL, field: value}))
            other = {**FULL, "uuid": "other", field: value}
            second = check_agrees_with_pydantic(json.dumps(other).encode())
            assert first is not None and second is not None
            assert getattr(first, field) == value
            assert getattr(first, field) is getattr(second, field)


def test_the_shared_empty_extras_never_change() -> None:
    first = decode_full_participant(json.dumps(FULL))
    second = decode_full_participant(json.dumps({**FULL, "uuid": "other"}))
    assert first is not None and second is not None
    assert first.model_extra is second.model_extra
    copied = first.model_copy(update={"future_flag": 1})
    assert copied.model_extra == {"future_flag": 1}
    with pytest.raises(AttributeError):
        first.future_flag = 2  # type: ignore[attr-defined]
    with pytest.raises(AttributeError):
        first.display_name = "changed"  # type: ignore[misc]
    assert first.model_extra == second.model_extra == {}
    third = decode_full_participant(json.dumps({**FULL, "uuid": "third"}))
    assert third is not None and third.model_extra == {}


def test_a_field_type_it_cannot_mirror_fails_loudly() -> None:
    class Future(Payload):
        uuid: str
        tags: list[str] = []

    with pytest.raises(TypeError, match=r"Future\.tags"):
        Mirror(Future)


# --- properties --------------------------------------------------------------------------

HOSTILE_TEXT = ["", "\x00", "\x1b]52;c;aGk=\x07", "[bold]x[/]", "\u202eevil", "名前 👍", "\ud800"]
lax_values = st.sampled_from(["true", "false", "YES", "NO", "yes", 1, 0, "1", "1.5", None, [], {}])
texts = st.text(max_size=30) | st.sampled_from(HOSTILE_TEXT)
numbers = (
    st.integers(-(2**70), 2**70)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.sampled_from([-0.0, 0, 1e308, -1e308])
)


def strict_value(draw: st.DrawFn, name: str, value: Any) -> Any:
    """Another value of the declared, strict type of ``name``."""
    if isinstance(value, bool):
        return draw(st.booleans())
    if isinstance(value, (int, float)):
        return draw(numbers)
    if value in ("YES", "NO"):
        return draw(st.sampled_from(["YES", "NO"]))
    if name == "role":
        return draw(st.sampled_from(["chair", "guest"]))
    if name == "rx_presentation_policy":
        return draw(st.sampled_from(["ALLOW", "DENY"]))
    if name in KNOWN_VALUES:  # mostly a documented value, sometimes one of a newer server
        return draw(st.sampled_from(KNOWN_VALUES[name]) | texts)
    if name == "receive_from_video_mix":
        return draw(st.none() | st.fixed_dictionaries({"mix_name": texts, "timestamp": numbers}))
    if name == "uuid":
        return draw(texts.filter(bool))
    return draw(texts)


@st.composite
def participant_payloads(draw: st.DrawFn) -> str:
    obj = {name: strict_value(draw, name, value) for name, value in FULL.items()}
    for _ in range(draw(st.integers(0, 3))):
        field = draw(st.sampled_from(sorted(FULL)) | st.text(max_size=8))
        action = draw(st.sampled_from(["drop", "lax", "any"]))
        if action == "drop":
            obj.pop(field, None)
        else:
            obj[field] = draw(lax_values if action == "lax" else texts | numbers | st.booleans())
    return json.dumps(obj, ensure_ascii=draw(st.booleans()))


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(participant_payloads())
def test_fast_path_agrees_with_pydantic(data: str) -> None:
    check_agrees_with_pydantic(data)


@settings(max_examples=150, deadline=None)
@given(st.fixed_dictionaries({name: st.just(value) for name, value in FULL.items()}), texts)
def test_every_strict_full_participant_is_taken(obj: dict[str, Any], name: str) -> None:
    data = json.dumps({**obj, "display_name": name, "overlay_text": name})
    expected_fast = "\ud800" not in name  # not valid JSON text once encoded as UTF-8
    assert (check_agrees_with_pydantic(data) is not None) is expected_fast


@pytest.mark.fuzz
@pytest.mark.timeout(1800)  # the suite-wide 120 s cuts a fuzz run on a loaded machine
@settings(max_examples=FUZZ_EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck))
@given(participant_payloads())
def test_fast_path_agrees_with_pydantic_fuzz(data: str) -> None:
    check_agrees_with_pydantic(data)


# --- participant_delete -------------------------------------------------------------------

ref_payloads = st.one_of(
    st.fixed_dictionaries({"uuid": texts}),
    st.fixed_dictionaries({"uuid": texts | numbers | lax_values, "extra": texts}),
    st.dictionaries(st.text(max_size=6), texts | numbers | lax_values, max_size=3),
).map(json.dumps)


@settings(max_examples=300, deadline=None)
@given(ref_payloads)
def test_delete_fast_path_agrees_with_pydantic(data: str) -> None:
    fast = decode_participant_ref(data)
    try:
        slow: ParticipantRef | None = ParticipantRef.__pydantic_validator__.validate_json(data)
    except ValidationError:
        slow = None
    if fast is not None:
        assert slow is not None, "the fast path accepted what pydantic rejects"
        same_model(fast, slow)


def test_a_plain_delete_takes_the_fast_path() -> None:
    data = b'{"uuid": "p1"}'
    assert decode_participant_ref(data) is not None
    event = parse_event("participant_delete", data)
    assert isinstance(event, ParticipantDeleteEvent) and event.uuid == "p1"
    assert decode_participant_ref(b'{"uuid": "p1", "why": "left"}') is None  # kept by pydantic
    kept = parse_event("participant_delete", b'{"uuid": "p1", "why": "left"}')
    assert isinstance(kept, ParticipantDeleteEvent) and kept.data.model_extra == {"why": "left"}
