"""What the simulated ACS resource does: ring, answer, transfer, hang up; the number plan.

Operations run synchronously on the event loop (so a repeat can never overtake the first
execution); their later outcomes (CallConnected, CallTransferAccepted, ...) are scheduled
and posted as callbacks. A transferred caller leaves ACS and joins the simulated Pexip
conference the number plan routes the target to.
"""

from __future__ import annotations

import asyncio
import secrets
import uuid
from collections import Counter
from dataclasses import dataclass
from typing import Any

from pextui.sim.acs.delivery import Deliverer
from pextui.sim.acs.faults import AcsFaults
from pextui.sim.acs.model import (
    E164,
    IncomingCall,
    SimCall,
    cloud_event,
    incoming_call_event,
    phone_identifier,
    result_information,
    user_identifier,
)
from pextui.sim.acs.signing import CallbackSigner
from pextui.sim.node import Node
from pextui.sim.numberplan import NumberPlanError, plan_for

RESOURCE_NUMBER = "+15550100100"  # the number customers call
DID_PREFIX = "+1555010"  # + the number plan's number: a conference's PSTN number
CONNECT_DELAY = 0.05
RING_DELAY = 1.0  # after the subscription is validated, before a waiting caller rings
MAX_CALLS = 10_000
SUCCESS = result_information(200, 0, "Action completed successfully.")
TRANSFERRED = result_information(200, 7015, "The transfer operation completed successfully.")
FAILING: dict[str, tuple[int, int, str]] = {
    "+15550100486": (486, 560486, "Transfer failed: the destination is busy."),
    "+15550100404": (404, 560404, "Transfer failed: the number is not found or not in service."),
    "+15550100603": (603, 560603, "Transfer failed: the call was declined by the destination."),
    "+15550100408": (408, 560408, "Transfer failed: the destination did not answer in time."),
}
NOT_FOUND = (404, 560404, "Transfer failed: the number is not found or not in service.")


class OperationError(Exception):
    """An operation refused: HTTP status, ACS error code and message."""

    def __init__(self, status: int, code: str, message: str) -> None:
        super().__init__(message)
        self.status, self.code, self.message = status, code, message


@dataclass(slots=True)
class Route:
    dialled: str
    failure: tuple[int, int, str] | None


