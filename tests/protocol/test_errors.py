"""Typed errors: the server's reason, the Pexip error code, no secrets."""

from __future__ import annotations

from pextui.protocol.errors import (
    UNKNOWN_ERROR_CODE,
    ActionError,
    ExtensionRequiredError,
    InvalidPinError,
    PinRequiredError,
    ServerError,
    TokenError,
    error_code,
    protect_secret,
)


def test_error_codes_of_protocol_section_8() -> None:
    assert error_code("Invalid PIN") == "#pex101"
    assert error_code("Neither conference nor gateway found") == "#pex154"
    assert error_code("Disconnected by another participant") == "#pex124"
    assert error_code("503 Service Unavailable") == "#pex112"
    assert error_code("something new") == UNKNOWN_ERROR_CODE == "#pex117"


def test_errors_carry_reason_and_code() -> None:
    assert InvalidPinError().code == "#pex101"
    assert str(ServerError(502, "502 Bad Gateway")) == "502 Bad Gateway (HTTP 502)"
    assert ServerError(502, "502 Bad Gateway").code == "#pex111"
    error = ActionError("mute", "Invalid token", 403)
    assert str(error) == "mute failed: Invalid token"
    assert error.code == "#pex113" and error.status == 403
    assert TokenError("refused", 403).status == 403
    pin = PinRequiredError(host_pin=True, guest_pin=False)
    assert "guests may join without a PIN" in pin.reason
    assert "--extension" in ExtensionRequiredError("mssip").reason


def test_registered_secrets_never_appear_in_messages() -> None:
    protect_secret("S3cretT0ken")
    error = ActionError("lock", "token S3cretT0ken is bad")
    assert "S3cretT0ken" not in str(error)
    assert "S3cretT0ken" not in repr(error)
    assert "[redacted]" in error.reason
