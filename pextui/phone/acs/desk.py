"""The ACS side of the phone desk: incoming calls, answering, transfers into a conference.

Calls are `Call(source="acs")` in the shared `CallBook`, keyed by the ringing call's
serverCallId until answered, then by its callConnectionId. A transfer goes

    requested (POST sent) -> accepted (ACS answered 202: accepted for processing)
              -> left (CallTransferAccepted: the caller left ACS for the conference)
              -> arrived (`participant_seen`: the caller is in the conference roster)
    | failed (CallTransferFailed with resultInformation; a 4xx) | timed_out (`expire`,
      after asking ACS for the call's state)

Idempotency: one `Repeatable` per transfer; a retry of the same transfer (a timeout, a
5xx, the key pressed again) sends the same Repeatability-Request-ID and First-Sent, so ACS
executes it once. Only a definite outcome (CallTransferFailed, a 4xx, arrival) or an
explicit `new=True` makes the next transfer a new request. ACS may deliver a callback
twice or out of order: events are deduplicated by id, ParticipantsUpdated by sequence
number, and states only move forward.
"""

from __future__ import annotations

import asyncio
import re
import time
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Final

from azure.core.exceptions import AzureError, ClientAuthenticationError, HttpResponseError

from pextui.phone.acs.client import E164, AcsClient, Repeatable, describe_error
from pextui.phone.acs.events import CallEvent, GridEvent, IncomingCall, Result
from pextui.phone.acs.gate import EventGate
from pextui.phone.calls import DEFAULT_TRANSFER_TIMEOUT, Call, CallBook, CallSource, CallTransfer

SOURCE: Final[CallSource] = "acs"
RING_TIMEOUT = 120.0  # an IncomingCall not answered by then is no longer offered
RETRY_DELAYS = (0.5, 1.0, 2.0)
RETRY_STATUSES = frozenset({408, 429, 500, 502, 503, 504})
GRACE = 3600.0  # CallBook's own expiry never fires first: the desk asks ACS, then expires


class DeskError(Exception):
    """A desk action cannot even be asked for (unknown call, transfer under way, bad target)."""


@dataclass(slots=True)
class TransferRecord:
    """One transfer as sent to ACS: what makes a retry the same request."""

    call_id: str
    target: str
    operation_context: str
    repeat: Repeatable = field(default_factory=Repeatable)
    sends: int = 0
    definite: bool = False  # ACS said how it ended: the next transfer is a new request
    deadline: float = 0.0
    result: Result | None = None
    queried_state: str | None = None
    last_error: str = ""


def _digits(text: str) -> str:
    return re.sub(r"\D", "", text)


