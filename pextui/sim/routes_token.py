"""request_token, refresh_token, release_token and the event stream."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator, Callable

from starlette.requests import Request
from starlette.responses import Response, StreamingResponse

from pextui.sim.dispatch import node_of, token_of
from pextui.sim.events import Stream
from pextui.sim.http import BadRequest, failed, invalid_token, ok, parse_object, read_body
from pextui.sim.joining import Refused
from pextui.sim.joining import request_token as join
from pextui.sim.participants import dumps

MAINTENANCE_REASON = "System in maintenance mode"
SSE_HEADERS = {"Cache-Control": "no-cache", "X-Accel-Buffering": "no"}


async def request_token(request: Request) -> Response:
    node = node_of(request)
    if node.faults.maintenance:
        return failed(503, MAINTENANCE_REASON)
    try:
        body = parse_object(await read_body(request, node.config.max_body_bytes))
        result = join(node, request.path_params["alias"], request.headers.get("pin"), body)
    except BadRequest as error:
        return failed(error.status, error.reason)
    except Refused as refused:
        payload = {"status": refused.envelope, "result": refused.result}
        return Response(dumps(payload), refused.status, media_type="application/json")
    return ok(result)


async def refresh_token(request: Request) -> Response:
    node = node_of(request)
    token = token_of(request, allow_query=False)
    if node.conference_for_token(request.path_params["alias"], token) is None:
        return invalid_token()
    session = node.tokens.lookup(token)
    if session is None:
        return invalid_token()
    if node.faults.refuse_refresh:
        return invalid_token()
    try:
        await read_body(request, node.config.max_body_bytes)
    except BadRequest as error:
        return failed(error.status, error.reason)
    node.tokens.refresh(session)
    conference = node.conferences[session.conference_alias]
    participant = conference.member(session.participant_uuid)
    if participant is None:
        return invalid_token()
    return ok(
        {
            "token": session.token,
            "expires": str(int(node.tokens.lifetime)),
            "role": "HOST" if participant.is_host else "GUEST",
            "client_stats_update_interval": 5000,
        }
    )


async def release_token(request: Request) -> Response:
    node = node_of(request)
    token = token_of(request, allow_query=True)
    found = node.conference_for_token(request.path_params["alias"], token)
    if found is None:
        return invalid_token()
    with contextlib.suppress(BadRequest):  # a release succeeds: the reason is informative
        parse_object(await read_body(request, node.config.max_body_bytes))
    conference, uuid = found
    conference.remove(uuid, None)
    return ok(True)


async def events(request: Request) -> Response:
    node = node_of(request)
    token = token_of(request, allow_query=True)
    found = node.conference_for_token(request.path_params["alias"], token)
    if found is None:
        return invalid_token()
    conference, uuid = found
    stream = conference.open_stream(uuid)
    return StreamingResponse(
        _frames(conference.close_stream, stream, node.timings.keepalive),
        media_type="text/event-stream",
        headers=SSE_HEADERS,
    )


async def _frames(
    on_end: Callable[[Stream], None], stream: Stream, keepalive: float
) -> AsyncIterator[bytes]:
    try:
        async for chunk in stream.frames(keepalive):
            yield chunk
    finally:
        stream.close("client went away")
        on_end(stream)