class AcsService:
    def __init__(
        self,
        node: Node | None,
        faults: AcsFaults,
        resource: str = "sim",
        resource_id: str | None = None,
    ) -> None:
        self.node = node
        self.faults = faults
        self.resource_id = resource_id or str(uuid.uuid4())  # the immutable resource id
        self.app_id = f"8:acs:{self.resource_id}_{uuid.uuid4()}"
        self.signer = CallbackSigner(self.resource_id)  # the audience of callbacks' tokens
        self.deliver = Deliverer(
            faults,
            f"/subscriptions/sim/resourceGroups/sim/providers/Microsoft.Communication/communicationServices/{resource}",
            self.signer,
        )
        self.incoming: dict[str, IncomingCall] = {}  # by incoming call context
        self.calls: dict[str, SimCall] = {}  # by call connection id
        self.executed: Counter[str] = Counter()
        self.waiting: list[tuple[str, str]] = []  # callers who ring once someone listens
        self.deliver.on_active = self._someone_listens

    # -- control: the outside world -------------------------------------------------------

    def ring(self, caller: str, caller_name: str = "", to: str = RESOURCE_NUMBER) -> IncomingCall:
        """A customer calls the resource: IncomingCall goes to every Event Grid subscription."""
        if not E164.match(caller) or not E164.match(to):
            raise OperationError(400, "BadRequest", "from and to must be E.164 numbers")
        if len(self.incoming) >= MAX_CALLS:
            raise OperationError(429, "TooManyRequests", "too many simulated calls")
        call = IncomingCall(
            context=secrets.token_urlsafe(48),
            caller=caller,
            caller_name=caller_name[:256],
            to=to,
            server_call_id=f"aHR0cHM6Ly9zaW0{secrets.token_urlsafe(24)}",
            correlation_id=str(uuid.uuid4()),
        )
        self.incoming[call.context] = call
        self.deliver.publish(incoming_call_event(call, self.deliver.topic))
        return call

    def ring_when_subscribed(self, caller: str, caller_name: str = "") -> None:
        """Ring as soon as an Event Grid subscription is active (now, if one is)."""
        if any(s.state == "active" for s in self.deliver.subscriptions.values()):
            self.ring(caller, caller_name)
        else:
            self.waiting.append((caller, caller_name))

    def _someone_listens(self) -> None:
        waiting, self.waiting = self.waiting, []
        loop = asyncio.get_running_loop()
        for delay, (caller, name) in enumerate(waiting, start=1):
            loop.call_later(RING_DELAY * delay, self.ring, caller, name)

    def caller_hangs_up(self, server_call_id: str) -> bool:
        for context, incoming in list(self.incoming.items()):
            if incoming.server_call_id != server_call_id:
                continue
            if incoming.answered_by is None:
                del self.incoming[context]
                return True
            call = self.calls.get(incoming.answered_by)
            if call is not None and call.state != "disconnected":
                self._disconnect(call, "caller hung up")
                return True
            if call is not None and call.transferred_to and self.node is not None:
                return plan_for(self.node).disconnect(call.id)  # leaves the conference
        return False

    # -- the REST API's operations ---------------------------------------------------------

    def answer(self, context: str, callback_uri: str, operation_context: str | None) -> SimCall:
        incoming = self.incoming.get(context)
        if incoming is None:
            raise OperationError(
                404, "NotFound", "The incoming call context is invalid or expired."
            )
        if incoming.answered_by is not None:
            raise OperationError(400, "BadRequest", "The call has already been answered.")
        call = SimCall(
            id=str(uuid.uuid4()),
            server_call_id=incoming.server_call_id,
            correlation_id=incoming.correlation_id,
            caller=incoming.caller,
            caller_name=incoming.caller_name,
            to=incoming.to,
            callback_uri=callback_uri,
        )
        incoming.answered_by = call.id
        self.calls[call.id] = call
        self.executed["answer"] += 1
        asyncio.get_running_loop().call_later(
            CONNECT_DELAY, self._connected, call, operation_context
        )
        return call

    def get(self, call_id: str) -> SimCall:
        call = self.calls.get(call_id)
        if call is None or call.state == "disconnected":
            raise OperationError(404, "NotFound", "Call not found.")
        return call

    def hang_up(self, call_id: str, for_everyone: bool) -> None:
        call = self.get(call_id)
        self.executed["terminate" if for_everyone else "hangup"] += 1
        self._disconnect(call, "hung up by the application")

    def transfer(
        self, call_id: str, target: str, operation_context: str | None, callback_uri: str | None
    ) -> dict[str, Any]:
        call = self.get(call_id)
        if call.state != "connected":
            raise OperationError(
                400, "BadRequest", f"Action is not allowed in call state {call.state}."
            )
        if call.transfer_pending is not None:
            raise OperationError(
                400, "BadRequest", "A transfer is already in progress for this call."
            )
        route = self.route(target)
        call.transfer_pending = operation_context or ""
        self.executed["transferToParticipant"] += 1
        call.history.append(f"transfer to {target}")
        uri = callback_uri or call.callback_uri
        delay = self.faults.transfer_delay
        asyncio.get_running_loop().call_later(
            delay, self._settle, call, target, route, operation_context, uri
        )
        body: dict[str, Any] = {}
        if operation_context is not None:
            body["operationContext"] = operation_context
        return body

    # -- routing ---------------------------------------------------------------------------

    def route(self, target: str) -> Route:
        if target in FAILING:
            return Route(target, FAILING[target])
        if self.node is None:
            return Route(target, NOT_FOUND)
        plan = plan_for(self.node)
        for dialled in (
            target,
            target.removeprefix(DID_PREFIX) if target.startswith(DID_PREFIX) else None,
        ):
            if dialled and plan.resolve(dialled) is not None:
                return Route(dialled, None)
        return Route(target, NOT_FOUND)

    def pstn_number(self, alias: str) -> str | None:
        """The conference's PSTN number in this simulation (DID prefix + plan number)."""
        if self.node is None:
            return None
        number = plan_for(self.node).number_of(alias)
        return f"{DID_PREFIX}{number}" if number else None

    # -- what happens later ----------------------------------------------------------------

    def _connected(self, call: SimCall, operation_context: str | None) -> None:
        if call.state != "connecting":
            return
        call.state = "connected"
        call.sequence += 1
        participants = [
            {"identifier": phone_identifier(call.caller), "isMuted": False, "isOnHold": False},
            {"identifier": user_identifier(self.app_id), "isMuted": False, "isOnHold": False},
        ]
        data = call.event_data(operation_context, resultInformation=SUCCESS)
        updated = call.event_data(participants=participants, sequenceNumber=call.sequence)
        self.deliver.callback(call.id, [
            (call.callback_uri, cloud_event(call.id, "CallConnected", data)),
            (call.callback_uri, cloud_event(call.id, "ParticipantsUpdated", updated)),
        ])  # fmt: skip

    def _settle(
        self, call: SimCall, target: str, route: Route, context: str | None, uri: str
    ) -> None:
        if call.state != "connected":
            return
        call.transfer_pending = None
        failure = route.failure
        if failure is None and self.node is not None:
            try:
                plan_for(self.node).connect(call.id, route.dialled, call.caller, call.caller_name)
            except NumberPlanError:
                failure = NOT_FOUND
        if failure is not None:
            info = result_information(*failure)
            event = cloud_event(
                call.id, "CallTransferFailed", call.event_data(context, resultInformation=info)
            )
            self.deliver.callback(call.id, [(uri, event)])
            return
        target_id = (
            phone_identifier(target) if E164.match(target) else {"rawId": target, "kind": "unknown"}
        )
        accepted = call.event_data(
            context,
            resultInformation=TRANSFERRED,
            transferee=phone_identifier(call.caller),
            transferTarget=target_id,
        )
        call.transferred_to = target
        call.state = "disconnected"
        gone = call.event_data(None, resultInformation=TRANSFERRED)
        self.deliver.callback(call.id, [
            (uri, cloud_event(call.id, "CallTransferAccepted", accepted)),
            (call.callback_uri, cloud_event(call.id, "CallDisconnected", gone)),
        ])  # fmt: skip

    def _disconnect(self, call: SimCall, why: str) -> None:
        call.state = "disconnected"
        call.history.append(why)
        event = cloud_event(
            call.id, "CallDisconnected", call.event_data(None, resultInformation=SUCCESS)
        )
        self.deliver.callback(call.id, [(call.callback_uri, event)])

    def snapshot(self) -> dict[str, Any]:
        return {
            "calls": [
                {
                    "callConnectionId": c.id,
                    "serverCallId": c.server_call_id,
                    "caller": c.caller,
                    "state": c.state,
                    "transferPending": c.transfer_pending is not None,
                    "transferredTo": c.transferred_to,
                }
                for c in self.calls.values()
            ],
            "ringing": [
                {"serverCallId": i.server_call_id, "caller": i.caller, "to": i.to}
                for i in self.incoming.values()
                if i.answered_by is None
            ],
            "executed": dict(self.executed),
            "deliveries": dict(self.deliver.counts),
            "delivered": list(self.deliver.delivered),
            "subscriptions": [
                {"id": s.id, "state": s.state, "reason": s.reason}
                for s in self.deliver.subscriptions.values()
            ],
            "faults": dict(self.faults.values),
            "signing": {
                "resourceId": self.resource_id,
                "issuer": self.signer.issuer,
                "kid": self.signer.kid,
                "fetches": dict(self.signer.fetches),
                "signed": dict(self.signer.signed),
            },
        }
