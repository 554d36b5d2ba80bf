"""Reading the node's answers: the `{status, result}` envelope, token grants, join refusals."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

import httpx

from pextui.protocol.errors import (
    AccessDeniedError,
    ConferenceNotFoundError,
    ExtensionRequiredError,
    InvalidPinError,
    MaintenanceError,
    PexipError,
    PinRequiredError,
    ProtocolError,
    ServerError,
    clean_reason,
)


@dataclass(frozen=True)
class TokenGrant:
    """The useful part of a request_token result (the token itself never in repr)."""

    token: str = field(repr=False)
    expires_s: float
    participant_uuid: str
    role: str
    display_name: str
    conference_name: str | None = None
    service_type: str | None = None
    current_service_type: str | None = None
    chat_enabled: bool = False


@dataclass
class Envelope:
    """One decoded answer: the HTTP status and the envelope's `result` (or bounded raw text)."""

    status_code: int
    result: Any
    is_json: bool


def status_phrase(status: int) -> str:
    try:
        phrase = httpx.codes.get_reason_phrase(status)
    except ValueError:
        phrase = ""
    return f"{status} {phrase}".strip()


def decode_envelope(response: httpx.Response) -> Envelope:
    """The envelope's `result` (or the raw text for a non-JSON body, bounded)."""
    content_type = response.headers.get("content-type", "")
    text = response.text
    if content_type.startswith("application/json") or text[:1] in ("{", "["):
        try:
            data = json.loads(text)
        except ValueError:
            return Envelope(response.status_code, text[:300], False)
        result = data.get("result") if isinstance(data, dict) and "result" in data else data
        return Envelope(response.status_code, result, True)
    return Envelope(response.status_code, text[:300], False)


def result_reason(envelope: Envelope, default: str) -> str:
    result = envelope.result
    if isinstance(result, str) and result.strip():
        return result
    return default


def parse_seconds(value: object) -> float | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return float(value) if value > 0 else None
    if isinstance(value, str):
        try:
            seconds = float(value)
        except ValueError:
            return None
        return seconds if seconds > 0 else None
    return None


def token_grant(result: Any, display_name: str) -> TokenGrant:
    if not isinstance(result, dict):
        raise ProtocolError("request_token answer is not an object")
    token = result.get("token")
    participant_uuid = result.get("participant_uuid")
    if not isinstance(token, str) or not token:
        raise ProtocolError("request_token answer has no token")
    if not isinstance(participant_uuid, str) or not participant_uuid:
        raise ProtocolError("request_token answer has no participant_uuid")
    expires = parse_seconds(result.get("expires"))
    if expires is None:
        raise ProtocolError("request_token answer has no valid expires")
    role = result.get("role")

    def text(name: str) -> str | None:
        value = result.get(name)
        return value if isinstance(value, str) else None

    return TokenGrant(
        token=token,
        expires_s=expires,
        participant_uuid=participant_uuid,
        role=role if role in ("HOST", "GUEST") else "GUEST",
        display_name=text("display_name") or display_name,
        conference_name=text("conference_name") or text("service_name"),
        service_type=text("service_type"),
        current_service_type=text("current_service_type"),
        chat_enabled=result.get("chat_enabled") is True,
    )


def join_error(envelope: Envelope) -> PexipError:
    status, result = envelope.status_code, envelope.result
    if status in (403, 415):
        if isinstance(result, str):
            if result.strip() == "Invalid PIN":
                return InvalidPinError(result)
            return AccessDeniedError(result)
        if isinstance(result, dict):
            if result.get("conference_extension") == "required":
                return ExtensionRequiredError(
                    str(result.get("conference_extension_type", "standard"))
                )
            if "pin" in result or "guest_pin" in result:
                return PinRequiredError(
                    host_pin=result.get("pin") == "required",
                    guest_pin=result.get("guest_pin") == "required",
                )
            if "idp" in result or "redirect_url" in result:
                return AccessDeniedError(
                    "This conference requires single sign-on, which pextui does not support"
                )
        return AccessDeniedError(f"access refused (HTTP {status})")
    if status == 404:
        return ConferenceNotFoundError(
            result_reason(envelope, "Neither conference nor gateway found")
        )
    reason = result_reason(envelope, status_phrase(status))
    if clean_reason(reason) == "System in maintenance mode":
        return MaintenanceError(reason)
    return ServerError(status, reason)
