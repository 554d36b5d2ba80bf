"""The Call Automation REST API the SDK calls, with HMAC auth and Repeatability.

    POST   /calling/callConnections:answer                      200 CallConnectionProperties
    GET    /calling/callConnections/{id}                        200 CallConnectionProperties
    DELETE /calling/callConnections/{id}                        204 (hang up for me)
    POST   /calling/callConnections/{id}:terminate              204 (hang up for everyone)
    POST   /calling/callConnections/{id}:transferToParticipant  202 {operationContext}

Every request: a known `api-version`, a valid HMAC signature (else 401), Repeatability
honoured where the SDK sends it. Errors are `{"error": {"code", "message"}}`; bad input
is a 4xx, never a 500.
"""

from __future__ import annotations

import asyncio
import ipaddress
import json
import logging
import time
from collections.abc import Callable
from typing import Any
from urllib.parse import urlsplit

from starlette.requests import Request
from starlette.responses import Response

from pextui.sim.acs import auth
from pextui.sim.acs.model import API_VERSIONS, error_body, target_of
from pextui.sim.acs.repeat import (
    Answer,
    RepeatabilityError,
    RepeatabilityStore,
    fingerprint,
    request_id,
)
from pextui.sim.acs.service import AcsService, OperationError
from pextui.sim.http import BadRequest, get_str, need_str, parse_object, read_body

log = logging.getLogger("pextui.sim.acs")
BODY_LIMIT = 64 * 1024
JSON = "application/json"
Result = tuple[int, dict[str, Any] | None]
Handler = Callable[[AcsService, str | None, dict[str, Any]], Result]


def error(status: int, code: str, message: str) -> Response:
    return Response(json.dumps(error_body(code, message)), status, media_type=JSON)


def check_callback_uri(uri: str, name: str) -> str:
    """An absolute HTTPS URL (plain HTTP only to a loopback host, for local testing)."""
    try:
        parts = urlsplit(uri)
        host = parts.hostname or ""
        parts.port  # noqa: B018 - raises ValueError for a bad port
    except ValueError:
        raise BadRequest(400, f"The field {name} is invalid.") from None
    if parts.scheme == "https" and host:
        return uri
    if parts.scheme == "http" and _loopback(host):
        return uri
    raise BadRequest(400, f"The field {name} is invalid: an HTTPS URL is required.")


def _loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _answer(service: AcsService, _: str | None, body: dict[str, Any]) -> Result:
    context = need_str(body, "incomingCallContext", max_len=4096)
    uri = check_callback_uri(need_str(body, "callbackUri", max_len=2048), "CallbackUri")
    operation_context = get_str(body, "operationContext", max_len=1024)
    call = service.answer(context, uri, operation_context)
    return 200, call.properties(service.app_id)


def _get(service: AcsService, call_id: str | None, _: dict[str, Any]) -> Result:
    return 200, service.get(call_id or "").properties(service.app_id)


def _hang_up(service: AcsService, call_id: str | None, _: dict[str, Any]) -> Result:
    service.hang_up(call_id or "", for_everyone=False)
    return 204, None


def _terminate(service: AcsService, call_id: str | None, _: dict[str, Any]) -> Result:
    service.hang_up(call_id or "", for_everyone=True)
    return 204, None


def _transfer(service: AcsService, call_id: str | None, body: dict[str, Any]) -> Result:
    try:
        target = target_of(body.get("targetParticipant"))
    except ValueError as why:
        raise BadRequest(400, str(why)) from None
    context = get_str(body, "operationContext", max_len=1024)
    uri = get_str(body, "operationCallbackUri", max_len=2048)
    if uri is not None:
        uri = check_callback_uri(uri, "OperationCallbackUri")
    return 202, service.transfer(call_id or "", target, context, uri)


ACTIONS: dict[str, Handler] = {"terminate": _terminate, "transferToParticipant": _transfer}


