"""The Yeastar P-Series OpenAPI client over httpx: tokens, call/query and call/transfer.

* Every request carries `User-Agent: OpenAPI`; every call after get_token carries
  `?access_token=` in the query string. No URL with a token is ever logged by this module
  (and the log file redacts `access_token=` in what httpx logs).
* The access token is refreshed `refresh_margin` seconds before it expires (a sixth of its
  lifetime by default: 5 minutes of 30); when refreshing fails, a new get_token follows.
* An answer of 10004 (token expired) gets a new token and the request once more: the PBX
  refused it, nothing was done. A request that timed out is never sent again: for a
  transfer the caller checks the call's state (`query_calls`) before deciding anything.
* `aclose()` (and leaving `async with`) revokes the token with del_token, whatever happened.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Literal
from urllib.parse import urlsplit, urlunsplit

import httpx

from pextui.logs import register_secret
from pextui.phone.yeastar.credentials import Credentials
from pextui.phone.yeastar.errors import (
    ApiError,
    BadResponse,
    RequestTimedOut,
    TokenExpired,
    Unreachable,
    api_error,
)

log = logging.getLogger("pextui.phone.yeastar")

API_PATH = "/openapi/v1.0/"
USER_AGENT = "OpenAPI"
AttendedOperation = Literal["complete", "abort", "threeway", "swap"]
ATTENDED_OPERATIONS: tuple[AttendedOperation, ...] = ("complete", "abort", "threeway", "swap")


@dataclass
class Tokens:
    access: str
    refresh: str
    access_expires: float  # on the client's monotonic clock
    refresh_expires: float
    access_ttl: float


def redact_url(url: str) -> str:
    """`url` without its query string (where the access token travels)."""
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc, parts.path, "", ""))


class YeastarClient:
    def __init__(
        self,
        base_url: str,
        credentials: Credentials,
        *,
        verify: bool | str = True,
        timeout: float = 10.0,
        refresh_margin: float | None = None,
        clock: Callable[[], float] = time.monotonic,
        transport: httpx.AsyncBaseTransport | None = None,
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self._credentials = credentials
        self._refresh_margin = refresh_margin
        self._clock = clock
        self._http = httpx.AsyncClient(
            base_url=self.base_url + API_PATH,
            headers={"User-Agent": USER_AGENT},
            verify=verify,
            timeout=timeout,
            transport=transport,
        )
        self.tokens: Tokens | None = None
        self.tokens_obtained = 0  # get_token answers (tests and diagnostics)
        self.tokens_refreshed = 0

    # ---- lifecycle

    async def __aenter__(self) -> YeastarClient:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        """Revoke the token (best effort) and close the connection pool."""
        try:
            await self.del_token()
        except Exception as error:  # revoking must never hide what ended the session
            log.info("del_token failed: %s", error)
        finally:
            await self._http.aclose()

    # ---- tokens

    def _store(self, answer: dict[str, Any]) -> str:
        access, refresh = answer.get("access_token"), answer.get("refresh_token")
        access_ttl = answer.get("access_token_expire_time")
        refresh_ttl = answer.get("refresh_token_expire_time")
        if not (isinstance(access, str) and access and isinstance(refresh, str) and refresh):
            raise BadResponse("the token answer has no access_token / refresh_token")
        if not isinstance(access_ttl, int | float) or not isinstance(refresh_ttl, int | float):
            raise BadResponse("the token answer has no expire times")
        register_secret(access)
        register_secret(refresh)
        now = self._clock()
        self.tokens = Tokens(
            access, refresh, now + float(access_ttl), now + float(refresh_ttl), float(access_ttl)
        )
        return access

    async def get_token(self) -> str:
        body = {
            "username": self._credentials.client_id,
            "password": self._credentials.client_secret,
        }
        answer = await self._send("POST", "get_token", body=body)
        self.tokens_obtained += 1
        return self._store(answer)

    async def refresh(self) -> str:
        if self.tokens is None:
            return await self.get_token()
        answer = await self._send(
            "POST", "refresh_token", body={"refresh_token": self.tokens.refresh}
        )
        self.tokens_refreshed += 1
        return self._store(answer)

    async def del_token(self) -> None:
        tokens, self.tokens = self.tokens, None
        if tokens is not None and tokens.access_expires > self._clock():
            await self._send("GET", "del_token", params={"access_token": tokens.access})

    def _margin(self, tokens: Tokens) -> float:
        if self._refresh_margin is not None:
            return self._refresh_margin
        return tokens.access_ttl / 6

    async def ensure_token(self, *, fresh: bool = False) -> str:
        """A valid access token: the current one, a refreshed one, or a new one."""
        tokens = self.tokens
        now = self._clock()
        if tokens is not None and not fresh and now < tokens.access_expires - self._margin(tokens):
            return tokens.access
        if tokens is not None and now < tokens.refresh_expires:
            try:
                return await self.refresh()
            except ApiError as error:
                log.info("refresh_token refused (%s): getting a new token", error.errmsg)
        self.tokens = None
        return await self.get_token()

    # ---- requests

    async def call(
        self,
        method: str,
        endpoint: str,
        *,
        body: dict[str, Any] | None = None,
        params: dict[str, str] | None = None,
    ) -> dict[str, Any]:
        """An authorised request; one new token and retry when the PBX says 10004."""
        token = await self.ensure_token()
        try:
            return await self._send(
                method, endpoint, body=body, params={**(params or {}), "access_token": token}
            )
        except TokenExpired:
            token = await self.ensure_token(fresh=True)
            return await self._send(
                method, endpoint, body=body, params={**(params or {}), "access_token": token}
            )

    async def _send(
        self,
        method: str,
        endpoint: str,
        *,
        body: dict[str, Any] | None = None,
        params: dict[str, str] | None = None,
    ) -> dict[str, Any]:
        log.debug("%s %s", method, endpoint)
        try:
            response = await self._http.request(method, endpoint, json=body, params=params)
        except httpx.TimeoutException:
            raise RequestTimedOut(f"{endpoint}: the PBX did not answer in time") from None
        except httpx.HTTPError as error:
            raise Unreachable(
                f"{endpoint}: cannot reach the PBX ({type(error).__name__})"
            ) from None
        if response.status_code != 200:
            raise Unreachable(f"{endpoint}: the PBX answered HTTP {response.status_code}")
        try:
            answer = response.json()
        except ValueError:
            raise BadResponse(f"{endpoint}: the PBX's answer is not JSON") from None
        if not isinstance(answer, dict) or not isinstance(answer.get("errcode"), int):
            raise BadResponse(f"{endpoint}: the PBX's answer has no errcode")
        if answer["errcode"] != 0:
            errmsg = answer.get("errmsg")
            raise api_error(endpoint, answer["errcode"], str(errmsg) if errmsg else "",
                            _fields(answer))  # fmt: skip
        return answer

    # ---- calls

    async def query_calls(self, call_id: str | None = None) -> list[dict[str, Any]]:
        """The PBX's current calls (raw Call_Info objects) via call/query."""
        params = {"call_id": call_id} if call_id else None
        answer = await self.call("GET", "call/query", params=params)
        data = answer.get("data", [])
        if not isinstance(data, list):
            raise BadResponse("call/query: data is not a list")
        return [item for item in data if isinstance(item, dict)]

    async def transfer_blind(self, channel_id: str, number: str, dial_permission: str) -> str:
        """Blind transfer of the member on `channel_id` to `number`; the PBX's call_id."""
        return await self._transfer({"type": "blind", "channel_id": channel_id, "number": number,
                                     "dial_permission": dial_permission})  # fmt: skip

    async def transfer_attended(self, channel_id: str, number: str, dial_permission: str) -> str:
        """Attended transfer, step 1: the transferor on `channel_id` consults `number`."""
        body = {"type": "attended", "channel_id": channel_id, "number": number}
        return await self._transfer(body | {"dial_permission": dial_permission})

    async def attended_operate(self, channel_id: str, operation: AttendedOperation) -> str:
        """Attended transfer, step 2: complete, abort, threeway or swap."""
        if operation not in ATTENDED_OPERATIONS:
            raise ValueError(f"attended_operate is one of {', '.join(ATTENDED_OPERATIONS)}")
        return await self._transfer({"type": "attended", "channel_id": channel_id,
                                     "attended_operate": operation})  # fmt: skip

    async def _transfer(self, body: dict[str, Any]) -> str:
        answer = await self.call("POST", "call/transfer", body=body)
        call_id = answer.get("call_id")
        return str(call_id) if call_id is not None else ""

    def websocket_url(self, access_token: str) -> str:
        parts = urlsplit(self.base_url)
        scheme = "wss" if parts.scheme == "https" else "ws"
        return urlunsplit((scheme, parts.netloc, parts.path.rstrip("/") + API_PATH + "subscribe",
                           f"access_token={access_token}", ""))  # fmt: skip


def _fields(answer: dict[str, Any]) -> tuple[str, ...]:
    invalid = answer.get("invalid_param_list")
    if not isinstance(invalid, list):
        return ()
    return tuple(
        str(item["field"]) for item in invalid if isinstance(item, dict) and "field" in item
    )
