"""The PBX's event WebSocket: subscribe to (30011), keep it alive, reconnect when it drops.

`run(on_event)` connects to `/openapi/v1.0/subscribe?access_token=...` with
`User-Agent: OpenAPI`, sends `{"topic_list":[30011]}` and waits for its acknowledgement,
then sends the text `heartbeat` every `heartbeat` seconds (20 by default: well inside the
PBX's 60-second idle limit). When the socket drops it reconnects with backoff and a valid
token (a new one when the PBX refused the old). Malformed and unknown messages are counted,
logged and skipped. Wrong credentials end `run` with `AuthFailed`; nothing else does.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
from collections.abc import Callable, Sequence
from typing import Literal

import websockets

from pextui.phone.yeastar.client import USER_AGENT, YeastarClient
from pextui.phone.yeastar.errors import AuthFailed, YeastarError
from pextui.phone.yeastar.events import (
    CALL_STATUS_CHANGED,
    Ack,
    CallStatusChanged,
    MalformedEvent,
    parse_message,
)

log = logging.getLogger("pextui.phone.yeastar.stream")

StreamState = Literal["connecting", "connected", "reconnecting", "closed"]
BACKOFF: tuple[float, ...] = (0.5, 1.0, 2.0, 5.0, 10.0, 30.0)
TOKEN_EXPIRED = 10004


class SubscribeRefused(YeastarError):
    """The PBX answered the subscription (or the connection) with errcode != 0."""

    def __init__(self, errcode: int, errmsg: str) -> None:
        super().__init__(f"subscribe: {errmsg or 'FAILURE'} [errcode {errcode}]")
        self.errcode = errcode


class EventStream:
    def __init__(
        self,
        client: YeastarClient,
        *,
        topics: Sequence[int] = (CALL_STATUS_CHANGED,),
        heartbeat: float = 20.0,
        backoff: Sequence[float] = BACKOFF,
        open_timeout: float = 10.0,
        on_state: Callable[[StreamState, str], None] | None = None,
    ) -> None:
        self.client = client
        self.topics = list(topics)
        self.heartbeat = heartbeat
        self.backoff = tuple(backoff)
        self.open_timeout = open_timeout
        self._on_state = on_state
        self.state: StreamState = "connecting"
        self.connects = 0
        self.malformed = 0
        self.unknown = 0
        self.heartbeats_answered = 0
        self._stopped = False
        self._socket: websockets.ClientConnection | None = None

    def _set(self, state: StreamState, detail: str = "") -> None:
        self.state = state
        if self._on_state is not None:
            self._on_state(state, detail)

    def stopped(self) -> bool:
        return self._stopped

    async def stop(self) -> None:
        self._stopped = True
        if self._socket is not None:
            await self._socket.close()

    async def run(self, on_event: Callable[[CallStatusChanged], None]) -> None:
        attempt = 0
        fresh = False
        try:
            while not self.stopped():
                before = self.connects
                try:
                    await self._session(on_event, fresh)
                    fresh = False
                except AuthFailed:
                    raise
                except SubscribeRefused as error:
                    fresh = error.errcode == TOKEN_EXPIRED
                    self._set("reconnecting", str(error))
                except (
                    OSError,
                    TimeoutError,
                    websockets.WebSocketException,
                    YeastarError,
                ) as error:
                    self._set("reconnecting", _describe(error))
                if self.connects > before:
                    attempt = 0  # it was up: start the backoff again
                if self.stopped():
                    break
                delay = self.backoff[min(attempt, len(self.backoff) - 1)]
                attempt += 1
                log.info("event socket closed; reconnecting in %.1f s", delay)
                await asyncio.sleep(delay)
        finally:
            self._set("closed")

    async def _session(self, on_event: Callable[[CallStatusChanged], None], fresh: bool) -> None:
        token = await self.client.ensure_token(fresh=fresh)
        url = self.client.websocket_url(token)
        async with websockets.connect(
            url,
            user_agent_header=USER_AGENT,
            open_timeout=self.open_timeout,
            ping_interval=None,  # the PBX wants its own heartbeat text
            close_timeout=1.0,
            max_size=1 << 20,
        ) as socket:
            self._socket = socket
            if self.stopped():  # stopped while the token or the socket was on its way
                return
            try:
                await socket.send(json.dumps({"topic_list": self.topics}))
                await self._acknowledged(socket)
                self.connects += 1
                self._set("connected")
                beating = asyncio.create_task(self._beat(socket))
                try:
                    async for raw in socket:
                        self._handle(raw, on_event)
                finally:
                    beating.cancel()
                    with contextlib.suppress(asyncio.CancelledError):
                        await beating
            finally:
                self._socket = None

    async def _acknowledged(self, socket: websockets.ClientConnection) -> None:
        while True:
            raw = await asyncio.wait_for(socket.recv(), self.open_timeout)
            try:
                message = parse_message(raw)
            except MalformedEvent:
                self.malformed += 1
                continue
            if isinstance(message, Ack):
                if message.errcode != 0:
                    raise SubscribeRefused(message.errcode, message.errmsg)
                return

    async def _beat(self, socket: websockets.ClientConnection) -> None:
        while True:
            await asyncio.sleep(self.heartbeat)
            await socket.send("heartbeat")

    def _handle(self, raw: str | bytes, on_event: Callable[[CallStatusChanged], None]) -> None:
        try:
            message = parse_message(raw)
        except MalformedEvent as error:
            self.malformed += 1
            log.warning("skipped a malformed PBX event: %s", error)
            return
        if message is None:
            self.unknown += 1
            log.debug("skipped a PBX event of another type")
            return
        if isinstance(message, Ack):
            if message.errcode == 0:
                self.heartbeats_answered += 1
            else:
                log.warning("the PBX reported errcode %s on the event socket", message.errcode)
            return
        try:
            on_event(message)
        except Exception:  # a consumer's bug must not end the stream
            log.exception("the PBX event handler failed")


def _describe(error: BaseException) -> str:
    if isinstance(error, YeastarError):
        return str(error)
    return f"event socket: {type(error).__name__}"
