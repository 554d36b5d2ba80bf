"""The server-sent event stream: typed events, stream-state items, reconnect with backoff.

`EventStream.run(handle)` keeps one connection to `events?token=...` open for as long as it
runs, always with the newest token (docs/protocol.md, "The event stream"). Every typed
event and every state change (`Connected`, `Reconnecting`, `Resynced`) goes to `handle`,
which answers with a `Directive`.
`run_batches(handle_batch)` is the same with the items of one network read handed over
together (in order; the handler stops at the first item it does not CONTINUE after).
Unknown events are ignored; malformed ones are logged (name and problem only) and skipped.
"""

from __future__ import annotations

import asyncio
import contextlib
import enum
import logging
import random
from collections.abc import AsyncGenerator, AsyncIterator, Awaitable, Callable
from typing import cast

import httpx

from pextui.protocol.api import ApiClient, network_error
from pextui.protocol.errors import TokenError, clean_reason
from pextui.protocol.models import (
    Event,
    MalformedEventError,
    ParticipantSyncBeginEvent,
    ParticipantSyncEndEvent,
    parse_event,
)
from pextui.protocol.models.parse import MAX_EVENT_SIZE
from pextui.protocol.sse import SseDecoder
from pextui.protocol.states import (
    STATE_CLASSES,
    Connected,
    Directive,
    Ended,
    Reconnecting,
    Rejoined,
    Resynced,
    StreamItem,
    StreamState,
    TokenRecovered,
    TokenTrouble,
    Transferred,
    is_event,
)

log = logging.getLogger("pextui.protocol")

__all__ = [
    "DEFAULT_READ_TIMEOUT_S",
    "MAX_FRAME",
    "STATE_CLASSES",
    "Backoff",
    "BatchHandler",
    "Connected",
    "Directive",
    "Ended",
    "EventStream",
    "Handler",
    "Reconnecting",
    "Rejoined",
    "Resynced",
    "StreamItem",
    "StreamState",
    "TokenRecovered",
    "TokenTrouble",
    "Transferred",
    "is_event",
    "one_by_one",
]

DEFAULT_READ_TIMEOUT_S = 90.0
"""No byte for this long (the simulator sends a keepalive every 10 s) means a dead stream."""

MAX_FRAME = MAX_EVENT_SIZE + 4096
"""A frame longer than this (event name, data and field names) is discarded unread."""

_SSE_HEADERS = {"Accept": "text/event-stream", "Cache-Control": "no-store"}


# -- backoff --------------------------------------------------------------------------------


class Backoff:
    """Exponential backoff with jitter: 100 ms doubling up to a 30 s cap, ±20 %."""

    def __init__(
        self,
        min_s: float = 0.1,
        max_s: float = 30.0,
        factor: float = 2.0,
        jitter: float = 0.2,
        rng: random.Random | None = None,
    ) -> None:
        self.min_s, self.max_s, self.factor, self.jitter = min_s, max_s, factor, jitter
        self.attempt = 0
        self._rng = rng or random.Random()

    def reset(self) -> None:
        self.attempt = 0

    def next_delay(self) -> float:
        base = min(self.max_s, self.min_s * self.factor ** min(self.attempt, 64))
        self.attempt += 1
        spread = base * self.jitter
        return min(self.max_s, max(0.0, base + self._rng.uniform(-spread, spread)))


# -- the stream -----------------------------------------------------------------------------


class _Outcome(enum.Enum):
    DROPPED = "dropped"
    FAILED = "failed"
    TOKEN_REJECTED = "token rejected"
    RECONNECT = "reconnect"
    STOP = "stop"


Handler = Callable[[StreamItem], Awaitable[Directive]]
BatchHandler = Callable[[list[StreamItem]], Awaitable[Directive]]


def one_by_one(handle: Handler) -> BatchHandler:
    """A batch handler that hands each item to ``handle`` in turn."""

    async def each(items: list[StreamItem]) -> Directive:
        for item in items:
            directive = await handle(item)
            if directive is not Directive.CONTINUE:
                return directive
        return Directive.CONTINUE

    return each


