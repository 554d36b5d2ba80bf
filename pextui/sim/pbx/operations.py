"""`call/transfer` of the simulated PBX: blind, and attended (complete, abort, threeway, swap).

Errors are `PbxError(errcode, errmsg, invalid_param_list)`, answered with HTTP 200 as the PBX
does. A transferred caller reaches a simulated conference through the number plan after the
trunk to Pexip answers (`timings.answer`).
"""

from __future__ import annotations

from typing import Any

from pextui.sim.numberplan import NumberPlanError
from pextui.sim.pbx.model import Consult, Member, PbxCall
from pextui.sim.pbx.state import Pbx

OPERATIONS = ("complete", "abort", "threeway", "swap")


class PbxError(Exception):
    def __init__(
        self, errcode: int, errmsg: str, field: str | None = None, value: str = ""
    ) -> None:
        super().__init__(f"{errcode} {errmsg}")
        self.errcode = errcode
        self.errmsg = errmsg
        self.invalid: list[dict[str, str]] = (
            [{"field": field, "validation_type": "invalid", "value": value}] if field else []
        )

    def body(self) -> dict[str, Any]:
        result: dict[str, Any] = {"errcode": self.errcode, "errmsg": self.errmsg}
        if self.invalid:
            result["invalid_param_list"] = self.invalid
        return result


def parameter_error(field: str, value: str = "") -> PbxError:
    return PbxError(40002, "PARAMETER ERROR", field, value)


def not_found(field: str, value: str) -> PbxError:
    return PbxError(60001, "DATA NOT FOUND", field, value)


def transfer(pbx: Pbx, body: dict[str, Any]) -> str:
    """Run one `call/transfer` request; returns the call_id or raises PbxError."""
    kind = body.get("type")
    channel = body.get("channel_id")
    if kind not in ("blind", "attended"):
        raise parameter_error("type", str(kind))
    if not isinstance(channel, str) or not channel:
        raise parameter_error("channel_id")
    operate = body.get("attended_operate")
    if kind == "attended" and operate is not None:
        if operate not in OPERATIONS:
            raise parameter_error("attended_operate", str(operate))
        return _operate(pbx, channel, str(operate))
    number = body.get("number")
    if not isinstance(number, str) or not number.strip():
        raise parameter_error("number")
    found = pbx.find_channel(channel)
    if found is None:
        raise not_found("channel_id", channel)
    _check_permission(pbx, body.get("dial_permission"), number)
    call, member = found
    if kind == "blind":
        return _blind(pbx, call, member, number.strip())
    return _consult(pbx, call, member, number.strip())


def _check_permission(pbx: Pbx, permission: object, number: str) -> None:
    if not isinstance(permission, str) or not permission:
        raise parameter_error("dial_permission")
    extension = pbx.config.extensions.get(permission)
    if extension is None:
        raise parameter_error("dial_permission", permission)
    if pbx.plan is None or pbx.plan.resolve(number) is None:
        raise parameter_error("number", number)
    if not extension.outbound:  # the conference is an external number, via the trunk
        raise PbxError(10005, "ACCESS DENIED", "dial_permission", permission)


def _outbound(pbx: Pbx, caller: str, number: str) -> Member:
    trunk = pbx.config.pexip_trunk
    return Member("outbound", pbx.trunk_channel(trunk), "RING", from_=caller, to=number,
                  trunk=trunk)  # fmt: skip


def _caller_id(member: Member) -> str:
    return member.number if member.kind == "extension" else member.from_


def _blind(pbx: Pbx, call: PbxCall, member: Member, number: str) -> str:
    if member.status in ("RING",):
        raise PbxError(40002, "PARAMETER ERROR", "channel_id", member.channel_id)
    for other in call.members:
        if other is not member and other.status != "BYE":
            other.status = "BYE"  # the transferor (and anyone else) leaves the call
    member.status = "ANSWERED"
    out = _outbound(pbx, _caller_id(member), number)
    call.members.append(out)
    pbx.emit(call)
    pbx.call_later(pbx.config.timings.answer, _trunk_answers, pbx, call.call_id, out.channel_id,
                   member.channel_id, number, _caller_id(member))  # fmt: skip
    return call.call_id


def _trunk_answers(pbx: Pbx, call_id: str, out_channel: str, key: str, number: str,
                   caller: str) -> None:  # fmt: skip
    call = pbx.calls.get(call_id)
    out = call.channel(out_channel) if call else None
    if call is None or out is None or out.status != "RING":
        return  # hung up meanwhile
    out.status = "ANSWER"
    pbx.emit(call)
    if pbx.plan is not None:
        try:
            pbx.plan.connect(key, number, caller)
        except NumberPlanError:
            pbx.hangup(out_channel)


