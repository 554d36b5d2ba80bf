"""A joined conference: token lifecycle, the event stream and every host function.

```python
session = await connect(JoinParams(node_url=..., alias="meet.demo", pin="1234"))
async with session:
    async for item in session.events():   # typed Event or a stream-state item
        ...
    await session.mute(uuid)
```
The token is refreshed every `expires / 3` seconds (and at once on a `refresh_token` event);
when a refresh is refused, a new token is requested with the PIN held in memory. The token
is released on every exit path: `close()`, a server `disconnect`, a lost token, and the
cancellation of the task that owns the session (through `async with`).
"""

from __future__ import annotations

import asyncio
import collections
import contextlib
import logging
from collections.abc import AsyncIterator
from typing import Any

import httpx

from pextui.protocol.actions import HostActions
from pextui.protocol.answers import TokenGrant
from pextui.protocol.api import ApiClient
from pextui.protocol.errors import (
    ActionError,
    PexipError,
    SessionClosedError,
    TokenError,
    error_code,
    forget_secrets,
    protect_secret,
)
from pextui.protocol.models import DisconnectEvent, ReferEvent, RefreshTokenEvent
from pextui.protocol.params import JoinParams
from pextui.protocol.stream import (
    Backoff,
    Directive,
    Ended,
    EventStream,
    StreamItem,
    Transferred,
)
from pextui.protocol.tokens import TOKEN_LOST as TOKEN_LOST
from pextui.protocol.tokens import TokenLifecycle

log = logging.getLogger("pextui.protocol")

USER_DISCONNECT = "User initiated disconnect"
VALIDITY_GRACE_S = 5.0  # the SDK counts a token valid until last renewal + expires + 5 s


_STEERING = (DisconnectEvent, ReferEvent, RefreshTokenEvent)
"""Events the session acts on itself (not only passes on)."""


