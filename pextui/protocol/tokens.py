"""Keeping a session's token: refresh, and when refused, a new token with the held PIN.

``TokenLifecycle`` is the token half of ``Session`` (which sets up every attribute it
declares): it renews the token with backoff while it is still valid, then requests a new
one for as long as the node is unreachable, and reports trouble and recovery as
stream-state items on the session's queue.
"""

from __future__ import annotations

import asyncio
import dataclasses
import logging

from pextui.protocol.answers import TokenGrant
from pextui.protocol.api import ApiClient
from pextui.protocol.errors import JoinError, PexipError, TLSError, TokenError, forget_secrets
from pextui.protocol.params import JoinParams
from pextui.protocol.stream import (
    Backoff,
    EventStream,
    Rejoined,
    StreamItem,
    TokenRecovered,
    TokenTrouble,
)

log = logging.getLogger("pextui.protocol")

TOKEN_LOST = "Could not reconnect to the meeting"
REJOIN_RETRY_MAX_S = 10.0  # longest wait between attempts to rejoin a node that is down


class TokenLifecycle:
    """Token renewal for ``Session``."""

    alias: str
    expires_s: float
    validity_grace_s: float
    refreshes: int
    rejoins: int
    _api: ApiClient
    _params: JoinParams
    _grant: TokenGrant
    _token: str
    _loop: asyncio.AbstractEventLoop
    _renewed_at: float
    _renew_lock: asyncio.Lock
    _queue: asyncio.Queue[list[StreamItem]]  # items in batches (see Session.events)
    _stream: EventStream

    def _adopt(self, grant: TokenGrant, alias: str | None = None) -> None:
        self._grant = grant
        self._token = grant.token
        self.expires_s = grant.expires_s
        if alias is not None:
            self.alias = alias
        self._renewed_at = self._loop.time()

    async def renew_token(self) -> None:
        """Refresh the token; if refused, request a new one (PIN from memory).

        Transient refresh failures are retried with backoff while the token is still valid;
        after that a new token is requested, and retried for as long as the node is
        unreachable or failing (the session survives an outage longer than the token).
        Raises TokenError when the node refuses us a new token.
        """
        async with self._renew_lock:
            backoff = Backoff(max_s=max(self.expires_s / 3, 0.5))
            rejoin_backoff = Backoff(max_s=REJOIN_RETRY_MAX_S)
            troubled = False  # a TokenTrouble item went out: TokenRecovered must follow
            while True:
                try:
                    await self._refresh_once()
                    if troubled:
                        self._queue.put_nowait([TokenRecovered(rejoined=False)])
                    return
                except TokenError as exc:
                    refused = exc.status is not None and exc.status < 500
                    expired = self._token_expired()
                    troubled = True
                    if not refused and not expired:
                        delay = backoff.next_delay()
                        log.info("token refresh failed (%s); retry in %.2f s", exc.reason, delay)
                        self._queue.put_nowait([TokenTrouble(exc.reason, rejoining=False)])
                        await asyncio.sleep(delay)
                        continue
                    log.info("token refresh failed (%s); requesting a new token", exc.reason)
                    self._queue.put_nowait([TokenTrouble(exc.reason, rejoining=True)])
                try:
                    await self._rerequest()
                    self._queue.put_nowait([TokenRecovered(rejoined=True)])
                    return
                except (JoinError, TLSError) as exc:
                    # Refused (PIN, alias, access) or a certificate we no longer trust: final.
                    raise TokenError(f"could not rejoin: {exc.reason}") from None
                except PexipError as exc:
                    # Unreachable, 5xx, maintenance: a host cannot restart the console
                    # mid-meeting, so keep trying for as long as the session lives.
                    delay = rejoin_backoff.next_delay()
                    log.info(
                        "could not request a new token (%s); retry in %.1f s", exc.reason, delay
                    )
                    self._queue.put_nowait([TokenTrouble(exc.reason, rejoining=True)])
                    await asyncio.sleep(delay)

    def _token_expired(self) -> bool:
        return self._loop.time() > self._renewed_at + self.expires_s + self.validity_grace_s

    async def _refresh_once(self) -> None:
        old = self._token
        token, _, role = await self._api.refresh_token(self.alias, old)
        self._token = token
        if role is not None and role != self._grant.role:
            log.info("our role is now %s", role)
            self._grant = dataclasses.replace(self._grant, role=role, token=token)
        self._renewed_at = self._loop.time()
        self.refreshes += 1
        forget_secrets(old)
        log.debug("token refreshed")

    async def _rerequest(self) -> None:
        old = self._token
        original = self.alias == self._params.alias  # not moved by a refer since the join
        grant = await self._api.request_token(
            self.alias,
            self._params.display_name,
            pin=self._params.pin if original else None,
            conference_extension=self._params.conference_extension if original else None,
            call_tag=self._params.call_tag,
        )
        self._adopt(grant)
        self.rejoins += 1
        log.info("joined again with a new token (participant changed)")
        self._queue.put_nowait([Rejoined(grant.participant_uuid)])
        self._stream.reconnect_now()
        await self._api.release_token(self.alias, old, TOKEN_LOST)
        forget_secrets(old)

    async def _renew_after_rejection(self) -> None:
        """The event stream was refused with the current token: renew it."""
        await self.renew_token()
