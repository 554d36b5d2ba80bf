"""ACS events as the console receives them: Call Automation callbacks (CloudEvents) and
Event Grid deliveries (the validation handshake, IncomingCall). Hostile input: anything
malformed is skipped and counted, never raised past `parse_*`.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

PREFIX = "Microsoft.Communication."
VALIDATION = "Microsoft.EventGrid.SubscriptionValidationEvent"
INCOMING = "Microsoft.Communication.IncomingCall"
MAX_EVENTS = 100
MAX_TEXT = 4096


class BodyError(ValueError):
    """The body is not a JSON array (or object) of events at all."""


@dataclass(frozen=True, slots=True)
class Result:
    code: int | None
    sub_code: int | None
    message: str

    def describe(self) -> str:
        codes = "/".join(str(c) for c in (self.code, self.sub_code) if c is not None)
        return f"{codes} {self.message}".strip() if codes else self.message


@dataclass(frozen=True, slots=True)
class CallEvent:
    """One Call Automation callback (`kind` without the Microsoft.Communication. prefix)."""

    id: str
    kind: str
    call_connection_id: str
    server_call_id: str = ""
    correlation_id: str = ""
    operation_context: str | None = None
    result: Result | None = None
    sequence_number: int | None = None
    participants: tuple[str, ...] = ()  # raw ids
    data: dict[str, Any] = field(default_factory=dict, repr=False, compare=False)


@dataclass(frozen=True, slots=True)
class IncomingCall:
    id: str
    incoming_call_context: str = field(repr=False)
    server_call_id: str
    correlation_id: str
    caller: str  # phone number or raw id, untrusted
    caller_name: str  # untrusted
    to: str


@dataclass(frozen=True, slots=True)
class Validation:
    id: str
    code: str


GridEvent = IncomingCall | Validation


def _load(raw: bytes) -> list[Any]:
    try:
        value = json.loads(raw)
    except (ValueError, RecursionError):
        raise BodyError("the body is not JSON") from None
    if isinstance(value, dict):
        value = [value]
    if not isinstance(value, list):
        raise BodyError("the body is not a JSON array of events")
    return value[:MAX_EVENTS]


def _text(value: object, limit: int = MAX_TEXT) -> str:
    return value[:limit] if isinstance(value, str) else ""


def _int(value: object) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def identifier_text(identifier: object) -> str:
    """A phone number, or the raw id, of a CommunicationIdentifierModel."""
    if not isinstance(identifier, dict):
        return ""
    phone = identifier.get("phoneNumber")
    if isinstance(phone, dict) and isinstance(phone.get("value"), str):
        return _text(phone["value"], 64)
    return _text(identifier.get("rawId"), 512)


def _result(value: object) -> Result | None:
    if not isinstance(value, dict):
        return None
    return Result(_int(value.get("code")), _int(value.get("subCode")), _text(value.get("message")))


def _call_event(item: object) -> CallEvent | None:
    if not isinstance(item, dict):
        return None
    kind, event_id, data = item.get("type"), item.get("id"), item.get("data")
    if not isinstance(kind, str) or not kind.startswith(PREFIX) or not isinstance(data, dict):
        return None
    call_id = _text(data.get("callConnectionId"), 256)
    if not isinstance(event_id, str) or not event_id or not call_id:
        return None
    participants = data.get("participants")
    raw_ids = tuple(
        identifier_text(p.get("identifier"))
        for p in (participants if isinstance(participants, list) else [])[:MAX_EVENTS]
        if isinstance(p, dict)
    )
    context = data.get("operationContext")
    return CallEvent(
        id=event_id[:256],
        kind=kind[len(PREFIX) :][:64],
        call_connection_id=call_id,
        server_call_id=_text(data.get("serverCallId"), 512),
        correlation_id=_text(data.get("correlationId"), 256),
        operation_context=context[:MAX_TEXT] if isinstance(context, str) else None,
        result=_result(data.get("resultInformation")),
        sequence_number=_int(data.get("sequenceNumber")),
        participants=raw_ids,
        data=data,
    )


def parse_callbacks(raw: bytes) -> tuple[list[CallEvent], int]:
    """The callback events in a body, and how many items were skipped as malformed."""
    items = _load(raw)
    events = [e for e in (_call_event(i) for i in items) if e is not None]
    return events, len(items) - len(events)


def _grid_event(item: object) -> GridEvent | None:
    if not isinstance(item, dict) or not isinstance(item.get("data"), dict):
        return None
    data, kind, event_id = item["data"], item.get("eventType"), _text(item.get("id"), 256)
    if kind == VALIDATION:
        code = data.get("validationCode")
        return Validation(event_id, code[:256]) if isinstance(code, str) and code else None
    if kind != INCOMING:
        return None
    context = data.get("incomingCallContext")
    server_call_id = _text(data.get("serverCallId"), 512)
    if not isinstance(context, str) or not context or len(context) > 16_384 or not server_call_id:
        return None
    return IncomingCall(
        id=event_id,
        incoming_call_context=context,
        server_call_id=server_call_id,
        correlation_id=_text(data.get("correlationId"), 256),
        caller=identifier_text(data.get("from")),
        caller_name=_text(data.get("callerDisplayName"), 256),
        to=identifier_text(data.get("to")),
    )


def parse_event_grid(raw: bytes) -> tuple[list[GridEvent], int]:
    items = _load(raw)
    events = [e for e in (_grid_event(i) for i in items) if e is not None]
    return events, len(items) - len(events)
