"""The simulated PBX: its calls, event subscribers, tokens, faults and request log.

Runs on the simulated node's event loop, so it can put callers into the simulated
conferences through the shared number plan directly.
"""

from __future__ import annotations

import asyncio
import json
import random
import time
from collections import deque
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from pextui.sim.numberplan import NumberPlan
from pextui.sim.pbx.config import PbxConfig, validate_fault
from pextui.sim.pbx.model import Consult, Member, PbxCall
from pextui.sim.pbx.tokens import PbxTokens

CALL_STATUS_CHANGED = 30011
_LOG = 500


@dataclass(eq=False)
class Subscriber:
    """One WebSocket connection; `topics` once it subscribed."""

    queue: asyncio.Queue[str | None] = field(default_factory=asyncio.Queue)
    topics: frozenset[int] = frozenset()

    def close(self) -> None:
        self.queue.put_nowait(None)


class Pbx:
    def __init__(self, config: PbxConfig, plan: NumberPlan | None) -> None:
        self.config = config
        self.plan = plan
        self.tokens = PbxTokens(config.access_ttl, config.refresh_ttl, config.max_tokens)
        self.rng = random.Random(config.seed)
        self.faults: dict[str, float] = {}
        self.replace_faults(config.faults)
        self.calls: dict[str, PbxCall] = {}
        self.consults: dict[str, Consult] = {}  # by the transferor's channel
        self.subscribers: set[Subscriber] = set()
        self.received: deque[dict[str, Any]] = deque(maxlen=_LOG)
        self.events_sent = 0
        self.malformed_sent = 0
        self._serial = 0xA0
        self._call_serial = 0
        self._timers: set[asyncio.TimerHandle] = set()
        for caller in config.scenario_callers():
            self.add_caller(caller.number, caller.state)

    # ---- faults

    def replace_faults(self, faults: Mapping[str, object]) -> None:
        self.faults = {name: validate_fault(name, value) for name, value in faults.items()}

    def fault(self, name: str) -> float:
        return self.faults.get(name, 0.0)

    def error_now(self) -> bool:
        rate = self.fault("error-rate")
        return rate > 0 and self.rng.random() < rate

    # ---- ids and timers

    def _channel(self, prefix: str) -> str:
        self._serial += 1
        return f"{prefix}-{self._serial:08x}"

    def extension_channel(self, number: str) -> str:
        return self._channel(f"PJSIP/{number}")

    def trunk_channel(self, trunk: str) -> str:
        return self._channel(f"PJSIP/trunk-{trunk}-endpoint")

    def new_call_id(self) -> str:
        self._call_serial += 1
        return f"{int(time.time())}.{self._call_serial}"

    def call_later(self, delay: float, callback: Callable[..., None], *args: Any) -> None:
        loop = asyncio.get_running_loop()
        handle: asyncio.TimerHandle

        def fire() -> None:
            self._timers.discard(handle)
            callback(*args)

        handle = loop.call_later(delay, fire)
        self._timers.add(handle)

    def cancel_timers(self) -> None:
        for handle in self._timers:
            handle.cancel()
        self._timers.clear()

    # ---- events

    def emit(self, call: PbxCall) -> None:
        """Send (30011) with the call's members, then forget members that said BYE."""
        event = {
            "type": CALL_STATUS_CHANGED,
            "sn": self.config.sn,
            "msg": json.dumps(call.wire(), separators=(",", ":")),  # a JSON string, as shown
        }
        frame = json.dumps(event, separators=(",", ":"))
        self.events_sent += 1
        for subscriber in tuple(self.subscribers):
            if CALL_STATUS_CHANGED not in subscriber.topics:
                continue
            rate = self.fault("malformed-rate")
            if rate > 0 and self.rng.random() < rate:
                subscriber.queue.put_nowait(self._malformed())
                self.malformed_sent += 1
            subscriber.queue.put_nowait(frame)
        call.members = [m for m in call.members if m.status != "BYE"]
        if not call.members:
            self.calls.pop(call.call_id, None)

    def _malformed(self) -> str:
        return self.rng.choice(
            [
                "{not json",
                json.dumps({"type": 39999, "sn": self.config.sn, "msg": "{}"}),
                json.dumps({"type": CALL_STATUS_CHANGED, "sn": self.config.sn, "msg": "[1,"}),
                json.dumps({"type": CALL_STATUS_CHANGED, "msg": {"members": "none"}}),
                json.dumps([1, 2, 3]),
            ]
        )

    def close_subscribers(self) -> None:
        for subscriber in tuple(self.subscribers):
            subscriber.close()

    # ---- calls

    def find_channel(self, channel_id: str) -> tuple[PbxCall, Member] | None:
        for call in self.calls.values():
            member = call.channel(channel_id)
            if member is not None:
                return call, member
        return None

    def add_caller(self, number: str, state: str = "ringing") -> PbxCall:
        """A caller on the trunk dialling the DID, at the operator's extension."""
        statuses = {
            "ringing": ("ALERT", "RING"),
            "talking": ("ANSWERED", "ANSWER"),
            "on_hold": ("HOLD", "ANSWER"),
        }
        if state not in statuses:
            raise ValueError(f"caller state must be one of {', '.join(statuses)}")
        caller_status, operator_status = statuses[state]
        cfg = self.config
        call = PbxCall(self.new_call_id())
        call.members = [
            Member(
                "inbound",
                self.trunk_channel(cfg.trunk),
                caller_status,
                from_=number,
                to=cfg.did,
                trunk=cfg.trunk,
            ),
            Member("extension", self.extension_channel(cfg.operator), operator_status,
                   number=cfg.operator),
        ]  # fmt: skip
        self.calls[call.call_id] = call
        self.emit(call)
        return call

    def set_caller_state(self, channel_id: str, state: str) -> bool:
        """Operator answers (talking), holds (on_hold) or resumes a caller."""
        found = self.find_channel(channel_id)
        if found is None:
            return False
        call, member = found
        operator = call.member("extension")
        member.status = {"talking": "ANSWERED", "on_hold": "HOLD"}.get(state, member.status)
        if operator is not None and operator.status == "RING":
            operator.status = "ANSWER"
        self.emit(call)
        return True

    def hangup(self, channel_id: str) -> bool:
        """The party on `channel_id` hangs up; a two-party call ends for both."""
        found = self.find_channel(channel_id)
        if found is None:
            return False
        call, member = found
        member.status = "BYE"
        live = [m for m in call.members if m.status != "BYE"]
        if len(live) < 2:
            for other in live:
                other.status = "BYE"
        for m in call.members:
            if m.status == "BYE" and self.plan is not None:
                self.plan.disconnect(m.channel_id)
        self.emit(call)
        return True

    def snapshot(self) -> dict[str, Any]:
        return {
            "calls": [c.wire() for c in self.calls.values()],
            "consults": [vars(c) | {} for c in self.consults.values()],
            "tokens": {
                "valid": self.tokens.valid(),
                "issued": self.tokens.issued,
                "revoked": self.tokens.revoked,
            },
            "subscribers": len(self.subscribers),
            "events_sent": self.events_sent,
            "malformed_sent": self.malformed_sent,
            "faults": dict(self.faults),
            "received": list(self.received),
        }
