"""Posting to the application: Event Grid (handshake, IncomingCall) and Call Automation
callbacks (CloudEvents, one event per POST, as ACS sends them), each callback signed
(`Authorization: Bearer <JWT>`, see signing.py).

Callbacks of one call go out in order, one burst after the other; the faults may drop,
duplicate (same event id twice) or reverse a burst. A failed delivery is retried a few
times (connection error or 5xx); a 4xx refusal is final. Event Grid subscriptions start
with the validation handshake: the endpoint must echo the validation code.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import secrets
import uuid
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import httpx

from pextui.sim.acs.faults import AcsFaults
from pextui.sim.acs.model import validation_event
from pextui.sim.acs.signing import CallbackSigner

log = logging.getLogger("pextui.sim.acs")
RETRY_DELAYS = (0.2, 0.5, 1.0)
TIMEOUT = 5.0
NOTIFICATION = {"aeg-event-type": "Notification", "content-type": "application/json"}


@dataclass(slots=True)
class Subscription:
    id: str
    endpoint: str
    state: str = "validating"  # validating | active | failed
    reason: str = ""


class Deliverer:
    def __init__(self, faults: AcsFaults, topic: str, signer: CallbackSigner | None = None) -> None:
        self.faults = faults
        self.topic = topic
        self.signer = signer  # signs every callback (Event Grid's deliveries are not)
        self.subscriptions: dict[str, Subscription] = {}
        self.counts: Counter[str] = Counter()
        self.delivered: list[dict[str, Any]] = []  # what reached the app: type, id, uri
        self._locks: dict[str, asyncio.Lock] = {}
        self._tasks: set[asyncio.Task[None]] = set()
        self._client: httpx.AsyncClient | None = None
        self.on_active: Callable[[], None] | None = None

    def _http(self) -> httpx.AsyncClient:
        if self._client is None:
            self._client = httpx.AsyncClient(timeout=TIMEOUT, follow_redirects=False)
        return self._client

    async def close(self) -> None:
        for task in list(self._tasks):
            task.cancel()
        for task in list(self._tasks):
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await task
        if self._client is not None:
            await self._client.aclose()
            self._client = None

    def spawn(self, coro: Any) -> None:
        task: asyncio.Task[None] = asyncio.get_running_loop().create_task(coro)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def subscribe(self, endpoint: str) -> Subscription:
        """Create an Event Grid subscription: active only after the handshake succeeded."""
        subscription = Subscription(str(uuid.uuid4()), endpoint)
        self.subscriptions[subscription.id] = subscription
        code = secrets.token_hex(16)
        headers = {"aeg-event-type": "SubscriptionValidation", "content-type": "application/json"}
        try:
            response = await self._http().post(
                endpoint, json=[validation_event(code, self.topic)], headers=headers
            )
            answer = response.json() if response.status_code == 200 else None
        except (httpx.HTTPError, ValueError) as error:
            subscription.state, subscription.reason = (
                "failed",
                f"unreachable: {type(error).__name__}",
            )
            return subscription
        if isinstance(answer, dict) and answer.get("validationResponse") == code:
            subscription.state = "active"
            if self.on_active is not None:
                self.on_active()
        else:
            subscription.state = "failed"
            subscription.reason = (
                f"the endpoint did not echo the validation code (HTTP {response.status_code})"
            )
        self.counts["handshakes"] += 1
        return subscription

    async def subscribe_until_valid(self, endpoint: str, attempts: int = 60) -> None:
        """Keep trying (every 2 s) until the endpoint passes the handshake."""
        for _ in range(attempts):
            subscription = await self.subscribe(endpoint)
            if subscription.state == "active":
                return
            del self.subscriptions[subscription.id]
            await asyncio.sleep(2.0)

    def publish(self, event: dict[str, Any]) -> int:
        """Deliver an Event Grid event to every active subscription; how many."""
        active = [s for s in self.subscriptions.values() if s.state == "active"]
        for subscription in active:
            self.spawn(self._post(subscription.endpoint, [event], NOTIFICATION, "eventgrid"))
        return len(active)

    def callback(self, call_id: str, events: list[tuple[str, dict[str, Any]]]) -> None:
        """Queue one burst of callback events (uri, event) of `call_id`."""
        self.spawn(self._burst(call_id, events))

    async def _burst(self, call_id: str, events: list[tuple[str, dict[str, Any]]]) -> None:
        lock = self._locks.setdefault(call_id, asyncio.Lock())
        async with lock:
            if self.faults.callback_delay:
                await asyncio.sleep(self.faults.callback_delay)
            ordered = list(reversed(events)) if self.faults.reorder else list(events)
            for uri, event in ordered:
                if self.faults.lose_callback():
                    self.counts["callbacks_lost"] += 1
                    continue
                copies = 2 if self.faults.duplicate_callback() else 1
                self.counts["callbacks_duplicated"] += copies - 1
                for _ in range(copies):
                    await self._post(uri, [event], {"content-type": "application/json"}, "callback")

    async def _post(
        self, uri: str, body: list[dict[str, Any]], headers: dict[str, str], kind: str
    ) -> None:
        for attempt, delay in enumerate((0.0, *RETRY_DELAYS)):
            if delay:
                await asyncio.sleep(delay)
            sent = headers
            if kind == "callback" and self.signer is not None:
                token = self.signer.authorization(self.faults)  # a new one per delivery
                sent = {**headers, "authorization": token} if token else headers
            try:
                response = await self._http().post(uri, json=body, headers=sent)
            except httpx.HTTPError as error:
                log.info(
                    "%s delivery attempt %d failed: %s", kind, attempt + 1, type(error).__name__
                )
                continue
            if response.status_code < 300:
                self.counts[f"{kind}s_delivered"] += 1
                for event in body:
                    name = event.get("type") or event.get("eventType")
                    self.delivered.append({"kind": kind, "type": name, "id": event["id"]})
                return
            if response.status_code < 500:
                self.counts[f"{kind}s_refused"] += 1
                return
        self.counts[f"{kind}s_undeliverable"] += 1
