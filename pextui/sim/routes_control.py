"""The simulator's own endpoints: GET /_sim/state (the truth), POST /_sim/control."""

from __future__ import annotations

import math

from starlette.requests import Request
from starlette.responses import Response

from pextui.sim.config import MAX_TRANSFER_OVERLAP
from pextui.sim.dispatch import node_of
from pextui.sim.http import BadRequest, failed, ok, parse_object, read_body
from pextui.sim.participants import dumps

MAX_CHURN = 100_000.0


async def state(request: Request) -> Response:
    return Response(dumps(node_of(request).snapshot()), media_type="application/json")


async def control(request: Request) -> Response:
    """`{"churn": R}`, `{"faults": {...}}` (an empty object clears the faults) and/or
    `{"transfer_overlap": SECONDS}`."""
    node = node_of(request)
    try:
        body = parse_object(await read_body(request, node.config.max_body_bytes))
        unknown = sorted(set(body) - {"churn", "faults", "transfer_overlap"})
        if unknown:
            raise BadRequest(400, f"Unknown control field(s): {', '.join(unknown)[:200]}")
        churn = body.get("churn")
        if churn is not None:
            if isinstance(churn, bool) or not isinstance(churn, int | float):
                raise BadRequest(400, "'churn' must be a number of events per second")
            if not (math.isfinite(churn) and 0 <= churn <= MAX_CHURN):
                raise BadRequest(400, f"'churn' must be between 0 and {MAX_CHURN:g}")
        overlap = body.get("transfer_overlap")
        if overlap is not None:
            if isinstance(overlap, bool) or not isinstance(overlap, int | float):
                raise BadRequest(400, "'transfer_overlap' must be a number of seconds")
            if not (math.isfinite(overlap) and 0 <= overlap <= MAX_TRANSFER_OVERLAP):
                raise BadRequest(
                    400, f"'transfer_overlap' must be between 0 and {MAX_TRANSFER_OVERLAP:g}"
                )
        faults = body.get("faults")
        if faults is not None:
            if not isinstance(faults, dict):
                raise BadRequest(400, "'faults' must be an object of NAME: VALUE")
            try:
                node.apply_faults(faults)
            except ValueError as error:
                raise BadRequest(400, str(error)) from None
        if churn is not None:
            node.churn_rate = float(churn)
        if overlap is not None:
            node.transfer_overlap = float(overlap)
    except BadRequest as error:
        return failed(error.status, error.reason)
    return ok(
        {
            "churn": node.churn_rate,
            "faults": dict(node.faults.values),
            "transfer_overlap": node.transfer_overlap,
        }
    )
