"""The theme endpoints: `theme/` (the splash screens, 204 without a theme) and
`theme/<path>` (their background images; the token as header or query)."""

from __future__ import annotations

from starlette.responses import Response

from pextui.sim.dispatch import Ctx
from pextui.sim.http import failed, ok
from pextui.sim.routes_conference import CONFERENCE
from pextui.sim.splash import BACKGROUND, background_jpeg, theme

NO_IMAGE = "No image available"


@CONFERENCE.register("theme/", "GET", access="any")
def theme_screens(ctx: Ctx) -> Response:
    if ctx.conference.splashes is None:
        return Response(b"", 204)
    return ok(theme())


@CONFERENCE.register("theme/image", "GET", access="any", query_token=True)
def theme_image(ctx: Ctx) -> Response:
    path = ctx.request.path_params.get("path", "")
    if ctx.conference.splashes is None or path != BACKGROUND:
        return failed(404, NO_IMAGE)
    return Response(background_jpeg(), media_type="image/jpeg")
