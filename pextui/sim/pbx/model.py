"""Calls and members of the simulated PBX, in the shape of the (30011) Call Status Changed event."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

MemberKind = Literal["extension", "inbound", "outbound"]
# ALERT caller hears ringback, RING callee rings, ANSWERED caller's call answered,
# ANSWER callee talking, HOLD held, BYE hung up
MEMBER_STATUSES = ("ALERT", "RING", "ANSWERED", "ANSWER", "HOLD", "BYE")


@dataclass
class Member:
    kind: MemberKind
    channel_id: str
    status: str
    number: str = ""  # extension
    from_: str = ""  # inbound / outbound
    to: str = ""
    trunk: str = ""
    call_path: str = ""

    def wire(self) -> dict[str, Any]:
        if self.kind == "extension":
            body: dict[str, Any] = {"number": self.number}
        else:
            body = {"from": self.from_, "to": self.to, "trunk_name": self.trunk}
        body.update(channel_id=self.channel_id, member_status=self.status)
        body["call_path"] = self.call_path
        return {self.kind: body}


@dataclass
class PbxCall:
    call_id: str
    members: list[Member] = field(default_factory=list)

    def wire(self) -> dict[str, Any]:
        return {"call_id": self.call_id, "members": [m.wire() for m in self.members]}

    def member(self, kind: MemberKind) -> Member | None:
        return next((m for m in self.members if m.kind == kind and m.status != "BYE"), None)

    def channel(self, channel_id: str) -> Member | None:
        return next(
            (m for m in self.members if m.channel_id == channel_id and m.status != "BYE"), None
        )


@dataclass
class Consult:
    """An attended transfer in progress, keyed by the transferor's channel."""

    transferor_channel: str
    original_call_id: str
    consult_call_id: str
    number: str
    caller_channel: str
    held: Literal["caller", "consult"] = "caller"
