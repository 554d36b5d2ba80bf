"""Property tests: arbitrary and hostile payloads through parse_event.

Only MalformedEventError may escape; whatever parses is the right typed event.
The ``fuzz`` variant runs ``PEXTUI_FUZZ_EXAMPLES`` examples (default 1,000;
``pytest -m fuzz``, see tests/fuzzing.py).
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pextui.protocol.models import EVENT_NAMES, MalformedEventError, Participant, parse_event
from tests.fuzzing import FUZZ_EXAMPLES

HOSTILE_TEXT = [
    "",
    " ",
    "\x00",
    "\x1b[31mred\x1b[0m",
    "\x1b]52;c;aGk=\x07",
    "[bold red]markup[/]",
    "<script>alert(1)</script>",
    "\u202eevil\u202c",
    "\u200b\ufeff",
    "名前 with ünïcödé 👍",
    "\r\n\t",
    "%s%n{0}",
]

json_scalars = (
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**80), max_value=2**80)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=40)
    | st.sampled_from(HOSTILE_TEXT)
    | st.integers(10_000, 100_000).map(lambda n: "A" * n)
)
json_values = st.recursive(
    json_scalars,
    lambda children: (
        st.lists(children, max_size=5) | st.dictionaries(st.text(max_size=12), children, max_size=6)
    ),
    max_leaves=25,
)

FULL_PARTICIPANT: dict[str, Any] = {
    name: field.default for name, field in Participant.model_fields.items() if name != "uuid"
}
FULL_PARTICIPANT["uuid"] = "4f1e2d3c"
FIELD_NAMES = sorted(FULL_PARTICIPANT)


@st.composite
def mutated_participant(draw: st.DrawFn) -> str:
    """A valid participant with a few fields replaced by junk, removed, or added."""
    obj = dict(FULL_PARTICIPANT)
    for _ in range(draw(st.integers(0, 4))):
        field = draw(st.sampled_from(FIELD_NAMES) | st.text(max_size=8))
        if draw(st.booleans()):
            obj.pop(field, None)
        else:
            obj[field] = draw(json_values)
    return json.dumps(obj, ensure_ascii=draw(st.booleans()))


def _encoded(value: Any, ascii_only: bool) -> str:
    return json.dumps(value, ensure_ascii=ascii_only)


payloads = (
    st.builds(_encoded, json_values, st.booleans())
    | mutated_participant()
    | st.text(max_size=200)
    | st.binary(max_size=200)
    | st.sampled_from(HOSTILE_TEXT)
    | st.sampled_from(["{", "[" * 5000, '{"uuid": "a"', "null", "NaN", "1e999", '"\\ud800"'])
)
names = st.sampled_from(sorted(EVENT_NAMES)) | st.text(max_size=20)


def check_parse(name: str, data: str | bytes) -> None:
    try:
        event = parse_event(name, data)
    except MalformedEventError as exc:
        assert str(exc).startswith(f"malformed {name} event: ")
        assert len(str(exc)) < 2_000
        return
    if event is not None:
        assert event.name == name
        json.dumps(event.payload())


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(names, payloads)
def test_parse_event_only_raises_malformed(name: str, data: str | bytes) -> None:
    check_parse(name, data)


@settings(max_examples=200, deadline=None)
@given(st.sampled_from(["participant_create", "participant_update"]), mutated_participant())
def test_participant_mutations(name: str, data: str) -> None:
    check_parse(name, data)


@pytest.mark.fuzz
@settings(max_examples=FUZZ_EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck))
@given(names, payloads)
def test_parse_event_fuzz(name: str, data: str | bytes) -> None:
    check_parse(name, data)