class Session(TokenLifecycle, HostActions):
    """The live, joined session. Create it with `connect()`; close it with `close()`."""

    def __init__(
        self,
        api: ApiClient,
        params: JoinParams,
        grant: TokenGrant,
        *,
        read_timeout_s: float | None = None,
    ) -> None:
        self._api = api
        self._params = params
        self.alias = params.alias
        self._grant = grant
        self._token = grant.token
        # The refresh period comes from request_token's `expires` (refresh answers ignored).
        self.expires_s: float = grant.expires_s
        self._loop = asyncio.get_running_loop()
        self._renewed_at = self._loop.time()
        self._refresh_now = asyncio.Event()
        self._renew_lock = asyncio.Lock()
        # Items travel in batches: one per network read, or a single state item.
        self._queue: asyncio.Queue[list[StreamItem]] = asyncio.Queue()
        self._pending: collections.deque[StreamItem] = collections.deque()
        self._ended: Ended | None = None
        self._released = False
        self._closing: asyncio.Task[None] | None = None
        stream_kwargs: dict[str, Any] = {}
        if read_timeout_s is not None:
            stream_kwargs["read_timeout_s"] = read_timeout_s
        self._stream = EventStream(
            api, self._credentials, self._renew_after_rejection, backoff=Backoff(), **stream_kwargs
        )
        self._stream_task: asyncio.Task[None] | None = None
        self._stream_participant = grant.participant_uuid
        self._keeper_task: asyncio.Task[None] = asyncio.create_task(
            self._keep_token(), name="pextui-token-keeper"
        )
        self.validity_grace_s = VALIDITY_GRACE_S
        self.refreshes = 0
        self.rejoins = 0
        self.transfers = 0

    # -- what the session knows ------------------------------------------------------------

    @property
    def participant_uuid(self) -> str:
        return self._grant.participant_uuid

    @property
    def role(self) -> str:
        """HOST or GUEST."""
        return self._grant.role

    @property
    def is_host(self) -> bool:
        return self._grant.role == "HOST"

    @property
    def display_name(self) -> str:
        return self._grant.display_name

    @property
    def conference_name(self) -> str:
        return self._grant.conference_name or self.alias

    @property
    def reception(self) -> str | None:
        """The Virtual Reception we came in through (None when joined directly, or once a
        transfer moved us: the requests then go to the new conference's own alias)."""
        target = self._params.conference_extension
        return self.alias if target and self.alias == self._params.alias else None

    @property
    def conference_alias(self) -> str:
        """The alias of the conference we are in: the target when we came in through a
        Virtual Reception (``alias`` stays the reception's: the requests go there)."""
        if self.reception is not None and self._params.conference_extension:
            return self._params.conference_extension
        return self.alias

    @property
    def node_url(self) -> str:
        return self._api.base_url

    @property
    def service_type(self) -> str | None:
        return self._grant.current_service_type or self._grant.service_type

    @property
    def closed(self) -> bool:
        return self._ended is not None

    @property
    def end(self) -> Ended | None:
        """Why the session ended, once it has."""
        return self._ended

    @property
    def stream_connections(self) -> int:
        return self._stream.connections

    @property
    def malformed_events(self) -> int:
        return self._stream.malformed

    # -- the event stream ------------------------------------------------------------------

    async def events(self) -> AsyncIterator[StreamItem]:
        """Typed events and stream-state items until the session ends (last item: `Ended`)."""
        if self._stream_task is None and self._ended is None:
            self._stream_task = asyncio.create_task(self._run_stream(), name="pextui-events")
        pending = self._pending  # a consumer may stop mid-batch and iterate again later
        while True:
            while pending:
                item = pending.popleft()
                yield item
                if isinstance(item, Ended):
                    return
            if self._ended is not None and self._queue.empty():
                yield self._ended
                return
            pending.extend(await self._queue.get())

    async def batches(self) -> AsyncIterator[list[StreamItem]]:
        """`events()` a network read at a time: the same items in the same order, in lists
        (the last one ends with `Ended`, which is always queued alone)."""
        if self._stream_task is None and self._ended is None:
            self._stream_task = asyncio.create_task(self._run_stream(), name="pextui-events")
        while True:
            if self._pending:  # left by a consumer of `events()` that stopped mid-batch
                batch = list(self._pending)
                self._pending.clear()
            elif self._ended is not None and self._queue.empty():
                batch = [self._ended]
            else:
                batch = await self._queue.get()
            yield batch
            if isinstance(batch[-1], Ended):
                return

    async def _run_stream(self) -> None:
        try:
            await self._stream.run_batches(self._handle_batch)
        except TokenError as exc:
            await self._finish(TOKEN_LOST, detail=exc.reason)

    def _credentials(self) -> tuple[str, str]:
        self._stream_participant = self.participant_uuid
        return self.alias, self._token

    async def _handle_batch(self, items: list[StreamItem]) -> Directive:
        """Queue a read's items in one go; the few that steer the session go one by one."""
        if self._ended is not None:
            return Directive.STOP
        plain: list[StreamItem] = []
        for item in items:
            if isinstance(item, _STEERING):
                if plain:
                    self._queue.put_nowait(plain)
                    plain = []
                directive = await self._handle(item)
                if directive is not Directive.CONTINUE:
                    return directive
            else:
                plain.append(item)
        if plain:
            self._queue.put_nowait(plain)
        return Directive.CONTINUE

    async def _handle(self, item: StreamItem) -> Directive:
        if self._ended is not None:
            return Directive.STOP
        if isinstance(item, DisconnectEvent) and self._stream_participant != self.participant_uuid:
            # Meant for the participant we were before a re-request: not for us.
            log.info("ignored a disconnect of our previous participant")
            return Directive.RECONNECT
        self._queue.put_nowait([item])
        if isinstance(item, RefreshTokenEvent):
            self._refresh_now.set()
        elif isinstance(item, DisconnectEvent):
            await self._finish(item.reason or "Disconnected by the server")
            return Directive.STOP
        elif isinstance(item, ReferEvent):
            return await self._follow_refer(item)
        return Directive.CONTINUE

    async def _follow_refer(self, event: ReferEvent) -> Directive:
        """Join the referred alias with the one-time token (no PIN) and move the session."""
        target = event.data.alias
        protect_secret(event.data.token)
        old_alias, old_token = self.alias, self._token
        try:
            async with self._renew_lock:  # no refresh of the old token meanwhile
                grant = await self._api.request_token(
                    target, self._params.display_name, one_time_token=event.data.token
                )
                self._adopt(grant, alias=target)
        except PexipError as exc:
            log.warning("could not follow the transfer to %s: %s", target, exc.reason)
            await self._finish(f"Transfer to {target} failed: {exc.reason}")
            return Directive.STOP
        self.transfers += 1
        log.info("followed a transfer to %s as %s", target, grant.role)
        await self._api.release_token(old_alias, old_token, "Transferred")
        forget_secrets(old_token)
        self._queue.put_nowait([Transferred(target, grant.participant_uuid, grant.role)])
        return Directive.RECONNECT

    # -- token lifecycle -------------------------------------------------------------------

    async def _keep_token(self) -> None:
        while True:
            period = max(self.expires_s / 3, 0.2)
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._refresh_now.wait(), timeout=period)
            self._refresh_now.clear()
            try:
                await self.renew_token()
            except TokenError as exc:
                await self._finish(TOKEN_LOST, detail=exc.reason)
                return
            except Exception as exc:  # never let the token silently stop being refreshed
                log.exception("token refresh failed unexpectedly")
                await self._finish(TOKEN_LOST, detail=exc.__class__.__name__)
                return

    # -- host functions --------------------------------------------------------------------

    async def _call(self, action: str, method: str, path: str, body: Any = None) -> Any:
        if self._ended is not None:
            raise SessionClosedError(f"cannot {action}: the session has ended")
        token = self._token
        try:
            return await self._api.call(action, self.alias, token, method, path, body)
        except ActionError as exc:
            if exc.status != 403 or exc.reason != "Invalid token":
                raise
        if token == self._token:  # not renewed meanwhile
            try:
                await self.renew_token()
            except TokenError as exc:
                raise ActionError(action, exc.reason, 403) from None
        return await self._api.call(action, self.alias, self._token, method, path, body)

    async def presentation_frame(self, frame_id: str, high: bool = False) -> bytes:
        """The JPEG of presentation frame `frame_id` (from a presentation_frame event)."""
        if self._ended is not None:
            raise SessionClosedError("cannot fetch a frame: the session has ended")
        return await self._api.fetch_frame(self.alias, self._token, frame_id, high)

    # -- ending ----------------------------------------------------------------------------

    async def _finish(self, reason: str, detail: str | None = None) -> None:
        """End from inside (server disconnect, lost token): release, stop tasks, say why."""
        if self._ended is not None:
            return
        self._ended = Ended(reason, error_code(reason))
        log.info("session ended: %s%s", reason, f" ({detail})" if detail else "")
        await self._stop_tasks()
        await self._release(reason)
        self._queue.put_nowait([self._ended])

    async def _stop_tasks(self) -> None:
        current = asyncio.current_task()
        tasks = [t for t in (self._keeper_task, self._stream_task) if t and t is not current]
        for task in tasks:
            task.cancel()
        for task in tasks:
            try:
                await task
            except asyncio.CancelledError:
                pass
            except Exception as exc:  # shutting down anyway, but say that it broke
                log.warning("%s failed: %s", task.get_name(), exc.__class__.__name__)

    async def _release(self, reason: str) -> None:
        if self._released:
            return
        self._released = True
        await self._api.release_token(self.alias, self._token, reason)
        forget_secrets(self._token)

    async def close(self, reason: str = USER_DISCONNECT) -> None:
        """Leave: stop the stream and the refresh, release the token, close the connection.

        Safe to call more than once, from several tasks, and from a task being cancelled:
        the shutdown runs once, in its own task, to the end.
        """
        if self._ended is None:
            self._ended = Ended(reason, error_code(reason))
            self._queue.put_nowait([self._ended])
        if self._closing is None:
            self._closing = asyncio.create_task(self._shutdown(reason), name="pextui-close")
        await asyncio.shield(self._closing)

    async def _shutdown(self, reason: str) -> None:
        try:
            await self._stop_tasks()
            await self._release(reason)
        finally:
            with contextlib.suppress(httpx.HTTPError, RuntimeError):
                await self._api.aclose()

    async def __aenter__(self) -> Session:
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.close()


async def open_session(
    params: JoinParams,
    *,
    transport: httpx.AsyncBaseTransport | None = None,
    read_timeout_s: float | None = None,
) -> Session:
    """Check the node, request a token and return the joined session (see `connect`)."""
    api = ApiClient(
        params.node_url, verify=params.verify, timeout_s=params.timeout_s, transport=transport
    )
    try:
        await api.check_status()
        grant = await api.request_token(
            params.alias,
            params.display_name,
            pin=params.pin,
            conference_extension=params.conference_extension,
            call_tag=params.call_tag,
        )
    except BaseException:
        await api.aclose()
        raise
    log.info("joined %s as %s (%s)", params.alias, grant.role, grant.current_service_type)
    return Session(api, params, grant, read_timeout_s=read_timeout_s)
