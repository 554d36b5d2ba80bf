"""Request bodies are validated before sending, with messages that say what is allowed."""

from __future__ import annotations

import pytest

from pextui.protocol import requests as rq
from pextui.protocol.requests import RequestValidationError


@pytest.mark.parametrize("digits", ["0123456789", "*#", "ABCD", "1#"])
def test_dtmf_accepts_keypad_digits(digits: str) -> None:
    assert rq.dtmf_body(digits) == {"digits": digits}


@pytest.mark.parametrize("digits", ["", "12x", "abcd", "1 2", "E", "9" * 65])
def test_dtmf_refuses_other_characters(digits: str) -> None:
    with pytest.raises(RequestValidationError, match="DTMF"):
        rq.dtmf_body(digits)


def test_dial_body_enums_and_defaults() -> None:
    body = rq.dial_body(
        "bob@example.com", role="host", protocol="SIP", call_type="audio", streaming=True
    )
    assert body == {
        "destination": "bob@example.com",
        "role": "HOST",
        "protocol": "sip",
        "call_type": "audio",
        "streaming": "yes",
    }
    assert rq.dial_body("x")["protocol"] == "auto"
    with pytest.raises(RequestValidationError, match="dial role must be one of HOST, GUEST"):
        rq.dial_body("x", role="chair")
    with pytest.raises(RequestValidationError, match="call type"):
        rq.dial_body("x", call_type="hologram")
    with pytest.raises(RequestValidationError, match="destination must not be empty"):
        rq.dial_body("  ")
    with pytest.raises(RequestValidationError, match="keep_conference_alive"):
        rq.dial_body("x", keep_conference_alive="forever")


def test_layouts_from_the_known_set_or_the_node() -> None:
    assert rq.transform_layout_body("4:0") == {"transforms": {"layout": "4:0"}}
    with pytest.raises(RequestValidationError, match="layout must be one of"):
        rq.transform_layout_body("3:3")
    assert rq.transform_layout_body("custom", available=["custom", "ac"])["transforms"] == {
        "layout": "custom"
    }
    with pytest.raises(RequestValidationError, match="guest_layout"):
        rq.transform_layout_body(guest_layout="1:0", available=["ac"])
    body = rq.transform_layout_body(
        host_layout="ac", streaming_layout="1:0", enable_overlay_text=False,
        free_form_overlay_text=["a", "b"],
    )  # fmt: skip
    assert body["transforms"] == {
        "host_layout": "ac",
        "streaming": {"layout": "1:0"},
        "enable_overlay_text": False,
        "free_form_overlay_text": ["a", "b"],
    }
    with pytest.raises(RequestValidationError, match="at least one change"):
        rq.transform_layout_body()


def test_transfer_roles_and_pin() -> None:
    assert rq.transfer_body("meet.x", "chair", "1234") == {
        "conference_alias": "meet.x",
        "role": "host",
        "pin": "1234",
    }
    assert rq.transfer_body("meet.x") == {"conference_alias": "meet.x", "role": "guest"}
    with pytest.raises(RequestValidationError, match="transfer role must be one of host, guest"):
        rq.transfer_body("meet.x", "boss")
    with pytest.raises(RequestValidationError, match="PIN must be 1 to 20 digits") as caught:
        rq.transfer_body("meet.x", "guest", "12a4")
    assert "12a4" not in str(caught.value)
    with pytest.raises(RequestValidationError, match="alias"):
        rq.transfer_body("a b", "guest")


def test_role_message_overlay_and_flags() -> None:
    assert rq.role_body("host") == {"role": "chair"}
    assert rq.role_body("GUEST") == {"role": "guest"}
    with pytest.raises(RequestValidationError):
        rq.role_body("admin")
    assert rq.message_body("hi") == {"type": "text/plain", "payload": "hi"}
    assert rq.message_body("{}", "application/json")["type"] == "application/json"
    with pytest.raises(RequestValidationError, match="message type"):
        rq.message_body("hi", "text/html")
    with pytest.raises(RequestValidationError, match="message must not be empty"):
        rq.message_body("   ")
    assert rq.overlay_text_body("") == {"text": ""}
    with pytest.raises(RequestValidationError, match="too long"):
        rq.overlay_text_body("x" * 257)
    assert rq.pres_in_mix_body(True) == {"state": True}
    assert rq.guests_can_unmute_body(False) == {"setting": False}


def test_fecc_movements() -> None:
    body = rq.fecc_body("start", [("pan", "left"), ("zoom", "in")], target="u1", timeout_ms=1000)
    assert body == {
        "action": "start",
        "movement": [{"axis": "pan", "direction": "left"}, {"axis": "zoom", "direction": "in"}],
        "target": "u1",
        "timeout": 1000,
    }
    with pytest.raises(RequestValidationError, match="FECC action"):
        rq.fecc_body("go", [("pan", "left")])
    with pytest.raises(RequestValidationError, match="FECC axis"):
        rq.fecc_body("start", [("roll", "left")])
    with pytest.raises(RequestValidationError, match="at least one movement"):
        rq.fecc_body("stop", [])
    with pytest.raises(RequestValidationError, match="at most once"):
        rq.fecc_body("start", [("pan", "left"), ("pan", "right")])


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("silent_after", 0),
        ("silent_after", 121),
        ("reactivate_after", 6),
        ("reactivate_after", 0.5),
    ],
)
def test_silent_video_detection_ranges(field: str, value: float) -> None:
    with pytest.raises(RequestValidationError, match=field):
        rq.silent_video_detection_body(**{field: value})


def test_silent_video_detection_body() -> None:
    assert rq.silent_video_detection_body(True, 120, False, 5) == {
        "config": {
            "enable": True,
            "silent_after": 120,
            "require_no_faces": False,
            "reactivate_after": 5,
        }
    }
    with pytest.raises(RequestValidationError, match="at least one"):
        rq.silent_video_detection_body()


@pytest.mark.parametrize("kbps", [256, 1024, 2464])
def test_bandwidth_in_range(kbps: int) -> None:
    assert rq.validate_bandwidth(kbps) == kbps


@pytest.mark.parametrize("kbps", [255, 2465, 0, -1])
def test_bandwidth_out_of_range(kbps: int) -> None:
    with pytest.raises(RequestValidationError, match="between 256 and 2464"):
        rq.validate_bandwidth(kbps)


def test_validation_errors_are_value_errors() -> None:
    assert issubclass(RequestValidationError, ValueError)