class Api:
    def __init__(self, service: AcsService, access_key: str) -> None:
        self.service = service
        self.key = auth.decode_key(access_key)
        self.repeats = RepeatabilityStore()
        self.requests = 0
        self.refused: dict[int, int] = {}

    def _route(self, request: Request) -> tuple[Handler, str | None] | Response:
        path = request.url.path
        base = "/calling/callConnections"
        if path == base + ":answer":
            return (_answer, None) if request.method == "POST" else self._no_method("POST")
        rest = path.removeprefix(base + "/")
        if rest == path or not rest or "/" in rest:
            return error(404, "NotFound", "Resource not found.")
        call_id, _, action = rest.partition(":")
        if not action:
            if request.method == "GET":
                return _get, call_id
            if request.method == "DELETE":
                return _hang_up, call_id
            return self._no_method("GET, DELETE")
        handler = ACTIONS.get(action)
        if handler is None:
            return error(404, "NotFound", f"Unknown action {action[:64]!r}.")
        return (handler, call_id) if request.method == "POST" else self._no_method("POST")

    @staticmethod
    def _no_method(allowed: str) -> Response:
        response = error(405, "MethodNotAllowed", "Method not allowed.")
        response.headers["Allow"] = allowed
        return response

    async def __call__(self, request: Request) -> Response:
        self.requests += 1
        try:
            response = await self._handle(request)
        except Exception:  # a bug must not become a 500: log it, refuse the request
            log.exception("ACS simulator: unexpected error")
            response = error(400, "BadRequest", "The request could not be processed.")
        if response.status_code >= 400:
            self.refused[response.status_code] = self.refused.get(response.status_code, 0) + 1
        return response

    async def _handle(self, request: Request) -> Response:
        routed = self._route(request)
        if isinstance(routed, Response):
            return routed
        handler, call_id = routed
        try:
            raw = await read_body(request, BODY_LIMIT)
        except BadRequest as why:
            return error(why.status, "BadRequest", why.reason)
        version = request.query_params.get("api-version")
        if version is None:
            return error(
                400, "MissingApiVersionParameter", "The api-version query parameter is required."
            )
        if version not in API_VERSIONS:
            return error(
                400, "UnsupportedApiVersion", f"The api-version {version[:32]!r} is not supported."
            )
        path_and_query = request.scope.get("raw_path", b"").decode("latin-1")
        query = request.scope.get("query_string", b"").decode("latin-1")
        if query:
            path_and_query += "?" + query
        now = time.time()
        refusal = auth.check(self.key, request.method, path_and_query, request.headers, raw, now)
        if refusal is not None:
            log.info("ACS simulator: 401 (%s)", refusal)
            return error(401, "Denied", "Denied by the resource provider.")
        faults = self.service.faults
        if faults.fail_before():
            return error(503, "ServiceUnavailable", "The service is temporarily unavailable.")
        try:
            rid = request_id(request.headers, now)
            print_ = fingerprint(request.method, request.url.path, raw)
            first = self.repeats.lookup(rid, print_, now) if rid else None
        except RepeatabilityError as why:
            return error(why.status, why.code, why.message)
        if first is not None:
            status, body_bytes = first.status, first.body
        else:
            status, body_bytes = self._execute(handler, call_id, raw)
            if rid is not None and status < 500:
                self.repeats.store(rid, Answer(status, body_bytes, print_, now))
        if faults.lose_answer():
            return error(503, "ServiceUnavailable", "The service is temporarily unavailable.")
        if faults.latency:
            await asyncio.sleep(faults.latency)
        if status == 204:
            return Response(status_code=204)
        return Response(body_bytes, status, media_type=JSON)

    def _execute(self, handler: Handler, call_id: str | None, raw: bytes) -> tuple[int, bytes]:
        """Run the operation now, synchronously: nothing else can run in between."""
        try:
            body = parse_object(raw) if raw.strip() else {}
            status, result = handler(self.service, call_id, body)
        except BadRequest as why:
            status, result = why.status, error_body("BadRequest", why.reason)
        except OperationError as why:
            status, result = why.status, error_body(why.code, why.message)
        return status, (json.dumps(result).encode() if result is not None else b"")