def _consult(pbx: Pbx, call: PbxCall, transferor: Member, number: str) -> str:
    if transferor.kind != "extension":
        raise parameter_error("channel_id", transferor.channel_id)
    if transferor.channel_id in pbx.consults:
        raise PbxError(40002, "PARAMETER ERROR", "channel_id", transferor.channel_id)
    caller = next((m for m in call.members if m is not transferor and m.status != "BYE"), None)
    if caller is None or transferor.status not in ("ANSWER", "ANSWERED"):
        raise parameter_error("channel_id", transferor.channel_id)
    caller.status = "HOLD"
    pbx.emit(call)
    consult = PbxCall(pbx.new_call_id())
    own = Member("extension", pbx.extension_channel(transferor.number), "ALERT",
                 number=transferor.number)  # fmt: skip
    out = _outbound(pbx, transferor.number, number)
    consult.members = [own, out]
    pbx.calls[consult.call_id] = consult
    pbx.consults[transferor.channel_id] = Consult(
        transferor.channel_id, call.call_id, consult.call_id, number, caller.channel_id
    )
    pbx.emit(consult)
    pbx.call_later(pbx.config.timings.answer, _consult_answers, pbx, transferor.channel_id)
    return consult.call_id


def _consult_answers(pbx: Pbx, transferor_channel: str) -> None:
    record = pbx.consults.get(transferor_channel)
    consult = pbx.calls.get(record.consult_call_id) if record else None
    if record is None or consult is None:
        return
    own, out = consult.member("extension"), consult.member("outbound")
    if own is None or out is None or out.status != "RING":
        return
    own.status, out.status = "ANSWERED", "ANSWER"
    pbx.emit(consult)
    if pbx.plan is not None:
        ext = pbx.config.extensions.get(own.number)
        pbx.plan.connect(out.channel_id, record.number, own.number, ext.name if ext else "")


def _operate(pbx: Pbx, channel: str, operation: str) -> str:
    record = pbx.consults.get(channel)
    if record is None:
        raise not_found("channel_id", channel)
    original = pbx.calls.get(record.original_call_id)
    consult = pbx.calls.get(record.consult_call_id)
    caller = original.channel(record.caller_channel) if original else None
    transferor = original.channel(channel) if original else None
    out = consult.member("outbound") if consult else None
    own = consult.member("extension") if consult else None
    if operation == "abort":
        _end_consult(pbx, record, consult)
        if original is not None and caller is not None:
            caller.status = "ANSWERED"
            if transferor is not None:
                transferor.status = "ANSWER"
            pbx.emit(original)
        return record.original_call_id
    if original is None or caller is None or transferor is None:
        raise not_found("channel_id", record.caller_channel)  # the caller hung up meanwhile
    if consult is None or out is None or own is None or out.status not in ("ANSWER", "HOLD"):
        raise PbxError(40002, "PARAMETER ERROR", "attended_operate", operation)
    if operation == "swap":
        return _swap(pbx, record, original, caller, consult, out)
    caller.status = "ANSWERED"
    own.status = "BYE"  # the operator's consult line merges into (or hands over) the call
    consult.members.remove(out)
    out.status = "ANSWER"
    out.from_ = caller.from_ if operation == "complete" else out.from_
    original.members.append(out)
    if operation == "complete":
        transferor.status = "BYE"
    pbx.consults.pop(record.transferor_channel, None)
    pbx.emit(consult)
    pbx.emit(original)
    if pbx.plan is not None:
        if operation == "complete":
            pbx.plan.disconnect(out.channel_id)
        else:
            pbx.plan.hold(out.channel_id, False)
        pbx.plan.connect(caller.channel_id, record.number, caller.from_)
    return original.call_id


def _swap(pbx: Pbx, record: Consult, original: PbxCall, caller: Member, consult: PbxCall,
          out: Member) -> str:  # fmt: skip
    to_caller = record.held == "caller"
    caller.status = "ANSWERED" if to_caller else "HOLD"
    out.status = "HOLD" if to_caller else "ANSWER"
    record.held = "consult" if to_caller else "caller"
    pbx.emit(original)
    pbx.emit(consult)
    if pbx.plan is not None:
        pbx.plan.hold(out.channel_id, to_caller)
    return consult.call_id


def _end_consult(pbx: Pbx, record: Consult, consult: PbxCall | None) -> None:
    pbx.consults.pop(record.transferor_channel, None)
    if consult is None:
        return
    for member in consult.members:
        if member.status != "BYE":
            member.status = "BYE"
            if pbx.plan is not None:
                pbx.plan.disconnect(member.channel_id)
    pbx.emit(consult)
