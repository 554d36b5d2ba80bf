"""The console as an ACS endpoint: a loopback HTTP receiver for Event Grid and callbacks.

    POST {base}/acs/{secret}/eventgrid   Event Grid: the validation handshake, IncomingCall
    POST {base}/acs/{secret}/callbacks   Call Automation callbacks (CloudEvents)

`secret` is random per run (or $PEXTUI_ACS_EVENTGRID_SECRET for the Event Grid path, whose
URL is configured once in Azure); anything else is a 404, so a request that does not know
the secret learns nothing. With a `CallbackVerifier` (docs/phone.md: verifying ACS's
callbacks) a callback must also carry Call Automation's signed JWT: without a valid one it
is answered 401 (503 while the keys to check it cannot be fetched) and nothing of it is
delivered. Event Grid's requests are not signed by Call Automation: the secret guards them.
The public URL ACS is told (`public_url`, e.g. an HTTPS tunnel
to the listen address) is separate from where it listens. The secret is registered with
the log redaction and shown nowhere: `describe()` prints the URLs with it masked.
"""

from __future__ import annotations

import asyncio
import contextlib
import hmac
import json
import logging
import os
import secrets
import socket
from collections.abc import Callable, Iterator
from typing import Any

import uvicorn
from starlette.applications import Starlette
from starlette.requests import ClientDisconnect, Request
from starlette.responses import Response
from starlette.routing import Route

from pextui.logs import register_secret
from pextui.phone.acs.callback_auth import CallbackVerifier
from pextui.phone.acs.events import (
    BodyError,
    CallEvent,
    GridEvent,
    Validation,
    parse_callbacks,
    parse_event_grid,
)

log = logging.getLogger("pextui.phone.acs")
EVENTGRID_SECRET_ENV = "PEXTUI_ACS_EVENTGRID_SECRET"
BODY_LIMIT = 256 * 1024
MASK = "***"


def _response(status: int, body: dict[str, Any] | None = None) -> Response:
    content = json.dumps(body) if body is not None else ""
    return Response(content, status, media_type="application/json")


def _refused(status: int) -> Response:
    if status == 401:
        response = _response(401, {"error": "a valid Call Automation token is required"})
        response.headers["WWW-Authenticate"] = 'Bearer error="invalid_token"'
        return response
    return _response(status, {"error": "the callback cannot be verified right now"})


class _Server(uvicorn.Server):
    """uvicorn inside someone else's program: the program owns the signals."""

    @contextlib.contextmanager
    def capture_signals(self) -> Iterator[None]:
        yield


