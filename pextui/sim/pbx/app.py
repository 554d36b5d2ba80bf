"""The Starlette application of the simulated PBX (served on its own port, on the node's loop)."""

from __future__ import annotations

from starlette.applications import Starlette
from starlette.routing import Route, WebSocketRoute

from pextui.sim.pbx import control, routes, websocket
from pextui.sim.pbx.state import Pbx

API = "/openapi/v1.0"


def create_pbx_app(pbx: Pbx) -> Starlette:
    app = Starlette(
        routes=[
            WebSocketRoute(API + "/subscribe", websocket.subscribe),
            Route(API + "/{endpoint:path}", routes.openapi, methods=["GET", "POST"]),
            Route("/_sim/pbx/state", control.state, methods=["GET"]),
            Route("/_sim/pbx/control", control.control, methods=["POST"]),
        ]
    )
    app.state.pbx = pbx
    return app
