"""(30011) Call Status Changed, typed; everything else from the socket is skipped, not fatal.

The guide shows `msg` as a JSON *string* holding the Call_Info object; an object is accepted
as well. `parse_message` returns a `CallStatusChanged`, an `Ack` (the subscription's or a
heartbeat's answer), or None for an event of another type; it raises `MalformedEvent` for
text that is not what the guide describes (the stream logs and skips it).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any, Literal

CALL_STATUS_CHANGED = 30011
MemberKind = Literal["extension", "inbound", "outbound"]
MEMBER_KINDS: tuple[MemberKind, ...] = ("extension", "inbound", "outbound")
MemberStatus = Literal["ALERT", "RING", "EARLYMEDIA", "ANSWERED", "ANSWER", "HOLD", "BYE"]
MEMBER_STATUSES: tuple[MemberStatus, ...] = (
    "ALERT",  # the caller hears ringback
    "RING",  # the callee is ringing
    "EARLYMEDIA",  # outbound callee ringing (183 from the far end)
    "ANSWERED",  # the caller's call was answered
    "ANSWER",  # the callee answered and talks
    "HOLD",
    "BYE",
)
HEARTBEAT_REPLY = "heartbeat response"
MAX_FIELD = 256  # longer identifiers are malformed, not truncated


class MalformedEvent(ValueError):
    """Text from the event socket that is not a documented message."""


@dataclass(frozen=True, slots=True)
class Member:
    kind: MemberKind
    channel_id: str
    status: MemberStatus
    number: str = ""  # extension number
    from_: str = ""  # inbound / outbound caller number
    to: str = ""  # inbound / outbound callee number
    trunk: str = ""
    call_path: str = ""

    @property
    def gone(self) -> bool:
        return self.status == "BYE"


@dataclass(frozen=True, slots=True)
class CallStatusChanged:
    call_id: str
    members: tuple[Member, ...]
    sn: str = ""

    def of_kind(self, kind: MemberKind) -> list[Member]:
        return [m for m in self.members if m.kind == kind]


@dataclass(frozen=True, slots=True)
class Ack:
    errcode: int
    errmsg: str


def _text(body: dict[str, Any], key: str, required: bool = False) -> str:
    value = body.get(key, "")
    if value is None:
        value = ""
    if isinstance(value, int) and not isinstance(value, bool):
        value = str(value)  # older firmware sends numbers as integers
    if not isinstance(value, str) or len(value) > MAX_FIELD or (required and not value.strip()):
        raise MalformedEvent(f"member field {key!r} is missing or not a short string")
    return value


def parse_member(entry: object) -> Member:
    if not isinstance(entry, dict) or len(entry) != 1:
        raise MalformedEvent("a member is an object with one of extension / inbound / outbound")
    ((kind, body),) = entry.items()
    if kind not in MEMBER_KINDS or not isinstance(body, dict):
        raise MalformedEvent(f"unknown member kind {str(kind)[:40]!r}")
    status = body.get("member_status")
    if status not in MEMBER_STATUSES:
        raise MalformedEvent(f"unknown member_status {str(status)[:40]!r}")
    channel = _text(body, "channel_id", required=True)
    path = _text(body, "call_path").strip()
    if kind == "extension":
        return Member(kind, channel, status, number=_text(body, "number"), call_path=path)
    return Member(
        kind,
        channel,
        status,
        from_=_text(body, "from"),
        to=_text(body, "to"),
        trunk=_text(body, "trunk_name"),
        call_path=path,
    )


def parse_call_info(info: object, sn: str = "") -> CallStatusChanged:
    """A Call_Info object (from an event's `msg` or call/query's `data`)."""
    if not isinstance(info, dict):
        raise MalformedEvent("Call_Info is not an object")
    call_id = info.get("call_id")
    members = info.get("members")
    if not isinstance(call_id, str) or not call_id or len(call_id) > MAX_FIELD:
        raise MalformedEvent("Call_Info has no call_id")
    if not isinstance(members, list):
        raise MalformedEvent("Call_Info has no members list")
    return CallStatusChanged(call_id, tuple(parse_member(m) for m in members), sn)


def parse_message(text: str | bytes) -> CallStatusChanged | Ack | None:
    if isinstance(text, bytes):
        try:
            text = text.decode()
        except UnicodeDecodeError:
            raise MalformedEvent("binary frame that is not UTF-8") from None
    if text.strip() == HEARTBEAT_REPLY:
        return Ack(0, HEARTBEAT_REPLY)
    try:
        message = json.loads(text)
    except ValueError:
        raise MalformedEvent("not JSON") from None
    if not isinstance(message, dict):
        raise MalformedEvent("not a JSON object")
    if "type" not in message and isinstance(message.get("errcode"), int):
        return Ack(message["errcode"], str(message.get("errmsg", "")))
    if message.get("type") != CALL_STATUS_CHANGED:
        if isinstance(message.get("type"), int):
            return None  # another event: not ours
        raise MalformedEvent("no event type")
    msg = message.get("msg")
    if isinstance(msg, str):
        try:
            msg = json.loads(msg)
        except ValueError:
            raise MalformedEvent("msg is a string but not JSON") from None
    sn = message.get("sn")
    return parse_call_info(msg, sn if isinstance(sn, str) else "")
