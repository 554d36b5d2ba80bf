"""One running ACS endpoint for the console, shaped like the PBX session: `run()` until
`stop()`, `desk.book`, a `version` bumped on every change, `seen()` for arrivals.

The console never sees the SDK: `answer` and `bring_in` turn Azure's errors into
`AcsError` with a short, key-free reason (the console's layer never imports azure).
`warning` is why callbacks are being refused for want of Call Automation's signing keys
("" when all is well); `on_warning` hears of every change of it.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Iterable, Mapping

from azure.core.exceptions import AzureError, ClientAuthenticationError, HttpResponseError

from pextui.phone.acs.callback_auth import CallbackAuth
from pextui.phone.acs.client import describe_error
from pextui.phone.acs.connection import ConnectionString
from pextui.phone.acs.desk import AcsDesk, DeskError
from pextui.phone.acs.endpoint import AcsEndpoint, SubscriptionError
from pextui.phone.acs.errors import AcsError
from pextui.phone.calls import Call, CallBook, CallTransfer

log = logging.getLogger("pextui.phone.acs")


def _reason(error: Exception) -> str:
    if isinstance(error, ClientAuthenticationError):
        return "ACS refused the access key (401)"
    if isinstance(error, HttpResponseError):
        return f"ACS answered {describe_error(error)}"
    if isinstance(error, AzureError):
        return f"ACS unreachable: {type(error).__name__}"
    return str(error)


class AcsSession:
    def __init__(
        self,
        connection: ConnectionString,
        *,
        book: CallBook | None = None,
        numbers: Mapping[str, str] | None = None,
        listen: tuple[str, int] = ("127.0.0.1", 0),
        public_url: str | None = None,
        ca: str | None = None,
        subscribe_simulator: bool = False,
        callback_auth: CallbackAuth | None = None,
    ) -> None:
        self.endpoint = AcsEndpoint(
            connection, book=book, numbers=numbers, listen=listen, public_url=public_url,
            ca=ca, callback_auth=callback_auth,
        )  # fmt: skip
        self.on_warning: Callable[[str], None] | None = None
        if self.endpoint.verifier is not None:
            self.endpoint.verifier.on_change = self._warning_changed
        self.desk: AcsDesk = self.endpoint.desk
        self.subscribe_simulator = subscribe_simulator
        self.state = "starting"
        self.detail = ""
        self.version = 0
        self._stopped = asyncio.Event()

    def _changed(self) -> None:
        self.version += 1

    @property
    def warning(self) -> str:
        verifier = self.endpoint.verifier
        return verifier.problem if verifier is not None else ""

    def _warning_changed(self) -> None:
        self._changed()
        if self.on_warning is not None:
            self.on_warning(self.warning)

    async def run(self) -> None:
        try:
            await self.endpoint.start()
        except OSError as error:
            self.state, self.detail = "failed", f"cannot listen for callbacks: {error}"
            self._changed()
            return
        try:
            if self.subscribe_simulator:
                await self.endpoint.subscribe_simulator()
            self.state, self.detail = "listening", self.endpoint.receiver.describe()[0]
            self._changed()
            while not self._stopped.is_set():
                if await self.desk.wait_changed(0.5):
                    self._changed()
        except (SubscriptionError, AzureError, OSError) as error:
            self.state, self.detail = "failed", _reason(error)
            self._changed()
        finally:
            await self.endpoint.stop()

    async def stop(self) -> None:
        self._stopped.set()

    async def answer(self, call_id: str) -> Call:
        try:
            call = await self.desk.answer(call_id)
        except (AzureError, DeskError) as error:
            raise AcsError(_reason(error)) from None
        self._changed()
        return call

    async def bring_in(self, call_id: str, target: str, *, new: bool = False) -> CallTransfer:
        try:
            transfer = await self.desk.transfer(call_id, target, new=new)
        except (AzureError, DeskError) as error:
            raise AcsError(_reason(error)) from None
        self._changed()
        return transfer

    def seen(self, alias: str, participants: Iterable[tuple[str, str, str]]) -> bool:
        """Roster entries (uuid, display name, uri) of `alias`; True when one settled a call."""
        pending = [
            c for c in self.desk.book if c.source == "acs" and c.transfer and not c.transfer.settled
        ]
        if not any(c.transfer and c.transfer.target_alias == alias for c in pending):
            return False
        for uuid, name, uri in participants:
            if self.desk.participant_seen(alias, uuid, name, uri) is not None:
                self._changed()
                return True
        return False
