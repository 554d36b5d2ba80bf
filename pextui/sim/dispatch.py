"""Function tables and the dispatcher shared by conference, participant and call endpoints.

Order of checks: unknown function 404, wrong method 405, token 403, body 413/400,
guest on a host-only function 403, unknown participant 404, then the function itself.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Literal

from starlette.requests import Request
from starlette.responses import Response

from pextui.sim.conference import Conference
from pextui.sim.http import BadRequest, failed, invalid_token, parse_object, read_body
from pextui.sim.node import Node
from pextui.sim.participants import Participant

Access = Literal["host", "any", "self"]  # self: guests only on their own participant
GUEST_FORBIDDEN = "Operation not permitted: host role required"


@dataclass
class Ctx:
    node: Node
    conference: Conference
    caller: Participant
    body: dict[str, Any]
    request: Request
    token: str
    target: Participant | None = None
    call_uuid: str | None = None

    @property
    def is_host(self) -> bool:
        return self.caller.is_host

    @property
    def subject(self) -> Participant:
        assert self.target is not None
        return self.target


Handler = Callable[[Ctx], Response]


@dataclass(frozen=True)
class Function:
    method: str
    handler: Handler
    access: Access
    has_body: bool
    query_token: bool = False


@dataclass
class Table:
    functions: dict[str, Function] = field(default_factory=dict)

    def register(
        self,
        name: str,
        method: str = "POST",
        access: Access = "host",
        body: bool = False,
        query_token: bool = False,
    ) -> Callable[[Handler], Handler]:
        def decorate(handler: Handler) -> Handler:
            self.functions[name] = Function(method, handler, access, body, query_token)
            return handler

        return decorate


def node_of(request: Request) -> Node:
    node: Node = request.app.state.node
    return node


def token_of(request: Request, allow_query: bool) -> str | None:
    token = request.headers.get("token")
    if not token and (allow_query or request.method == "GET"):
        token = request.query_params.get("token")
    return token


async def dispatch(
    request: Request,
    table: Table,
    name: str,
    target_uuid: str | None = None,
    call_uuid: str | None = None,
) -> Response:
    spec = table.functions.get(name)
    if spec is None:
        return failed(404, f"Unknown function '{name[:80]}'")
    if request.method != spec.method:
        response = failed(405, f"Method {request.method} not allowed for '{name}'")
        response.headers["Allow"] = spec.method
        return response
    node = node_of(request)
    alias = request.path_params["alias"]
    token = token_of(request, spec.query_token)
    found = node.conference_for_token(alias, token)
    if found is None or token is None:
        return invalid_token()
    conference, caller_uuid = found
    try:
        raw = await read_body(request, node.config.max_body_bytes)
        body = parse_object(raw) if spec.has_body else {}
        caller = conference.member(caller_uuid)
        if caller is None:  # left while the body was read
            return invalid_token()
        ctx = Ctx(node, conference, caller, body, request, token, call_uuid=call_uuid)
        if target_uuid is not None:
            ctx.target = conference.participants.get(target_uuid)
        if not caller.is_host and (
            spec.access == "host" or (spec.access == "self" and target_uuid != caller_uuid)
        ):
            return failed(403, GUEST_FORBIDDEN)
        if target_uuid is not None and ctx.target is None:
            return failed(404, "Participant not found")
        return spec.handler(ctx)
    except BadRequest as error:
        return failed(error.status, error.reason)
