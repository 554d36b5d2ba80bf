"""PbxServer: the simulated PBX on its own port, on the event loop of a running Pexip simulator.

Sharing the node's loop lets the PBX put callers into the simulated conferences directly.
`stop()` then `start()` again keeps the PBX's calls and port: the PBX is unreachable in
between while the Pexip side carries on.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import contextlib
import socket
import time
from typing import Any

import uvicorn

from pextui.sim.companions import Companion, QuietServer
from pextui.sim.node import Node
from pextui.sim.numberplan import plan_for
from pextui.sim.pbx.app import create_pbx_app
from pextui.sim.pbx.config import PbxConfig
from pextui.sim.pbx.state import Pbx
from pextui.sim.server import SimServer, bind_socket, url_of


def pbx_uvicorn_config(app: Any) -> uvicorn.Config:
    return uvicorn.Config(
        app,
        log_level="warning",
        log_config=None,
        access_log=False,
        lifespan="off",
        timeout_graceful_shutdown=1,
        ws="websockets-sansio",
        ws_ping_interval=None,  # the PBX relies on the client's heartbeat, not pings
    )


def pbx_companion(node: Node, config: PbxConfig, pbx_sock: socket.socket) -> Companion:
    """The PBX as a companion of the Pexip side's server (see `serve_together`)."""
    pbx = Pbx(config, plan_for(node))
    pbx_server = QuietServer(pbx_uvicorn_config(create_pbx_app(pbx)), pbx.close_subscribers)
    return Companion(pbx_server, pbx_sock, pbx.cancel_timers)


def make_pbx(sim: SimServer, config: PbxConfig) -> Pbx:
    return Pbx(config, plan_for(sim.node))


class PbxServer:
    """`with PbxServer(sim, PbxConfig()) as pbx:` pbx.base_url, pbx.pbx (the state)."""

    def __init__(self, sim: SimServer, config: PbxConfig | None = None, host: str = "127.0.0.1"):
        self.sim = sim
        self.config = config or PbxConfig()
        self.host = host
        self.pbx: Pbx = sim.run_on_loop(lambda: make_pbx(sim, self.config))
        self.port = 0
        self.base_url = ""
        self._server: QuietServer | None = None
        self._future: concurrent.futures.Future[None] | None = None

    def start(self, timeout: float = 10.0) -> PbxServer:
        loop = self.sim.node.loop
        if loop is None:
            raise RuntimeError("start the Pexip simulator first")
        sock = bind_socket(self.host, self.port)
        self.port = sock.getsockname()[1]
        self.base_url = url_of(self.host, self.port)
        server = QuietServer(pbx_uvicorn_config(create_pbx_app(self.pbx)), self._close_streams)
        self._server = server

        async def serve() -> None:
            try:
                await server.serve(sockets=[sock])
            finally:
                sock.close()

        self._future = asyncio.run_coroutine_threadsafe(serve(), loop)
        deadline = time.monotonic() + timeout
        while not server.started:
            if self._future.done() or time.monotonic() > deadline:
                self.stop()
                raise RuntimeError("the PBX simulator did not start")
            time.sleep(0.005)
        return self

    def _close_streams(self) -> None:
        self.pbx.close_subscribers()

    def stop(self, timeout: float = 10.0) -> None:
        if self._server is not None:
            self._server.request_exit()
        if self._future is not None:
            with contextlib.suppress(Exception):
                self._future.result(timeout)
        self._server = None
        self._future = None

    def run(self, fn: Any) -> Any:
        """Call `fn()` on the simulator's loop (thread-safe) and return its result."""
        return self.sim.run_on_loop(fn)

    def state(self) -> dict[str, Any]:
        result: dict[str, Any] = self.run(self.pbx.snapshot)
        return result

    def __enter__(self) -> PbxServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()
        self.run(self.pbx.cancel_timers)
