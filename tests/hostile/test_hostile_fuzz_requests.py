"""Property tests of every request-body validator of pextui.protocol.requests.

For arbitrary (well-typed, often hostile) arguments each builder either returns a body
that satisfies the documented rule and can be sent as httpx sends JSON (UTF-8, no NaN),
or raises RequestValidationError; nothing else escapes, and what is accepted is exactly
what the rule allows (checked against an independent statement of the rule).
A few hundred examples per validator by default; ``PEXTUI_FUZZ_EXAMPLES`` each
(default 1,000, tests/fuzzing.py) under ``pytest -m fuzz``.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pextui.protocol import requests as rq
from tests.fuzzing import FUZZ_EXAMPLES

ANY_TEXT = st.text(max_size=80) | st.text(
    alphabet=st.characters(codec=None, exclude_categories=()), max_size=20
)
HOSTILE = st.sampled_from(
    ["", " ", "\x00", "\x1b[31m", "[/]", "\u202e", "\ud800", "1\n2", "a" * 300, "9" * 21]
)
TEXT = ANY_TEXT | HOSTILE
KEYPAD = st.text(alphabet="0123456789*#ABCDabcdE \n", max_size=70)
DIGITS = st.text(alphabet="0123456789", max_size=25) | TEXT
LAYOUT = st.sampled_from(sorted(rq.KNOWN_LAYOUTS)) | TEXT
ROLES = st.sampled_from(["host", "HOST", "chair", "guest", "Guest", "GUEST", "hoſt"]) | TEXT
NUMBER = (
    st.integers(-(2**40), 2**40)
    | st.floats(allow_nan=True, allow_infinity=True)
    | st.sampled_from([0, 1, 5, 120, 121, 256, 2464, 2465])
)


def sendable(body: dict[str, Any]) -> None:
    """As httpx encodes a JSON body: UTF-8, NaN and infinity refused."""
    json.dumps(body, ensure_ascii=False, allow_nan=False).encode("utf-8")


def encodable(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def outcome(build: Callable[[], dict[str, Any]]) -> dict[str, Any] | None:
    """The body, or None when refused with RequestValidationError (anything else fails)."""
    try:
        body = build()
    except rq.RequestValidationError as exc:
        assert str(exc), "a refusal must say why"
        return None
    sendable(body)
    return body


def alias_ok(alias: str) -> bool:
    return (
        bool(alias.strip())
        and len(alias) <= rq.MAX_ALIAS_LENGTH
        and not any(c.isspace() or c in "/?#" for c in alias)
        and encodable(alias)
    )


def text_ok(value: str, limit: int, *, allow_empty: bool = False) -> bool:
    return (allow_empty or bool(value.strip())) and len(value) <= limit and encodable(value)


def check(accepted: bool, body: dict[str, Any] | None) -> None:
    assert (body is not None) == accepted, f"accepted={body is not None}, rule says {accepted}"


# -- the validators, one property each --------------------------------------------------------


def dtmf(digits: str) -> None:
    body = outcome(lambda: rq.dtmf_body(digits))
    check(bool(re.fullmatch(r"[0-9*#ABCD]{1,64}", digits)), body)


def message(payload: str, mime: str) -> None:
    body = outcome(lambda: rq.message_body(payload, mime))
    check(mime in rq.MESSAGE_TYPES and text_ok(payload, rq.MAX_MESSAGE_PAYLOAD), body)


def overlay(text: str) -> None:
    body = outcome(lambda: rq.overlay_text_body(text))
    check(text_ok(text, rq.MAX_OVERLAY_TEXT, allow_empty=True), body)


def role(value: str) -> None:
    body = outcome(lambda: rq.role_body(value))
    check(value.lower() in ("host", "chair", "guest"), body)
    assert body is None or body["role"] in ("chair", "guest")


def transfer(alias: str, value: str, pin: str | None) -> None:
    body = outcome(lambda: rq.transfer_body(alias, value, pin))
    pin_ok = not pin or re.fullmatch(r"[0-9]{1,20}", pin) is not None
    check(alias_ok(alias) and value.lower() in ("host", "guest", "chair") and pin_ok, body)
    assert body is None or body["role"] in ("host", "guest")


def pin(value: str) -> None:
    try:
        rq.validate_pin(value)
        accepted = True
    except rq.RequestValidationError as exc:
        assert str(exc) == PIN_REFUSAL, "the message must not depend on (repeat) the PIN"
        accepted = False
    assert accepted == (re.fullmatch(r"[0-9]{1,20}", value) is not None)


PIN_REFUSAL = "PIN must be 1 to 20 digits"


def bandwidth(kbps: int) -> None:
    body = outcome(lambda: {"kbps": rq.validate_bandwidth(kbps)})
    check(256 <= kbps <= 2464, body)


def layout(name: str, available: list[str] | None) -> None:
    body = outcome(lambda: {"layout": rq.validate_layout(name, available)})
    allowed = set(available) if available else rq.KNOWN_LAYOUTS
    check(name in allowed and encodable(name), body)


def silent_video(enable: bool | None, after: float | None, again: float | None) -> None:
    build = lambda: rq.silent_video_detection_body(enable, after, None, again)  # noqa: E731
    body = outcome(build)

    def in_range(value: float | None, low: int, high: int) -> bool:
        return value is None or low <= value <= high

    some = enable is not None or after is not None or again is not None
    check(some and in_range(after, 1, 120) and in_range(again, 1, 5), body)


def fecc(action: str, moves: list[tuple[str, str]], timeout: int | None) -> None:
    body = outcome(lambda: rq.fecc_body(action, moves, None, timeout))
    axes = [axis for axis, _ in moves]
    moves_ok = (
        bool(moves)
        and len(set(axes)) == len(axes)
        and all(
            axis in rq.FECC_DIRECTIONS and direction in rq.FECC_DIRECTIONS[axis]
            for axis, direction in moves
        )
    )
    timeout_ok = timeout is None or 1 <= timeout <= 60_000
    check(action in rq.FECC_ACTIONS and moves_ok and timeout_ok, body)


def dial(destination: str, dial_role: str, protocol: str, call_type: str | None) -> None:
    body = outcome(
        lambda: rq.dial_body(destination, role=dial_role, protocol=protocol, call_type=call_type)
    )
    accepted = (
        text_ok(destination, rq.MAX_ALIAS_LENGTH)
        and dial_role.upper() in rq.DIAL_ROLES
        and protocol.lower() in rq.DIAL_PROTOCOLS
        and (call_type is None or call_type in rq.CALL_TYPES)
    )
    check(accepted, body)


def transform(layout_name: str | None, guest: str | None, texts: list[str] | None) -> None:
    body = outcome(
        lambda: rq.transform_layout_body(
            layout_name, guest_layout=guest, free_form_overlay_text=texts
        )
    )
    names_ok = all(
        n is None or (n in rq.KNOWN_LAYOUTS and encodable(n)) for n in (layout_name, guest)
    )
    texts_ok = texts is None or all(
        text_ok(t, rq.MAX_OVERLAY_TEXT, allow_empty=True) for t in texts
    )
    some = layout_name is not None or guest is not None or texts is not None
    check(some and names_ok and texts_ok, body)


FECC_MOVES = st.lists(
    st.tuples(
        st.sampled_from(["pan", "tilt", "zoom"]) | TEXT,
        st.sampled_from(["left", "right", "up", "down", "in", "out"]) | TEXT,
    ),
    max_size=4,
)
PROPERTIES: dict[str, tuple[Callable[..., None], tuple[st.SearchStrategy[Any], ...]]] = {
    "dtmf": (dtmf, (KEYPAD | TEXT,)),
    "message": (message, (TEXT, st.sampled_from(["text/plain", "application/json"]) | TEXT)),
    "overlay": (overlay, (TEXT,)),
    "role": (role, (ROLES,)),
    "transfer": (transfer, (TEXT | LAYOUT, ROLES, st.none() | DIGITS)),
    "pin": (pin, (DIGITS,)),
    "bandwidth": (bandwidth, (st.integers(-(2**40), 2**40) | st.integers(200, 2500),)),
    "layout": (layout, (LAYOUT, st.none() | st.lists(LAYOUT, max_size=4))),
    "silent_video": (
        silent_video,
        (st.none() | st.booleans(), st.none() | NUMBER, st.none() | NUMBER),
    ),
    "fecc": (
        fecc,
        (
            st.sampled_from(rq.FECC_ACTIONS) | TEXT,
            FECC_MOVES,
            st.none() | st.integers(-10, 70_000),
        ),
    ),
    "dial": (
        dial,
        (
            TEXT,
            ROLES,
            st.sampled_from(["sip", "SIP", "h323", "rtmp", "auto", "webrtc"]) | TEXT,
            st.none() | st.sampled_from(["video", "audio", "hologram"]),
        ),
    ),
    "transform_layout": (
        transform,
        (st.none() | LAYOUT, st.none() | LAYOUT, st.none() | st.lists(TEXT, max_size=3)),
    ),
}


def run(name: str, examples: int) -> None:
    check_one, strategies = PROPERTIES[name]

    @settings(max_examples=examples, deadline=None, suppress_health_check=list(HealthCheck))
    @given(st.tuples(*strategies))
    def prop(args: tuple[Any, ...]) -> None:
        check_one(*args)

    prop()


@pytest.mark.parametrize("name", sorted(PROPERTIES))
def test_request_validator(name: str) -> None:
    run(name, 200)


@pytest.mark.fuzz
@pytest.mark.timeout(1800)
@pytest.mark.parametrize("name", sorted(PROPERTIES))
def test_request_validator_fuzz(name: str) -> None:
    run(name, FUZZ_EXAMPLES)


@pytest.mark.parametrize(
    "build",
    [
        lambda: rq.dtmf_body("0\n"),
        lambda: rq.validate_pin("1234\n"),
        lambda: rq.transfer_body("meet.board", "guest", "5678\n"),
        lambda: rq.message_body("hi \ud800"),
        lambda: rq.overlay_text_body("\udcff"),
        lambda: rq.dial_body("sip:\ud800@example.com"),
        lambda: rq.transfer_body("meet\udc80board"),
        lambda: rq.validate_layout("\ud800", ["\ud800", "ac"]),
    ],
)
def test_found_by_fuzzing_refused(build: Callable[[], object]) -> None:
    """A trailing newline passed `^...$`; a lone surrogate cannot be sent as UTF-8 JSON."""
    with pytest.raises(rq.RequestValidationError):
        build()
