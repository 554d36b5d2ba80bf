"""The console (or a command) as an ACS endpoint: receiver + SDK client + desk, started and
stopped together, with the periodic timeout check. Textual-free: the console runs it in
its own loop and reads `desk.book`.
"""

from __future__ import annotations

import asyncio
import contextlib
import ssl
from collections.abc import Mapping

import httpx

from pextui.phone.acs.callback_auth import CallbackAuth, CallbackVerifier
from pextui.phone.acs.client import AcsClient
from pextui.phone.acs.connection import ConnectionString
from pextui.phone.acs.desk import AcsDesk
from pextui.phone.acs.receiver import CallbackReceiver
from pextui.phone.calls import DEFAULT_TRANSFER_TIMEOUT, CallBook

SIM_SUBSCRIPTIONS = "/_acs/subscriptions"
EXPIRY_INTERVAL = 1.0


class SubscriptionError(Exception):
    """The Event Grid webhook was not validated."""


class AcsEndpoint:
    def __init__(
        self,
        connection: ConnectionString,
        *,
        book: CallBook | None = None,
        numbers: Mapping[str, str] | None = None,
        listen: tuple[str, int] = ("127.0.0.1", 0),
        public_url: str | None = None,
        ca: str | None = None,
        request_timeout: float = 10.0,
        transfer_timeout: float = DEFAULT_TRANSFER_TIMEOUT,
        callback_auth: CallbackAuth | None = None,
    ) -> None:
        self.ca = ca
        self.verifier = (
            CallbackVerifier(callback_auth, ca=ca) if callback_auth is not None else None
        )
        self.client = AcsClient(connection, verify=ca or True, timeout=request_timeout)
        holder: list[AcsDesk] = []
        self.receiver = CallbackReceiver(
            lambda event: holder[0].on_incoming(event),
            lambda event: holder[0].on_callback(event),
            listen=listen,
            public_url=public_url,
            verifier=self.verifier,
        )
        self.desk = AcsDesk(
            self.client,
            lambda: self.receiver.callback_url,
            numbers=numbers,
            book=book,
            timeout=transfer_timeout,
        )
        holder.append(self.desk)
        self._expiry: asyncio.Task[None] | None = None

    async def start(self, *, expiry: bool = True) -> AcsEndpoint:
        await self.receiver.start()
        try:
            await self.client.__aenter__()
        except BaseException:
            await self.receiver.stop()
            raise
        if expiry:
            self._expiry = asyncio.create_task(self._expire_forever())
        return self

    async def stop(self) -> None:
        if self._expiry is not None:
            self._expiry.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await self._expiry
            self._expiry = None
        await self.client.close()
        await self.receiver.stop()

    async def __aenter__(self) -> AcsEndpoint:
        return await self.start()

    async def __aexit__(self, *exc: object) -> None:
        await self.stop()

    async def _expire_forever(self) -> None:
        while True:
            await asyncio.sleep(EXPIRY_INTERVAL)
            with contextlib.suppress(Exception):  # a query failing now is retried next time
                await self.desk.expire()

    async def subscribe_simulator(self) -> None:
        """Register the Event Grid webhook with the simulator (in Azure: an Event Grid
        subscription to the resource's IncomingCall events, made in the portal or CLI)."""
        verify: ssl.SSLContext | bool = (
            ssl.create_default_context(cafile=self.ca) if self.ca else True
        )
        url = self.client.connection.endpoint.rstrip("/") + SIM_SUBSCRIPTIONS
        async with httpx.AsyncClient(verify=verify, timeout=10) as http:
            answer = await http.post(url, json={"endpoint": self.receiver.eventgrid_url})
        if answer.status_code != 201:
            raise SubscriptionError(
                f"the simulator did not validate the webhook ({answer.status_code})"
            )
