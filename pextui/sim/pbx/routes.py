"""HTTP endpoints of the simulated PBX under /openapi/v1.0/ (every answer HTTP 200 + errcode)."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import Any

from starlette.requests import ClientDisconnect, Request
from starlette.responses import JSONResponse, Response

from pextui.sim.http import BadRequest, parse_object
from pextui.sim.pbx.config import PbxConfig
from pextui.sim.pbx.operations import PbxError, transfer
from pextui.sim.pbx.state import Pbx
from pextui.sim.pbx.tokens import TokenPair

USER_AGENT = "OpenAPI"
Handler = Callable[[Request, Pbx], Awaitable[dict[str, Any]]]
SECRET_FIELDS = ("password", "refresh_token", "access_token")


def pbx_of(request: Request) -> Pbx:
    pbx: Pbx = request.app.state.pbx
    return pbx


def answer(body: dict[str, Any]) -> JSONResponse:
    return JSONResponse(body, status_code=200)


def success(**extra: Any) -> dict[str, Any]:
    return {"errcode": 0, "errmsg": "SUCCESS", **extra}


TOKEN_EXPIRED = PbxError(10004, "TOKEN EXPIRED")


def _record(pbx: Pbx, request: Request, body: object) -> None:
    """What the simulator received, secrets replaced (tests check requests against it)."""
    query = {k: ("***" if k in SECRET_FIELDS else v) for k, v in request.query_params.items()}
    if isinstance(body, dict):
        body = {k: ("***" if k in SECRET_FIELDS else v) for k, v in body.items()}
    pbx.received.append(
        {
            "method": request.method,
            "path": request.url.path,
            "query": query,
            "user_agent": request.headers.get("user-agent", ""),
            "body": body,
        }
    )


async def _body(request: Request, config: PbxConfig) -> object:
    raw = await request.body()
    if len(raw) > config.max_body_bytes:
        raise PbxError(40001, "PARAMETER SYNTAX ERROR")
    try:  # the Pexip side's rules: no NaN / Infinity, no lone surrogates, an object
        return parse_object(raw)
    except BadRequest:
        raise PbxError(40001, "PARAMETER SYNTAX ERROR") from None


def _tokens(pair: TokenPair, config: PbxConfig) -> dict[str, Any]:
    return success(
        access_token_expire_time=int(config.access_ttl),
        access_token=pair.access,
        refresh_token_expire_time=int(config.refresh_ttl),
        refresh_token=pair.refresh,
    )


async def get_token(request: Request, pbx: Pbx, body: dict[str, Any]) -> dict[str, Any]:
    config = pbx.config
    if body.get("username") != config.client_id or body.get("password") != config.client_secret:
        return {
            "errcode": -1,
            "errmsg": "FAILURE",
            "invalid_param_list": [{"field": "username or password", "value": "error"}],
        }
    pair = pbx.tokens.issue()
    if pair is None:
        raise PbxError(60002, "MAX LIMITATION EXCEEDED")
    return _tokens(pair, config)


async def refresh_token(request: Request, pbx: Pbx, body: dict[str, Any]) -> dict[str, Any]:
    token = body.get("refresh_token")
    if not isinstance(token, str) or not token:
        raise PbxError(40002, "PARAMETER ERROR", "refresh_token")
    if pbx.fault("refuse-refresh"):
        raise TOKEN_EXPIRED
    pair = pbx.tokens.refresh(token)
    if pair is None:
        raise TOKEN_EXPIRED
    return _tokens(pair, pbx.config)


def _authorised(request: Request, pbx: Pbx) -> None:
    if not pbx.tokens.is_valid(request.query_params.get("access_token")):
        raise TOKEN_EXPIRED


async def del_token(request: Request, pbx: Pbx, body: dict[str, Any]) -> dict[str, Any]:
    _authorised(request, pbx)
    pbx.tokens.revoke(request.query_params.get("access_token"))
    return success()


async def call_transfer(request: Request, pbx: Pbx, body: dict[str, Any]) -> dict[str, Any]:
    _authorised(request, pbx)
    return success(call_id=transfer(pbx, body))


async def call_query(request: Request, pbx: Pbx, body: dict[str, Any]) -> dict[str, Any]:
    _authorised(request, pbx)
    wanted = request.query_params.get("call_id")
    calls = [c.wire() for c in pbx.calls.values() if wanted in (None, c.call_id)]
    return success(data=calls)


ENDPOINTS: dict[
    str, tuple[str, Callable[[Request, Pbx, dict[str, Any]], Awaitable[dict[str, Any]]]]
] = {
    "get_token": ("POST", get_token),
    "refresh_token": ("POST", refresh_token),
    "del_token": ("GET", del_token),
    "call/transfer": ("POST", call_transfer),
    "call/query": ("GET", call_query),
}


async def openapi(request: Request) -> Response:
    pbx = pbx_of(request)
    name = request.path_params["endpoint"]
    try:
        body = await _body(request, pbx.config)  # first: a slow answer still did the work
    except ClientDisconnect:
        return Response(status_code=400)
    except PbxError as error:
        _record(pbx, request, None)
        return answer(error.body())
    latency = pbx.fault("latency-ms")
    if latency:
        await asyncio.sleep(latency / 1000)
    if pbx.error_now():
        return Response("503 Service Unavailable", status_code=503, media_type="text/plain")
    _record(pbx, request, body)
    if request.headers.get("user-agent") != USER_AGENT:
        return answer(PbxError(10005, "ACCESS DENIED").body())
    endpoint = ENDPOINTS.get(name)
    if endpoint is None or endpoint[0] != request.method:
        return answer(PbxError(10001, "INTERFACE NOT EXISTED").body())
    if not isinstance(body, dict):
        return answer(PbxError(40001, "PARAMETER SYNTAX ERROR").body())
    try:
        return answer(await endpoint[1](request, pbx, body))
    except PbxError as error:
        return answer(error.body())
