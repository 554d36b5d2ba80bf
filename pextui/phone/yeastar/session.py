"""One running connection to the PBX for the console: client, event stream and desk together.

`run()` loads the calls (call/query), then follows the event stream; after every
reconnect it loads them again (events missed while the socket was down). It ends only by
`stop()`, by wrong credentials (state "refused"), or by cancellation; the token is revoked
on the way out. Textual-free: the console runs `run()` in a worker and reads `desk.book`.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Callable, Iterable

from pextui.phone.settings import PbxSettings
from pextui.phone.yeastar.client import YeastarClient
from pextui.phone.yeastar.credentials import Credentials
from pextui.phone.yeastar.desk import YeastarDesk
from pextui.phone.yeastar.errors import AuthFailed, YeastarError
from pextui.phone.yeastar.events import CallStatusChanged
from pextui.phone.yeastar.stream import BACKOFF, EventStream, StreamState

log = logging.getLogger("pextui.phone.yeastar")


class YeastarSession:
    def __init__(
        self,
        settings: PbxSettings,
        credentials: Credentials,
        *,
        heartbeat: float = 20.0,
        backoff: tuple[float, ...] = BACKOFF,
        timeout: float = 10.0,
        clock: Callable[[], float] = time.time,
        ca_bundle: str | None = None,
    ) -> None:
        verify: bool | str = ca_bundle or not settings.insecure
        self.settings = settings
        self.client = YeastarClient(settings.base_url, credentials, verify=verify, timeout=timeout)
        self.desk = YeastarDesk(
            self.client, operator=settings.operator, numbers=settings.numbers, clock=clock
        )
        self.stream = EventStream(
            self.client, heartbeat=heartbeat, backoff=backoff, on_state=self._on_state
        )
        self.state: StreamState | str = "connecting"
        self.detail = ""
        self.version = 0  # bumped on every change the panel should redraw
        self._reloads: set[asyncio.Task[None]] = set()

    def _on_state(self, state: StreamState, detail: str) -> None:
        self.state, self.detail = state, detail
        self.version += 1
        if state == "connected":
            task = asyncio.get_running_loop().create_task(self.reload())
            self._reloads.add(task)
            task.add_done_callback(self._reloads.discard)

    def _on_event(self, event: CallStatusChanged) -> None:
        self.desk.apply(event)
        self.version += 1

    async def reload(self) -> None:
        try:
            self.desk.load(await self.client.query_calls())
            self.version += 1
        except YeastarError as error:
            log.info("call/query failed: %s", error)

    async def run(self) -> None:
        try:
            await self.stream.run(self._on_event)
        except AuthFailed as error:
            self.state, self.detail = (
                "refused",
                f"the PBX refused the Client ID / Secret: {error.errmsg}",
            )
            self.version += 1
        finally:
            for task in list(self._reloads):
                task.cancel()
            with contextlib.suppress(Exception):
                await self.client.aclose()

    async def stop(self) -> None:
        await self.stream.stop()

    def seen(self, alias: str, participants: Iterable[tuple[str, str, str]]) -> bool:
        """Roster entries (uuid, display name, uri) of `alias`; True when one settled a call."""
        if not any(
            c.transfer and not c.transfer.settled and c.transfer.target_alias == alias
            for c in self.desk.book
        ):
            return False
        for uuid, name, uri in participants:
            if self.desk.participant_seen(alias, uuid, name, uri) is not None:
                self.version += 1
                return True
        return False

    def tick(self) -> None:
        if self.desk.expire() or self.desk.book.prune(self.desk.clock()):
            self.version += 1
