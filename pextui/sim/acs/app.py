"""The simulated ACS resource as a Starlette app: the REST API plus its control routes.

Call Automation's OpenID configuration and key set (public, as Azure's; signing.py):

    GET /calling/.well-known/acsopenidconfiguration
    GET /calling/keys

Control (no auth, loopback only, like the Pexip simulator's /_sim):

    POST /_acs/calls {"from": "+E164", "name": "...", "to": "+E164"}   a customer calls
    POST /_acs/calls/{serverCallId}/hangup                             the customer hangs up
    POST /_acs/subscriptions {"endpoint": URL}       an Event Grid subscription (handshake)
    POST /_acs/faults {"faults": {NAME: VALUE}, "replace": false}
    GET  /_acs/state                                  calls, executions, deliveries, faults
"""

from __future__ import annotations

import contextlib
import json
from collections.abc import AsyncIterator
from typing import Any

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from pextui.sim.acs.faults import AcsFaults
from pextui.sim.acs.routes import Api, check_callback_uri, error
from pextui.sim.acs.service import RESOURCE_NUMBER, AcsService, OperationError
from pextui.sim.acs.signing import JWKS_PATH, OPENID_PATH
from pextui.sim.http import BadRequest, get_bool, get_str, need_str, parse_object, read_body
from pextui.sim.node import Node

CONTROL_LIMIT = 16 * 1024
JSON = "application/json"


def _json(value: object, status: int = 200) -> Response:
    return Response(json.dumps(value), status, media_type=JSON)


async def _body(request: Request) -> dict[str, Any]:
    return parse_object(await read_body(request, CONTROL_LIMIT))


def snapshot(service: AcsService, api: Api) -> dict[str, Any]:
    """Calls, executions, deliveries and faults, with the API's request counters."""
    state = service.snapshot()
    state["requests"] = api.requests
    state["refused"] = {str(k): v for k, v in api.refused.items()}
    state["replayed"] = api.repeats.replayed
    return state


def create_acs_app(
    node: Node | None,
    access_key: str,
    faults: AcsFaults | None = None,
    *,
    webhooks: list[str] | None = None,
    callers: list[tuple[str, str]] | None = None,
    resource_id: str | None = None,
) -> Starlette:
    """`app.state.acs` is the AcsService, `app.state.api` the REST API (counters)."""
    service = AcsService(node, faults or AcsFaults(), resource_id=resource_id)
    api = Api(service, access_key)

    async def ring(request: Request) -> Response:
        body = await _body(request)
        caller = need_str(body, "from", max_len=16)
        name = get_str(body, "name", max_len=256, default="") or ""
        to = get_str(body, "to", max_len=16, default=RESOURCE_NUMBER) or RESOURCE_NUMBER
        call = service.ring(caller, name, to)
        return _json(
            {"serverCallId": call.server_call_id, "correlationId": call.correlation_id}, 201
        )

    async def hangup(request: Request) -> Response:
        found = service.caller_hangs_up(request.path_params["server_call_id"])
        return _json({"hungUp": found}, 200 if found else 404)

    async def subscribe(request: Request) -> Response:
        body = await _body(request)
        endpoint = check_callback_uri(need_str(body, "endpoint", max_len=2048), "endpoint")
        subscription = await service.deliver.subscribe(endpoint)
        answer = {
            "id": subscription.id,
            "provisioningState": subscription.state,
            "reason": subscription.reason,
        }
        return _json(answer, 201 if subscription.state == "active" else 400)

    async def set_faults(request: Request) -> Response:
        body = await _body(request)
        values = body.get("faults", {})
        if not isinstance(values, dict):
            raise BadRequest(400, "faults must be an object")
        try:
            if get_bool(body, "replace"):
                service.faults.replace(values)
            else:
                service.faults.update(values)
        except ValueError as why:
            raise BadRequest(400, str(why)) from None
        return _json({"faults": service.faults.values})

    async def state(request: Request) -> Response:
        return _json(snapshot(service, api))

    async def handle_errors(request: Request, exc: Exception) -> Response:
        if isinstance(exc, BadRequest):
            return error(exc.status, "BadRequest", exc.reason)
        if isinstance(exc, OperationError):
            return error(exc.status, exc.code, exc.message)
        return error(400, "BadRequest", "The request could not be processed.")

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        for url in webhooks or []:
            service.deliver.spawn(service.deliver.subscribe_until_valid(url))
        for caller, name in callers or []:
            service.ring_when_subscribed(caller, name)
        try:
            yield
        finally:
            await service.deliver.close()

    def keys(name: str) -> Any:
        async def serve(request: Request) -> Response:
            service.signer.fetches[name] += 1
            if service.faults.keys_down:
                return error(503, "ServiceUnavailable", "The service is unavailable.")
            signer = service.signer
            return _json(signer.openid_configuration() if name == "openid" else signer.jwks())

        return serve

    async def calling(request: Request) -> Response:
        return await api(request)

    async def not_found(request: Request) -> Response:
        return error(404, "NotFound", "Resource not found.")

    routes = [
        Route(OPENID_PATH, keys("openid"), methods=["GET"]),
        Route(JWKS_PATH, keys("jwks"), methods=["GET"]),
        Route("/calling/{rest:path}", calling, methods=["GET", "POST", "DELETE", "PUT", "PATCH"]),
        Route("/_acs/calls", ring, methods=["POST"]),
        Route("/_acs/calls/{server_call_id}/hangup", hangup, methods=["POST"]),
        Route("/_acs/subscriptions", subscribe, methods=["POST"]),
        Route("/_acs/faults", set_faults, methods=["POST"]),
        Route("/_acs/state", state, methods=["GET"]),
        Route("/{rest:path}", not_found),
    ]
    app = Starlette(
        routes=routes,
        lifespan=lifespan,
        exception_handlers={
            BadRequest: handle_errors,
            OperationError: handle_errors,
            Exception: handle_errors,
        },
    )
    app.state.acs = service
    app.state.api = api
    return app
