"""The web server: textual-serve's Server with our pages, checks, processes and logging.

We subclass `textual_serve.server.Server` and keep its static files (textual.js, fonts), its
download manager (files the console hands to the browser) and its per-connection service
(see `process`). Replaced: the routes (every one goes through `Access`), the page (see
`page`), the WebSocket handler (checked before the upgrade; a bounded number of consoles;
malformed browser messages are ignored), the start-up banner and the logging: the access log
names the path only (never a query string, where `?key=` could be), into pextui's redacting
log file.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import ssl
from collections.abc import Callable
from typing import Any

from aiohttp import WSMsgType, web
from aiohttp.abc import AbstractAccessLogger
from textual_serve.server import Server

from pextui.serve import page
from pextui.serve.access import COOKIE, Access
from pextui.serve.process import ChildSpec, ConsoleProcess

log = logging.getLogger(__name__)

WRONG_SECRET_DELAY_S = 1.0  # each wrong secret costs the guesser a second
MAX_CELLS = 1000  # a browser's width or height claim, clamped
SHUTDOWN_TIMEOUT_S = 10.0  # for open connections, after every console was asked to quit


class PathOnlyAccessLog(AbstractAccessLogger):
    """`GET /ws 101` lines: the path without its query string."""

    def log(self, request: web.BaseRequest, response: web.StreamResponse, time: float) -> None:
        self.logger.info("%s %s %s", request.method, request.path, response.status)


def _cells(value: object, default: int) -> int:
    try:
        number = int(str(value))
    except ValueError:
        return default
    return max(1, min(number, MAX_CELLS))


class ConsoleServer(Server):
    """Serves the console described by `spec` to browsers, one process per connection."""

    def __init__(
        self,
        spec: ChildSpec,
        *,
        conference: str,
        host: str,
        port: int,
        access: Access,
        max_consoles: int,
        ssl_context: ssl.SSLContext | None = None,
    ) -> None:
        super().__init__("pextui", host=host, port=port, title=page.page_title(conference))
        self.conference = conference
        self.spec = spec
        self.access = access
        self.max_consoles = max_consoles
        self.ssl_context = ssl_context
        self.consoles: set[ConsoleProcess] = set()
        self.stopping = asyncio.Event()

    # -- the aiohttp application ------------------------------------------------------------

    async def _make_app(self) -> web.Application:
        app = web.Application(middlewares=[self._guard], client_max_size=64 * 1024)
        app.add_routes(
            [
                web.get("/", self.handle_index),
                web.post("/sign-in", self.handle_sign_in),
                web.get("/ws", self.handle_websocket),
                web.get("/download/{key}", self._signed_in_download),
                web.get("/favicon.ico", self._no_icon),
                web.get("/pextui/boot.js", self._asset(page.BOOT_JS, "text/javascript")),
                web.get("/pextui/page.css", self._asset(page.PAGE_CSS, "text/css")),
                web.static("/static", self.statics_path, show_index=False),
            ]
        )
        app.on_shutdown.append(self._stop_consoles)
        return app

    @web.middleware
    async def _guard(
        self,
        request: web.Request,
        handler: Callable[[web.Request], Any],
    ) -> web.StreamResponse:
        """Refuse a foreign Host (DNS rebinding); add the security headers."""
        if not self.access.host_allowed(request.headers.get("Host")):
            return web.Response(status=421, text="This console is not served under that name.")
        response: web.StreamResponse = await handler(request)
        if not response.prepared:
            response.headers.update(page.HEADERS)
        return response

    @staticmethod
    async def _no_icon(request: web.Request) -> web.Response:
        return web.Response(status=204)

    @staticmethod
    def _asset(text: str, content_type: str) -> Callable[[web.Request], Any]:
        async def handler(request: web.Request) -> web.Response:
            return web.Response(text=text, content_type=content_type)

        return handler

    # -- pages -----------------------------------------------------------------------------

    def _signed_in(self, request: web.Request) -> bool:
        return self.access.signed_in(request.cookies.get(COOKIE))

    async def _wrong_secret(self) -> web.Response:
        await asyncio.sleep(WRONG_SECRET_DELAY_S)
        log.warning("a wrong secret was presented")
        return web.Response(
            status=403, text=page.sign_in_page(wrong=True), content_type="text/html"
        )

    def _signed_in_redirect(self, target: str) -> web.Response:
        response = web.HTTPSeeOther(target)
        response.set_cookie(
            COOKIE,
            self.access.new_session(),
            httponly=True,
            samesite="Strict",
            secure=self.ssl_context is not None,
            path="/",
        )
        return response

    async def handle_index(self, request: web.Request) -> web.Response:
        size = page.font_size(request.query.get("fontsize"))
        if self.access.needs_secret and "key" in request.query:
            if not self.access.secret_matches(request.query.get("key")):
                return await self._wrong_secret()
            # Exchange the key for a cookie and drop it from the address bar.
            target = "/" if size == page.DEFAULT_FONT_SIZE else f"/?fontsize={size}"
            return self._signed_in_redirect(target)
        if not self._signed_in(request):
            return web.Response(status=401, text=page.sign_in_page(), content_type="text/html")
        return web.Response(
            text=page.console_page(self.conference, size=size), content_type="text/html"
        )

    async def handle_sign_in(self, request: web.Request) -> web.Response:
        if not self.access.origin_allowed(request.headers.get("Origin"), request.host):
            return web.Response(status=403, text="Cross-site sign-in refused.")
        form = await request.post()
        secret = form.get("secret")
        if not isinstance(secret, str) or not self.access.secret_matches(secret):
            return await self._wrong_secret()
        return self._signed_in_redirect("/")

    async def _signed_in_download(self, request: web.Request) -> web.StreamResponse:
        if not self._signed_in(request):
            raise web.HTTPForbidden(text="Sign in first.")
        return await self.handle_download(request)

    # -- the console's WebSocket ------------------------------------------------------------

    async def handle_websocket(self, request: web.Request) -> web.WebSocketResponse:
        if not self.access.origin_allowed(request.headers.get("Origin"), request.host):
            log.warning("WebSocket from a foreign origin refused")
            raise web.HTTPForbidden(text="Cross-site connection refused.")
        if not self._signed_in(request):
            raise web.HTTPForbidden(text="Sign in first.")
        if len(self.consoles) >= self.max_consoles or self.stopping.is_set():
            raise web.HTTPServiceUnavailable(text="Too many consoles open; close one first.")
        width = _cells(request.query.get("width", "80"), 80)
        height = _cells(request.query.get("height", "24"), 24)
        websocket = web.WebSocketResponse(heartbeat=15)
        await websocket.prepare(request)
        console = ConsoleProcess(
            self.spec,
            write_bytes=websocket.send_bytes,
            write_str=websocket.send_str,
            close=websocket.close,
            download_manager=self.download_manager,
        )
        self.consoles.add(console)
        try:
            await console.start(width, height)
            await self._relay(websocket, console)
        except (ConnectionError, OSError) as exc:
            log.warning("console connection ended: %s", type(exc).__name__)
        finally:
            self.consoles.discard(console)
            await console.stop()
            with contextlib.suppress(ConnectionError, RuntimeError):
                await websocket.close()
        return websocket

    async def _relay(self, websocket: web.WebSocketResponse, console: ConsoleProcess) -> None:
        """Browser messages to the console process; anything malformed is skipped."""
        async for message in websocket:
            if message.type != WSMsgType.TEXT:
                continue
            try:
                envelope = json.loads(message.data)
                kind, data = envelope[0], envelope[1] if len(envelope) > 1 else None
            except (ValueError, TypeError, IndexError, KeyError):
                continue
            if kind == "stdin" and isinstance(data, str):
                await console.send_bytes(data.encode("utf-8", "replace"))
            elif kind == "resize" and isinstance(data, dict):
                width = _cells(data.get("width"), 80)
                height = _cells(data.get("height"), 24)
                await console.set_terminal_size(width, height)
            elif kind == "ping" and isinstance(data, str):
                await websocket.send_json(["pong", data[:64]])
            elif kind == "blur":
                await console.blur()
            elif kind == "focus":
                await console.focus()

    async def _stop_consoles(self, app: web.Application) -> None:
        """On shutdown: every console quits (releasing its token) before the server ends."""
        self.stopping.set()
        await asyncio.gather(*(c.stop() for c in list(self.consoles)), return_exceptions=True)

    # -- running ----------------------------------------------------------------------------

    async def run(self, ready: Callable[[str], None]) -> None:
        """Listen, call `ready(url)` with the address to open, serve until `stop()`."""
        app = await self._make_app()
        runner = web.AppRunner(
            app,
            handle_signals=False,
            access_log_class=PathOnlyAccessLog,
            access_log=logging.getLogger("pextui.serve.access"),
            shutdown_timeout=SHUTDOWN_TIMEOUT_S,
        )
        await runner.setup()
        try:
            site = web.TCPSite(runner, self.host, self.port, ssl_context=self.ssl_context)
            await site.start()
            port = int(runner.addresses[0][1])
            self.access.listen_on(self.host, port)
            ready(self.url(port))
            await self.stopping.wait()
        finally:
            await runner.cleanup()

    def url(self, port: int) -> str:
        scheme = "https" if self.ssl_context is not None else "http"
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"{scheme}://{host}:{port}/"

    def stop(self) -> None:
        self.stopping.set()
