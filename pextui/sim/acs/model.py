"""The simulated ACS resource's calls, identifiers and event bodies (plain data, no I/O)."""

from __future__ import annotations

import datetime
import re
import uuid
from dataclasses import dataclass, field
from typing import Any, Literal

CallState = Literal["connecting", "connected", "transferring", "disconnecting", "disconnected"]
E164 = re.compile(r"^\+[1-9][0-9]{6,14}$")
API_VERSIONS = frozenset(
    {"2023-03-15", "2023-10-15", "2024-04-15", "2024-09-15", "2025-05-15", "2026-03-12"}
)
EVENT_VERSION = "2026-03-12"


def phone_identifier(number: str) -> dict[str, Any]:
    return {"rawId": f"4:{number}", "kind": "phoneNumber", "phoneNumber": {"value": number}}


def user_identifier(user_id: str) -> dict[str, Any]:
    return {"rawId": user_id, "kind": "communicationUser", "communicationUser": {"id": user_id}}


def target_of(identifier: object) -> str:
    """What a CommunicationIdentifierModel dials: +E164 or a raw id (ValueError if neither)."""
    if not isinstance(identifier, dict):
        raise ValueError("targetParticipant must be an object")
    phone = identifier.get("phoneNumber")
    if phone is not None:
        value = phone.get("value") if isinstance(phone, dict) else None
        if not isinstance(value, str) or not E164.match(value):
            raise ValueError("targetParticipant.phoneNumber.value must be an E.164 number")
        return value
    raw = identifier.get("rawId")
    if not isinstance(raw, str) or not raw.strip() or len(raw) > 512:
        raise ValueError("targetParticipant needs a rawId or a phoneNumber")
    if raw.startswith("4:"):
        number = raw[2:]
        if not E164.match(number):
            raise ValueError("targetParticipant.rawId is not a valid phone number")
        return number
    return raw.strip()


def now_iso() -> str:
    return datetime.datetime.now(datetime.UTC).isoformat().replace("+00:00", "Z")


@dataclass(slots=True)
class IncomingCall:
    """A call ringing at the resource, waiting to be answered by its context."""

    context: str
    caller: str  # +E164
    caller_name: str
    to: str  # +E164 the caller dialled
    server_call_id: str
    correlation_id: str
    answered_by: str | None = None  # call connection id


@dataclass(slots=True)
class SimCall:
    """One call connection (the application's leg of an answered call)."""

    id: str
    server_call_id: str
    correlation_id: str
    caller: str
    caller_name: str
    to: str
    callback_uri: str
    state: CallState = "connecting"
    sequence: int = 0  # ParticipantsUpdated sequenceNumber
    transfer_pending: str | None = None  # operation context of the transfer under way
    transferred_to: str | None = None
    history: list[str] = field(default_factory=list)

    def properties(self, app_id: str) -> dict[str, Any]:
        return {
            "callConnectionId": self.id,
            "serverCallId": self.server_call_id,
            "targets": [phone_identifier(self.to)],
            "callConnectionState": self.state,
            "callbackUri": self.callback_uri,
            "source": phone_identifier(self.caller),
            "correlationId": self.correlation_id,
            "answeredBy": {"id": app_id},
            "answeredFor": {"value": self.to},
        }

    def event_data(self, operation_context: str | None = None, **more: Any) -> dict[str, Any]:
        data: dict[str, Any] = {
            "version": EVENT_VERSION,
            "callConnectionId": self.id,
            "serverCallId": self.server_call_id,
            "correlationId": self.correlation_id,
        }
        if operation_context is not None:
            data["operationContext"] = operation_context
        data.update(more)
        return data


def cloud_event(call_id: str, kind: str, data: dict[str, Any]) -> dict[str, Any]:
    """One Call Automation callback event in the CloudEvents 1.0 JSON shape."""
    name = f"Microsoft.Communication.{kind}"
    return {
        "id": str(uuid.uuid4()),
        "source": f"calling/callConnections/{call_id}",
        "type": name,
        "data": {**data, "publicEventType": name},
        "time": now_iso(),
        "specversion": "1.0",
        "datacontenttype": "application/json",
        "subject": f"calling/callConnections/{call_id}",
    }


def result_information(code: int, sub_code: int, message: str) -> dict[str, Any]:
    return {"code": code, "subCode": sub_code, "message": message}


def incoming_call_event(call: IncomingCall, topic: str) -> dict[str, Any]:
    """The Event Grid event announcing `call` (Event Grid schema, as ACS publishes it)."""
    return {
        "id": str(uuid.uuid4()),
        "topic": topic,
        "subject": f"/caller/4:{call.caller}/recipient/4:{call.to}",
        "data": {
            "to": phone_identifier(call.to),
            "from": phone_identifier(call.caller),
            "serverCallId": call.server_call_id,
            "callerDisplayName": call.caller_name,
            "incomingCallContext": call.context,
            "correlationId": call.correlation_id,
        },
        "eventType": "Microsoft.Communication.IncomingCall",
        "dataVersion": "1.0",
        "metadataVersion": "1",
        "eventTime": now_iso(),
    }


def validation_event(code: str, topic: str) -> dict[str, Any]:
    return {
        "id": str(uuid.uuid4()),
        "topic": topic,
        "subject": "",
        "data": {"validationCode": code, "validationUrl": ""},
        "eventType": "Microsoft.EventGrid.SubscriptionValidationEvent",
        "eventTime": now_iso(),
        "metadataVersion": "1",
        "dataVersion": "2",
    }


def error_body(code: str, message: str) -> dict[str, Any]:
    return {"error": {"code": code, "message": message}}
