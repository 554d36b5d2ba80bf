"""/_sim/pbx/state and /_sim/pbx/control: the truth of the simulated PBX, and test levers."""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from pextui.sim.http import BadRequest, parse_object
from pextui.sim.pbx.state import Pbx


def _pbx(request: Request) -> Pbx:
    pbx: Pbx = request.app.state.pbx
    return pbx


async def state(request: Request) -> Response:
    return JSONResponse(_pbx(request).snapshot())


def apply(pbx: Pbx, command: dict[str, Any]) -> dict[str, Any]:
    """Run control commands; ValueError (with the reason) for a bad one."""
    result: dict[str, Any] = {}
    if "faults" in command:
        faults = command["faults"]
        if not isinstance(faults, dict):
            raise ValueError("faults must be an object")
        pbx.replace_faults(faults)
    if "caller" in command:
        caller = command["caller"]
        if not isinstance(caller, dict) or not isinstance(caller.get("number"), str):
            raise ValueError("caller needs a number")
        call = pbx.add_caller(caller["number"], str(caller.get("state", "ringing")))
        result["call"] = call.wire()
    if "hangup" in command:
        result["hung_up"] = pbx.hangup(str(command["hangup"]))
    if "caller_state" in command:
        change = command["caller_state"]
        if not isinstance(change, dict):
            raise ValueError("caller_state needs channel_id and state")
        result["changed"] = pbx.set_caller_state(str(change.get("channel_id")),
                                                 str(change.get("state")))  # fmt: skip
    if command.get("expire_tokens"):
        pbx.tokens.expire_access()
    if command.get("close_websockets"):
        pbx.close_subscribers()
    return result


async def control(request: Request) -> Response:
    try:
        command = parse_object(await request.body())  # no NaN, no lone surrogates
        return JSONResponse(apply(_pbx(request), command))
    except BadRequest as error:
        return JSONResponse({"error": error.reason}, status_code=400)
    except ValueError as error:
        return JSONResponse({"error": str(error)}, status_code=400)
