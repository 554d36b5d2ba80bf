"""The Starlette application of the simulated node (importable for tests and the CLI)."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator, Awaitable, Callable

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.middleware.cors import CORSMiddleware
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route
from starlette.types import ASGIApp, Receive, Scope, Send

from pextui.sim import presentation, routes_breakout, routes_control, routes_theme, routes_token
from pextui.sim.background import start_background
from pextui.sim.config import SimConfig
from pextui.sim.dispatch import dispatch, node_of
from pextui.sim.http import failed, ok
from pextui.sim.node import Node
from pextui.sim.routes_conference import CONFERENCE
from pextui.sim.routes_participant import CALL, PARTICIPANT
from pextui.sim.routes_token import MAINTENANCE_REASON

log = logging.getLogger("pextui.sim")
# these register their functions in the tables on import
REGISTERING_MODULES = (presentation, routes_breakout, routes_theme)


def _report_failure(task: asyncio.Task[None]) -> None:
    """Log a background task (expiry, churn, scenario) that stopped with an error."""
    if not task.cancelled() and task.exception() is not None:
        log.warning("%s failed: %r", task.get_name(), task.exception())


PREFIX = "/api/client/v2/conferences/{alias}"
ERROR_REASONS = {502: "502 Bad Gateway", 503: "503 Service Unavailable"}


async def conference_function(request: Request) -> Response:
    name = request.path_params["function"]
    if name == "request_token":
        return await _only_post(request, routes_token.request_token)
    if name == "refresh_token":
        return await _only_post(request, routes_token.refresh_token)
    if name == "release_token":
        return await _only_post(request, routes_token.release_token)
    if name == "events":
        if request.method != "GET":
            return _not_allowed(request, "GET")
        return await routes_token.events(request)
    return await dispatch(request, CONFERENCE, name)


async def theme(request: Request) -> Response:
    return await dispatch(request, CONFERENCE, "theme/")


async def theme_image(request: Request) -> Response:
    return await dispatch(request, CONFERENCE, "theme/image")


async def video_mix_create(request: Request) -> Response:
    return await dispatch(request, CONFERENCE, "video_mixes/create")


async def video_mix_function(request: Request) -> Response:
    return await dispatch(request, CONFERENCE, "video_mixes/" + request.path_params["function"])


async def breakouts_function(request: Request) -> Response:
    return await dispatch(request, CONFERENCE, "breakouts/" + request.path_params["function"])


async def move_to_breakout(request: Request) -> Response:
    return await dispatch(request, CONFERENCE, "participants/breakout")


async def participant_function(request: Request) -> Response:
    params = request.path_params
    return await dispatch(request, PARTICIPANT, params["function"], params["participant"])


async def call_function(request: Request) -> Response:
    params = request.path_params
    return await dispatch(request, CALL, params["function"], params["participant"], params["call"])


async def node_status(request: Request) -> Response:
    if node_of(request).faults.maintenance:
        return failed(503, MAINTENANCE_REASON)
    return ok("OK")


async def _only_post(
    request: Request, handler: Callable[[Request], Awaitable[Response]]
) -> Response:
    if request.method != "POST":
        return _not_allowed(request, "POST")
    return await handler(request)


def _not_allowed(request: Request, allowed: str) -> Response:
    response = failed(405, f"Method {request.method} not allowed")
    response.headers["Allow"] = allowed
    return response


async def http_error(request: Request, exc: Exception) -> Response:
    status = exc.status_code if isinstance(exc, HTTPException) else 400
    reason = {404: "Not found", 405: "Method not allowed"}.get(status, "Bad request")
    return failed(status, reason)


class FaultMiddleware:
    """latency-ms and error-rate for the client API (never for /_sim)."""

    def __init__(self, app: ASGIApp, node: Node) -> None:
        self.app = app
        self.node = node

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not scope["path"].startswith("/api/"):
            await self.app(scope, receive, send)
            return
        faults = self.node.faults
        if faults.latency_seconds:
            await asyncio.sleep(faults.latency_seconds)
        status = faults.error_status()
        if status is not None:
            await failed(status, ERROR_REASONS[status])(scope, receive, send)
            return
        await self.app(scope, receive, send)


def create_app(config: SimConfig | None = None) -> Starlette:
    """The ASGI app; `app.state.node` is the simulated node."""
    node = Node(config or SimConfig())

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        node.loop = asyncio.get_running_loop()
        tasks = start_background(node)
        for task in tasks:
            task.add_done_callback(_report_failure)
        try:
            yield
        finally:
            node.close_all_streams()
            node.cancel_timers()
            for task in tasks:
                task.cancel()
            for task in tasks:
                with contextlib.suppress(asyncio.CancelledError, Exception):
                    await task  # a failure was reported when it happened

    rooms = PREFIX + "/breakouts/{breakout}"
    both = ["GET", "POST"]
    routes = [
        Route("/api/client/v2/status", node_status, methods=["GET"]),
        Route(PREFIX + "/breakouts/{function}", breakouts_function, methods=both),
        Route(PREFIX + "/participants/breakout", move_to_breakout, methods=both),
        Route(rooms + "/{function}", routes_breakout.room_function, methods=both),
        Route(rooms + "/participants/breakout", routes_breakout.room_move, methods=both),
        Route(rooms + "/video_mixes/create", routes_breakout.room_mix_create, methods=both),
        Route(
            rooms + "/video_mixes/{mix}/{function}",
            routes_breakout.room_mix_function,
            methods=both,
        ),
        Route(
            rooms + "/participants/{participant}/calls/{call}/{function}",
            routes_breakout.room_call_function,
            methods=both,
        ),
        Route(
            rooms + "/participants/{participant}/{function}",
            routes_breakout.room_participant_function,
            methods=both,
        ),
        Route(PREFIX + "/theme/", theme, methods=["GET", "POST"]),
        Route(PREFIX + "/theme/{path:path}", theme_image, methods=["GET", "POST"]),
        Route(PREFIX + "/video_mixes/create", video_mix_create, methods=["GET", "POST"]),
        Route(
            PREFIX + "/video_mixes/{mix}/{function}", video_mix_function, methods=["GET", "POST"]
        ),
        Route(
            PREFIX + "/participants/{participant}/calls/{call}/{function}",
            call_function,
            methods=["GET", "POST"],
        ),
        Route(
            PREFIX + "/participants/{participant}/{function}",
            participant_function,
            methods=["GET", "POST"],
        ),
        Route(PREFIX + "/{function}", conference_function, methods=["GET", "POST"]),
        Route("/_sim/state", routes_control.state, methods=["GET"]),
        Route("/_sim/control", routes_control.control, methods=["POST"]),
    ]
    app = Starlette(
        routes=routes,
        lifespan=lifespan,
        exception_handlers={HTTPException: http_error},
    )
    app.state.node = node
    app.add_middleware(FaultMiddleware, node=node)
    # browsers running Pexip's web clients against the simulator need CORS
    app.add_middleware(
        CORSMiddleware,
        allow_origins=["*"],
        allow_methods=["GET", "POST"],
        allow_headers=["token", "pin", "content-type"],
        max_age=600,
    )
    return app
