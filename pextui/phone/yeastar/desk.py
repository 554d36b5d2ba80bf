"""The Yeastar side of the phone desk: PBX calls as `Call`s, and transfers tracked end to end.

`apply(event)` folds a (30011) event (or a call/query answer) into the `CallBook`: one
`Call` per call with a trunk caller (inbound member); the operator's consult calls are
not listed but move the consulted call's state. A transfer started with `bring_in`
(blind) or `consult` + `operate` (attended) goes

    requested -> accepted (call/transfer answered errcode 0)
              -> left (30011: the caller's call is bridged out to the conference's number
                 and the operator's extension left it)
              -> arrived (`participant_seen`: the caller is in the conference's roster)
    | failed (the PBX's errmsg; the caller hung up) | timed_out (`expire`)

A call/transfer that timed out is not sent again: `call/query` decides whether the PBX
carried it out (accepted) or not (failed, saying it was not repeated).
"""

from __future__ import annotations

import re
import time
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from typing import Final

from pextui.phone.calls import (
    DEFAULT_TRANSFER_TIMEOUT,
    Call,
    CallBook,
    CallSource,
    CallState,
    CallTransfer,
)
from pextui.phone.yeastar.client import AttendedOperation, YeastarClient
from pextui.phone.yeastar.errors import ApiError, RequestTimedOut, YeastarError
from pextui.phone.yeastar.events import CallStatusChanged, Member, parse_call_info

SOURCE: Final[CallSource] = "yeastar"
ABORTED = "consult aborted by the operator"
NOT_REPEATED = "no answer from the PBX to call/transfer; not sent again"


class DeskError(Exception):
    """A desk action cannot even be asked for (unknown call, no number for the conference)."""


@dataclass
class _Consult:
    call_id: str  # the consult call's own PBX call_id, once known
    talking_to: str = "conference"  # after a swap: "caller"


def _digits(text: str) -> str:
    return re.sub(r"\D", "", text)


def is_caller(caller: str, display_name: str, uri: str) -> bool:
    """Whether a roster entry is this caller: named by the caller ID, or its SIP user is the
    caller's number (at least 3 digits, punctuation ignored)."""
    if caller and display_name.strip() == caller.strip():
        return True
    user = uri.removeprefix("sip:").split("@", 1)[0]
    digits = _digits(caller)
    return len(digits) >= 3 and _digits(user) == digits