class AcsDesk:
    def __init__(
        self,
        client: AcsClient,
        callback_url: Callable[[], str],
        *,
        numbers: Mapping[str, str] | None = None,
        book: CallBook | None = None,
        clock: Callable[[], float] = time.time,
        timeout: float = DEFAULT_TRANSFER_TIMEOUT,
        retry_delays: tuple[float, ...] = RETRY_DELAYS,
    ) -> None:
        self.client = client
        self.callback_url = callback_url
        self.numbers = dict(numbers or {})  # conference alias -> its PSTN number / SIP address
        self.book = book if book is not None else CallBook()  # an empty book is falsy
        self.clock = clock
        self.timeout = timeout
        self.retry_delays = retry_delays
        self.transfers: dict[str, TransferRecord] = {}  # by call id
        self.counts: dict[str, int] = {}
        self._contexts: dict[str, str] = {}  # ringing call id -> incoming call context
        self._answers: dict[str, Repeatable] = {}
        self._gate = EventGate()
        self._sequence: dict[str, int] = {}
        self._changed = asyncio.Event()

    def _count(self, name: str) -> None:
        self.counts[name] = self.counts.get(name, 0) + 1

    def _touch(self, call: Call) -> None:
        self.book.changed(call)
        self._changed.set()

    # ---- Event Grid

    def on_incoming(self, event: GridEvent) -> None:
        if not isinstance(event, IncomingCall) or self._duplicate(event.id):
            return
        if self.book.get(SOURCE, event.server_call_id) is not None:
            return
        call = Call(
            id=event.server_call_id,
            source=SOURCE,
            caller=event.caller,
            caller_name=event.caller_name,
            state="ringing",
            started=self.clock(),
            trunk=event.to,
        )
        call.extra["server_call_id"] = event.server_call_id
        self._contexts[call.id] = event.incoming_call_context
        self.book.put(call)
        self._changed.set()

    def _duplicate(self, event_id: str) -> bool:
        if self._gate.first_time(event_id):
            return False
        self._count("duplicates")
        return True

    # ---- callbacks

    def on_callback(self, event: CallEvent) -> None:
        if self._duplicate(event.id):
            return
        call = self.book.get(SOURCE, event.call_connection_id)
        if call is None:  # before answer() returned, or not a call of ours (yet)
            self._gate.hold(event)
            return
        self._apply(call, event)

    def _apply(self, call: Call, event: CallEvent) -> None:
        now = self.clock()
        self._count(event.kind)
        if event.kind == "CallConnected" and call.state == "ringing":
            call.state = "talking"
        elif event.kind == "CallDisconnected" and call.state != "ended":
            call.state, call.ended_at = "ended", now
        elif event.kind == "ParticipantsUpdated":
            last = self._sequence.get(call.id, -1)
            if event.sequence_number is not None and event.sequence_number <= last:
                self._count("stale")
                return
            self._sequence[call.id] = event.sequence_number or last
            call.extra["participants"] = str(len(event.participants))
        elif event.kind in ("CallTransferAccepted", "CallTransferFailed"):
            self._transfer_outcome(call, event, now)
        else:
            return
        self._touch(call)

    def _transfer_outcome(self, call: Call, event: CallEvent, now: float) -> None:
        record = self.transfers.get(call.id)
        transfer = call.transfer
        if (
            record is None
            or transfer is None
            or event.operation_context != record.operation_context
        ):
            self._count("unmatched")
            return
        record.result = event.result
        if event.kind == "CallTransferAccepted":
            record.definite = True
            transfer.advance("accepted", now)
            transfer.advance("left", now)
            if call.state != "ended":  # the caller was handed over: ACS's call is done
                call.state, call.ended_at = "ended", now
            return
        record.definite = True
        reason = event.result.describe() if event.result else "no resultInformation"
        failed = transfer.advance("failed", now, f"ACS: transfer failed: {reason}")
        if failed and call.state == "transferring":
            call.state = "talking"

    # ---- answering

    async def answer(self, call_id: str) -> Call:
        call = self.book.get(SOURCE, call_id)
        context = self._contexts.get(call_id)
        if call is None or context is None:
            raise DeskError(f"no ringing ACS call {call_id!r}")
        repeat = self._answers.setdefault(call_id, Repeatable())
        try:
            properties = await self.client.answer(
                context, self.callback_url(), repeat, f"pextui answer {call_id[:24]}"
            )
        except HttpResponseError as error:
            if error.status_code in (400, 404):  # no longer offered: hung up, answered elsewhere
                self._no_longer_ringing(call)
            raise
        connection_id = properties.call_connection_id
        if not connection_id:
            raise DeskError("ACS answered without a call connection id")
        self._contexts.pop(call_id, None)
        self._answers.pop(call_id, None)
        self.book.remove(SOURCE, call_id)
        call.id = connection_id
        call.extra["call_connection_id"] = connection_id
        self.book.put(call)
        for early in self._gate.release(connection_id):
            self._apply(call, early)
        self._changed.set()
        return call

    def _no_longer_ringing(self, call: Call) -> None:
        self._contexts.pop(call.id, None)
        self._answers.pop(call.id, None)
        call.state, call.ended_at = "ended", self.clock()
        self._touch(call)

    def adopt(self, call_connection_id: str, caller: str = "") -> Call:
        """A call answered elsewhere (e.g. `pextui acs transfer ID`): track it from now on."""
        call = self.book.get(SOURCE, call_connection_id)
        if call is None:
            call = Call(call_connection_id, SOURCE, caller, "talking", self.clock())
            call.extra["call_connection_id"] = call_connection_id
            self.book.put(call)
        for early in self._gate.release(call_connection_id):
            self._apply(call, early)
        return call

    # ---- transfers

    def number_for(self, target: str) -> tuple[str, str]:
        """(conference alias, what ACS dials) for an alias, a number or a SIP address."""
        text = target.strip()
        if text in self.numbers:
            return text, self.numbers[text]
        alias = next((a for a, n in self.numbers.items() if n == text), None)
        if alias is not None:
            return alias, text
        if E164.match(text):
            return text, text
        if text and not any(c.isspace() for c in text) and len(text) <= 256:
            local = text.removeprefix("sip:").split("@", 1)[0]
            return local, text
        raise DeskError(f"not a conference alias, +E164 number or SIP address: {target!r}")

    async def transfer(self, call_id: str, target: str, *, new: bool = False) -> CallTransfer:
        """Bring the call into a conference; the same transfer again is the same request."""
        call = self.book.get(SOURCE, call_id)
        if call is None or call.state in ("ended", "ringing"):
            raise DeskError(f"no answered, live ACS call {call_id!r}")
        alias, number = self.number_for(target)
        record = self.transfers.get(call_id)
        busy = record is not None and call.transfer is not None and not call.transfer.settled
        if busy and record is not None and (new or record.target != number):
            raise DeskError("a transfer of this call is already under way")
        same = record is not None and not new and not record.definite and record.target == number
        if not same or record is None:
            label = f"pextui transfer {uuid.uuid4().hex[:12]} to {number}"
            record = TransferRecord(call_id, number, label[:512])
            self.transfers[call_id] = record
        now = self.clock()
        record.deadline = now + self.timeout
        if call.transfer is None or call.transfer.settled or not same:
            call.transfer = CallTransfer(alias, number, "blind", now, self.timeout + GRACE)
        call.heading_for = alias
        call.state = "transferring"
        self._touch(call)
        await self._send(call, record)
        return call.transfer

    async def _send(self, call: Call, record: TransferRecord) -> None:
        transfer = call.transfer
        assert transfer is not None
        delays = (0.0, *self.retry_delays)
        last = ""
        for delay in delays:
            if delay:
                await asyncio.sleep(delay)
            if transfer.settled:  # a callback settled it meanwhile
                return
            record.sends += 1
            try:
                await self.client.transfer(
                    call.id,
                    record.target,
                    operation_context=record.operation_context,
                    callback_url=self.callback_url(),
                    repeat=record.repeat,
                )
            except ClientAuthenticationError:
                record.definite = True
                self._fail(call, "ACS refused the access key (401)")
                raise  # not this transfer's fault: the caller must see it
            except HttpResponseError as error:
                status = error.status_code or 0
                last = describe_error(error)
                if status in RETRY_STATUSES:
                    continue
                record.definite = True
                self._fail(call, f"ACS refused the transfer: {last}")
                return
            except AzureError as error:  # timeouts, connection errors: it may have run
                last = f"{type(error).__name__}: {error.message}"[:300]
                continue
            except ValueError as error:
                record.definite = True
                self._fail(call, str(error))
                return
            transfer.advance("accepted", self.clock())
            self._touch(call)
            return
        # Unknown whether ACS ran it: leave it pending; a callback or `expire` (which asks
        # ACS for the call) settles it, and asking again repeats the same request.
        record.last_error = f"no answer from ACS after {len(delays)} attempts ({last})"
        self._touch(call)

    def _fail(self, call: Call, reason: str) -> None:
        if call.transfer is not None and call.transfer.advance("failed", self.clock(), reason):
            if call.state == "transferring":
                call.state = "talking"
            self._touch(call)

    # ---- the roster side, timeouts

    def participant_seen(self, alias: str, uuid: str, display_name: str, uri: str) -> Call | None:
        """A participant is in conference `alias`: settles a transfer whose caller it is."""
        seen = _digits(display_name) + " " + _digits(uri)
        for call in self.book:
            transfer = call.transfer
            if call.source != SOURCE or transfer is None or transfer.settled:
                continue
            number = _digits(call.caller)
            ours = transfer.target_alias == alias and number and number in seen
            if ours and transfer.state in ("accepted", "left"):
                transfer.advance("left", self.clock())
                transfer.participant_uuid = uuid
                transfer.advance("arrived", self.clock())
                record = self.transfers.get(call.id)
                if record is not None:
                    record.definite = True
                self._touch(call)
                return call
        return None

    async def expire(self) -> list[Call]:
        """Time out transfers ACS said nothing about in time, after asking it for the call."""
        now = self.clock()
        expired: list[Call] = []
        for call in self.book:
            if call.source == SOURCE and call.state == "ringing" and call.id in self._contexts:
                if now - call.started > RING_TIMEOUT:
                    self._no_longer_ringing(call)
                continue
            record = self.transfers.get(call.id)
            transfer = call.transfer
            if call.source != SOURCE or record is None or transfer is None:
                continue
            if transfer.settled or transfer.state == "left" or now < record.deadline:
                continue
            state = await self._query(call.id)
            record.queried_state = state
            waited = f"no outcome from ACS within {self.timeout:g} s"
            if record.last_error:
                waited += f" ({record.last_error})"
            if transfer.advance("timed_out", self.clock(), f"{waited}; {state}"):
                if call.state == "transferring":
                    call.state = "talking"
                self._touch(call)
                expired.append(call)
        return expired

    async def _query(self, call_id: str) -> str:
        try:
            properties = await self.client.properties(call_id)
        except HttpResponseError as error:
            if error.status_code == 404:
                return "ACS no longer has the call (ended, or transferred away)"
            return f"its state could not be asked: {describe_error(error)}"
        except AzureError as error:
            return f"its state could not be asked: {type(error).__name__}"
        return f"ACS says the call is {properties.call_connection_state}"

    async def wait_changed(self, seconds: float) -> bool:
        """Until a change since the last call (True) or `seconds` pass (False)."""
        try:
            async with asyncio.timeout(seconds):
                await self._changed.wait()
        except TimeoutError:
            return False
        self._changed.clear()
        return True