class EventStream:
    """One logical event stream over as many connections as it takes."""

    def __init__(
        self,
        api: ApiClient,
        credentials: Callable[[], tuple[str, str]],
        on_token_rejected: Callable[[], Awaitable[None]],
        *,
        backoff: Backoff | None = None,
        read_timeout_s: float | None = DEFAULT_READ_TIMEOUT_S,
    ) -> None:
        self._api = api
        self._credentials = credentials
        self._on_token_rejected = on_token_rejected
        self.backoff = backoff or Backoff()
        self._read_timeout_s = read_timeout_s
        self._connection: asyncio.Task[tuple[_Outcome, str]] | None = None
        self._wake = asyncio.Event()  # set by reconnect_now(): ends a backoff wait at once
        self.connections = 0
        self.malformed = 0

    def reconnect_now(self) -> None:
        """Drop the current connection, or cut short the wait before the next one, and
        reopen at once (e.g. after a new token)."""
        self._wake.set()
        if self._connection is not None and not self._connection.done():
            self._connection.cancel()

    async def run(self, handle: Handler) -> None:
        """Deliver items to `handle` until it answers STOP; reconnects forever otherwise.

        Raises TokenError if the token is rejected and cannot be renewed.
        """
        await self.run_batches(one_by_one(handle))

    async def run_batches(self, handle: BatchHandler) -> None:
        """`run`, with the items of each network read in one call of `handle`."""
        while True:
            self._wake.clear()
            connection = asyncio.create_task(self._connect_once(handle))
            self._connection = connection
            try:
                await asyncio.wait({connection})
            finally:
                if not connection.done():
                    connection.cancel()
                    await asyncio.wait({connection})
                self._connection = None
            if connection.cancelled():
                continue  # reconnect_now(): new credentials, no delay
            outcome, reason = connection.result()
            if outcome is _Outcome.STOP:
                return
            if outcome is _Outcome.RECONNECT:
                continue
            if outcome is _Outcome.TOKEN_REJECTED:
                await self._on_token_rejected()  # TokenError ends the stream
            delay = self.backoff.next_delay()
            log.info("event stream %s (%s); reconnecting in %.2f s", outcome.value, reason, delay)
            if await handle([Reconnecting(self.backoff.attempt, round(delay, 3), reason)]) is (
                Directive.STOP
            ):
                return
            await self._wait_before_reconnecting(delay)

    async def _wait_before_reconnecting(self, delay: float) -> None:
        """The backoff delay, unless reconnect_now() brings new credentials meanwhile (after a
        long outage the delay has grown to 30 s: a rejoin must not wait for it)."""
        try:
            await asyncio.wait_for(self._wake.wait(), timeout=delay)
        except TimeoutError:
            return
        self.backoff.reset()

    async def _connect_once(self, handle: BatchHandler) -> tuple[_Outcome, str]:
        alias, token = self._credentials()
        url = self._api.conference_url(alias, "events")
        timeout = httpx.Timeout(self._api.timeout_s, read=self._read_timeout_s)
        reconnect = self.connections > 0
        try:
            async with self._api.http.stream(
                "GET", url, params={"token": token}, headers=_SSE_HEADERS, timeout=timeout
            ) as response:
                if response.status_code != 200:
                    await response.aread()
                    reason = _error_reason(response)
                    if response.status_code in (401, 403):
                        return _Outcome.TOKEN_REJECTED, reason
                    return _Outcome.FAILED, f"{reason} (HTTP {response.status_code})"
                content_type = response.headers.get("content-type", "")
                if not content_type.startswith("text/event-stream"):
                    return _Outcome.FAILED, "the server did not answer with an event stream"
                self.connections += 1
                self.backoff.reset()
                log.info("event stream connected (connection %d)", self.connections)
                if await handle([Connected(reconnect)]) is Directive.STOP:
                    return _Outcome.STOP, "stopped"
                # aclosing: the body generator is closed in this task, even when cancelled,
                # never later by the garbage collector in another task.
                # httpx types the body as an AsyncIterator; it is an async generator.
                body = cast(AsyncGenerator[bytes, None], response.aiter_bytes())
                async with contextlib.aclosing(body) as chunks:
                    return await self._pump(chunks, handle, reconnect)
        except httpx.HTTPError as exc:
            return _Outcome.FAILED, network_error(exc, self._api.host).reason
        except TokenError:
            raise
        except Exception as exc:  # a handler bug must not kill the session silently
            log.exception("event stream handler failed: %s", exc.__class__.__name__)
            return _Outcome.FAILED, f"internal error ({exc.__class__.__name__})"

    async def _pump(
        self, chunks: AsyncIterator[bytes], handle: BatchHandler, reconnect: bool
    ) -> tuple[_Outcome, str]:
        syncing = False
        synced = 0
        decoder = SseDecoder(MAX_FRAME)
        parse = self._parse
        async for chunk in chunks:
            batch: list[StreamItem] = []
            for name, data in decoder.feed(chunk):
                event = parse(name, data)
                if event is None:
                    continue
                batch.append(event)
                if isinstance(event, ParticipantSyncBeginEvent):
                    syncing, synced = True, 0
                elif syncing and event.name == "participant_create":
                    synced += 1
                elif syncing and isinstance(event, ParticipantSyncEndEvent):
                    syncing = False
                    if reconnect:
                        batch.append(Resynced(synced))
            if not batch:
                continue
            directive = await handle(batch)
            if directive is Directive.STOP:
                return _Outcome.STOP, "stopped"
            if directive is Directive.RECONNECT:
                return _Outcome.RECONNECT, "reconnect requested"
        return _Outcome.DROPPED, "the server closed the stream"

    def _parse(self, name: str, data: bytes | None) -> Event | None:
        if data is None:
            self._malformed(name, f"more than {MAX_FRAME} bytes")
            return None
        if not data or data.isspace():  # no copy of every payload just to test it
            return None  # the SDK ignores empty data too
        try:
            event = parse_event(name, data)
        except MalformedEventError as exc:
            text = _replace_bad_utf8(data)
            if text is None:
                self._malformed(name, str(exc))
                return None
            try:  # as a text decoder would have read it: U+FFFD for each bad byte
                event = parse_event(name, text)
            except MalformedEventError as again:
                self._malformed(name, str(again))
                return None
        if event is None:
            log.debug("ignored unknown event %s", clean_reason(name))
        return event

    def _malformed(self, name: str, problem: str) -> None:
        self.malformed += 1
        log.warning("skipped a malformed %s event: %s", clean_reason(name), problem)


def _replace_bad_utf8(data: bytes) -> str | None:
    """``data`` decoded with replacement characters if it is not valid UTF-8, else None."""
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("utf-8", "replace")
    return None


def _error_reason(response: httpx.Response) -> str:
    try:
        body = response.json()
    except ValueError:
        return "no reason given"
    result = body.get("result") if isinstance(body, dict) else None
    return clean_reason(result) if isinstance(result, str) else "no reason given"