class YeastarDesk:
    def __init__(
        self,
        client: YeastarClient,
        *,
        operator: str,
        numbers: Mapping[str, str],
        book: CallBook | None = None,
        clock: Callable[[], float] = time.time,
        timeout: float = DEFAULT_TRANSFER_TIMEOUT,
    ) -> None:
        self.client = client
        self.operator = operator
        self.numbers = dict(numbers)  # conference alias -> number through the trunk
        self.book = book or CallBook()
        self.clock = clock
        self.timeout = timeout
        self._members: dict[str, tuple[Member, ...]] = {}  # call_id -> last known members
        self._consults: dict[str, _Consult] = {}  # consulted call_id -> its consult

    # ---- events

    def apply(self, event: CallStatusChanged) -> Call | None:
        """Fold one event in; the `Call` it changed (None for a consult or internal call)."""
        self._members[event.call_id] = event.members
        inbound = next((m for m in event.members if m.kind == "inbound"), None)
        if inbound is None:
            self._consult_changed(event)
            return None
        call = self.book.get(SOURCE, event.call_id)
        now = self.clock()
        if call is None:
            call = Call(event.call_id, SOURCE, inbound.from_, "ringing", now, trunk=inbound.trunk)
        call.extra["caller_channel"] = inbound.channel_id
        operator = self._operator_member(event)
        if operator is not None and not operator.gone:
            call.extra["operator_channel"] = operator.channel_id
        call.state = self._state_of(event, inbound)
        if call.state == "ended" and call.ended_at is None:
            call.ended_at = now
        self._track(call, event, inbound, operator, now)
        self.book.put(call)
        if all(m.gone for m in event.members):
            self._members.pop(event.call_id, None)
        return call

    def load(self, calls: list[dict[str, object]]) -> None:
        """Fold a call/query answer in (skipping entries that are not Call_Info)."""
        for info in calls:
            try:
                self.apply(parse_call_info(info))
            except ValueError:
                continue

    def _restate(self, call: Call) -> None:
        members = self._members.get(call.id)
        inbound = next((m for m in members or () if m.kind == "inbound"), None)
        if members is not None and inbound is not None:
            call.state = self._state_of(CallStatusChanged(call.id, members), inbound)

    def _operator_member(self, event: CallStatusChanged) -> Member | None:
        return next(
            (m for m in event.members if m.kind == "extension" and m.number == self.operator), None
        )

    def _state_of(self, event: CallStatusChanged, inbound: Member) -> CallState:
        if inbound.gone:
            return "ended"
        if event.call_id in self._consults:
            return "consulting"
        if inbound.status == "ALERT":
            return "ringing"
        if inbound.status == "HOLD":
            return "on_hold"
        if any(m.kind == "outbound" and not m.gone for m in event.members):
            return "transferring"
        return "talking"

    def _track(
        self,
        call: Call,
        event: CallStatusChanged,
        inbound: Member,
        operator: Member | None,
        now: float,
    ) -> None:
        transfer = call.transfer
        if transfer is None or transfer.settled:
            return
        if inbound.gone:
            during = " during the consult" if transfer.mode == "attended" else ""
            transfer.advance("failed", now, f"the caller hung up{during}")
            self._consults.pop(call.id, None)
            return
        bridged = any(
            m.kind == "outbound" and not m.gone and m.to == transfer.number and m.status == "ANSWER"
            for m in event.members
        )
        operator_left = operator is None or operator.gone
        if bridged and (operator_left or transfer.mode == "attended"):
            transfer.advance("left", now)

    def _consult_changed(self, event: CallStatusChanged) -> None:
        """The operator's consult call: forgotten once every member said BYE."""
        if all(m.gone for m in event.members):
            self._members.pop(event.call_id, None)

    # ---- the roster side

    def participant_seen(self, alias: str, uuid: str, display_name: str, uri: str) -> Call | None:
        """A participant is in conference `alias`: settles a transfer whose caller it is."""
        for call in self.book:
            transfer = call.transfer
            if transfer is None or transfer.settled or transfer.target_alias != alias:
                continue
            if transfer.state in ("accepted", "left") and is_caller(call.caller, display_name, uri):
                transfer.participant_uuid = uuid
                transfer.advance("arrived", self.clock())
                self.book.changed(call)
                return call
        return None

    def expire(self) -> list[Call]:
        return self.book.expire(self.clock())

    # ---- actions

    def _call(self, call_id: str) -> Call:
        call = self.book.get(SOURCE, call_id)
        if call is None or call.state == "ended":
            raise DeskError(f"no live PBX call {call_id!r}")
        return call

    def number_for(self, target: str) -> tuple[str, str]:
        """(alias, number) for a conference alias or a number / SIP address given directly."""
        if target in self.numbers:
            return target, self.numbers[target]
        alias = next((a for a, n in self.numbers.items() if n == target), None)
        if alias is not None:
            return alias, target
        if target and (target.replace("+", "").isdigit() or "@" in target):
            return target, target
        raise DeskError(f"no number configured for {target!r} (add it under [pbx.numbers])")

    def _start(self, call: Call, target: str, mode: str) -> CallTransfer:
        if call.transfer is not None and not call.transfer.settled:
            raise DeskError("a transfer of this call is already under way")
        alias, number = self.number_for(target)
        transfer = CallTransfer(alias, number, "blind" if mode == "blind" else "attended",
                                self.clock(), self.timeout)  # fmt: skip
        call.transfer, call.heading_for = transfer, alias
        self.book.changed(call)
        return transfer

    async def bring_in(self, call_id: str, target: str) -> CallTransfer:
        """Blind transfer of the caller to the conference; returns the (tracked) transfer."""
        call = self._call(call_id)
        transfer = self._start(call, target, "blind")
        channel = call.extra.get("caller_channel", "")
        await self._send(call, transfer, self.client.transfer_blind(channel, transfer.number,
                                                                    self.operator))  # fmt: skip
        return transfer

    async def consult(self, call_id: str, target: str) -> CallTransfer:
        """Attended transfer, step 1: the operator's phone calls the conference first."""
        call = self._call(call_id)
        channel = call.extra.get("operator_channel")
        if not channel:
            raise DeskError("the operator is not in this call (answer it first)")
        transfer = self._start(call, target, "attended")
        awaitable = self.client.transfer_attended(channel, transfer.number, self.operator)
        consult_id = await self._send(call, transfer, awaitable)
        if consult_id is not None:
            self._consults[call.id] = _Consult(consult_id)
            call.state = "consulting"
            self.book.changed(call)
        return transfer

    async def operate(self, call_id: str, operation: AttendedOperation) -> CallTransfer:
        """Attended transfer, step 2: complete | abort | threeway | swap."""
        call = self.book.get(SOURCE, call_id)
        transfer = call.transfer if call else None
        consult = self._consults.get(call_id)
        channel = call.extra.get("operator_channel") if call else None
        if call is None or transfer is None or consult is None or not channel:
            raise DeskError("no consult under way for this call")
        try:
            await self.client.attended_operate(channel, operation)
        except ApiError as error:
            if operation != "swap":
                transfer.advance("failed", self.clock(), error.errmsg or str(error))
                self._consults.pop(call_id, None)
                self.book.changed(call)
            raise
        if operation == "swap":
            consult.talking_to = "caller" if consult.talking_to == "conference" else "conference"
            call.extra["talking_to"] = consult.talking_to
        else:
            self._consults.pop(call_id, None)
            self._restate(call)  # its events may have come before this answer
            if operation == "abort":
                transfer.advance("failed", self.clock(), ABORTED)
                call.heading_for = None
        self.book.changed(call)
        return transfer

    async def _send(
        self, call: Call, transfer: CallTransfer, request: Awaitable[str]
    ) -> str | None:
        """Await the call/transfer; accepted, or failed with the PBX's errmsg."""
        try:
            answer = await request
        except ApiError as error:
            transfer.advance("failed", self.clock(), error.errmsg or str(error))
            self.book.changed(call)
            raise
        except RequestTimedOut:
            await self._after_timeout(call, transfer)
            raise
        except YeastarError as error:
            transfer.advance("failed", self.clock(), str(error))
            self.book.changed(call)
            raise
        transfer.advance("accepted", self.clock())
        self.book.changed(call)
        return answer

    async def _after_timeout(self, call: Call, transfer: CallTransfer) -> None:
        """No answer: look at the call instead of sending the transfer again."""
        try:
            found = await self.client.query_calls(call.id)
        except YeastarError:
            found = []
        members = [parse_call_info(info) for info in found if isinstance(info, dict)]
        went = any(
            m.kind == "outbound" and m.to == transfer.number for c in members for m in c.members
        )
        if went:
            transfer.advance("accepted", self.clock())
        else:  # undecided: later events, the roster or the timeout settle it
            transfer.reason = NOT_REPEATED
        for info in members:
            self.apply(info)
        self.book.changed(call)