class CallbackReceiver:
    """Serves the two endpoints; hands parsed events to `on_incoming` / `on_callback`."""

    def __init__(
        self,
        on_incoming: Callable[[GridEvent], None],
        on_callback: Callable[[CallEvent], None],
        *,
        listen: tuple[str, int] = ("127.0.0.1", 0),
        public_url: str | None = None,
        eventgrid_secret: str | None = None,
        verifier: CallbackVerifier | None = None,
    ) -> None:
        self.on_incoming = on_incoming
        self.on_callback = on_callback
        self.listen = listen
        self._public = public_url.rstrip("/") if public_url else None
        self.secret = secrets.token_urlsafe(24)
        self.eventgrid_secret = (
            eventgrid_secret or os.environ.get(EVENTGRID_SECRET_ENV) or self.secret
        )
        register_secret(self.secret)
        register_secret(self.eventgrid_secret)
        self.verifier = verifier
        self.counts: dict[str, int] = {}
        self.port = 0
        self._server: uvicorn.Server | None = None
        self._task: asyncio.Task[None] | None = None
        self._socket: socket.socket | None = None
        self.app = Starlette(
            routes=[Route("/acs/{secret}/{kind}", self._endpoint, methods=["POST"])]
        )

    # -- URLs --------------------------------------------------------------------------

    @property
    def base_url(self) -> str:
        if self._public:
            return self._public
        host = self.listen[0]
        host = f"[{host}]" if ":" in host else host
        return f"http://{host}:{self.port}"

    @property
    def callback_url(self) -> str:
        """The callback URI given to ACS with every answer and transfer (secret inside)."""
        return f"{self.base_url}/acs/{self.secret}/callbacks"

    @property
    def eventgrid_url(self) -> str:
        """The Event Grid subscription's webhook endpoint (secret inside)."""
        return f"{self.base_url}/acs/{self.eventgrid_secret}/eventgrid"

    def describe(self) -> list[str]:
        checked = (
            self.verifier.describe()
            if self.verifier is not None
            else "ACS callbacks: the secret path only (the signed JWT is not checked)"
        )
        return [
            f"ACS callbacks: {self.base_url}/acs/{MASK}/callbacks",
            f"Event Grid webhook: {self.base_url}/acs/{MASK}/eventgrid",
            checked,
        ]

    # -- serving -----------------------------------------------------------------------

    async def start(self) -> None:
        host, port = self.listen
        family = socket.AF_INET6 if ":" in host else socket.AF_INET
        sock = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind((host, port))
            sock.listen(128)
        except OSError:
            sock.close()
            raise
        self._socket = sock
        self.port = sock.getsockname()[1]
        config = uvicorn.Config(
            self.app, log_level="warning", log_config=None, access_log=False,
            lifespan="off", ws="none", timeout_graceful_shutdown=1,
        )  # fmt: skip
        server = _Server(config)
        self._server = server
        if self.verifier is not None:
            await self.verifier.start()  # never raises: no keys is a problem it reports
        self._task = asyncio.create_task(server.serve(sockets=[sock]))
        while not server.started:
            if self._task.done():
                await self._task
                raise OSError("the ACS callback receiver did not start")
            await asyncio.sleep(0.005)

    async def stop(self) -> None:
        if self._server is not None:
            self._server.should_exit = True
        if self._task is not None:
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await asyncio.wait_for(self._task, 5)
            self._task = None
        if self._socket is not None:
            self._socket.close()
            self._socket = None
        if self.verifier is not None:
            await self.verifier.close()

    async def __aenter__(self) -> CallbackReceiver:
        await self.start()
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.stop()

    # -- the endpoints -----------------------------------------------------------------

    def _count(self, name: str) -> None:
        self.counts[name] = self.counts.get(name, 0) + 1

    async def _endpoint(self, request: Request) -> Response:
        kind = request.path_params["kind"]
        given = str(request.path_params["secret"]).encode()
        expected = {"callbacks": self.secret, "eventgrid": self.eventgrid_secret}.get(kind)
        if expected is None or not hmac.compare_digest(given, expected.encode()):
            self._count("refused")
            return _response(404, {"error": "not found"})
        if kind == "callbacks" and self.verifier is not None:
            refusal = await self.verifier.check(request.headers.get("authorization"))
            if refusal is not None:
                self._count("unauthorized")
                return _refused(refusal.status)
        try:
            raw = await self._read(request)
        except ValueError as why:
            self._count("malformed")
            return _response(413 if "large" in str(why) else 400, {"error": str(why)})
        try:
            if kind == "eventgrid":
                return self._eventgrid(raw)
            return self._callbacks(raw)
        except BodyError as why:
            self._count("malformed")
            return _response(400, {"error": str(why)})

    async def _read(self, request: Request) -> bytes:
        chunks, size = [], 0
        try:
            async for chunk in request.stream():
                size += len(chunk)
                if size > BODY_LIMIT:
                    raise ValueError("body too large")
                chunks.append(chunk)
        except ClientDisconnect:
            raise ValueError("client disconnected") from None
        return b"".join(chunks)

    def _eventgrid(self, raw: bytes) -> Response:
        events, skipped = parse_event_grid(raw)
        self.counts["skipped"] = self.counts.get("skipped", 0) + skipped
        for event in events:
            if isinstance(event, Validation):
                self._count("handshakes")
                return _response(200, {"validationResponse": event.code})
        for event in events:
            self._count("incoming")
            self._deliver(self.on_incoming, event)
        return _response(200)

    def _callbacks(self, raw: bytes) -> Response:
        events, skipped = parse_callbacks(raw)
        self.counts["skipped"] = self.counts.get("skipped", 0) + skipped
        for event in events:
            self._count("callbacks")
            self._deliver(self.on_callback, event)
        return _response(200)

    @staticmethod
    def _deliver(handler: Callable[[Any], None], event: Any) -> None:
        try:
            handler(event)
        except Exception:  # one bad event must not cost ACS's delivery of the others
            log.exception("ACS event handler failed")
