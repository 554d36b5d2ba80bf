"""SimServer: the simulator served by uvicorn in a background thread (for tests, benchmarks)."""

from __future__ import annotations

import asyncio
import contextlib
import signal
import socket
import threading
import time
from collections.abc import Callable, Iterator
from types import FrameType, TracebackType
from typing import Any

import uvicorn

from pextui.sim.app import create_app
from pextui.sim.config import SimConfig
from pextui.sim.node import Node


def bind_socket(host: str, port: int) -> socket.socket:
    """A listening TCP socket on host:port (port 0: any free port)."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    # IPPROTO_TCP explicitly: asyncio only sets TCP_NODELAY on sockets that say so
    sock = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host, port))
        sock.listen(512)
    except OSError:
        sock.close()
        raise
    sock.set_inheritable(True)
    return sock


def url_of(host: str, port: int, scheme: str = "http") -> str:
    return f"{scheme}://[{host}]:{port}" if ":" in host else f"{scheme}://{host}:{port}"


def uvicorn_config(
    app: Any, *, ssl_certfile: str | None = None, ssl_keyfile: str | None = None
) -> uvicorn.Config:
    """uvicorn's settings; HTTPS when given a certificate and key.

    `log_config=None`: uvicorn's records go through the root logger (the log file of
    `pextui.logs`, redacted) instead of uvicorn's own stderr handlers, which would write
    onto the terminal the console draws on when the simulator runs inside `pextui demo`.
    """
    config = uvicorn.Config(
        app,
        log_level="warning",
        log_config=None,
        access_log=False,
        lifespan="on",
        timeout_graceful_shutdown=1,
        ws="none",
        ssl_certfile=ssl_certfile,
        ssl_keyfile=ssl_keyfile,
    )
    if ssl_certfile:
        config.load()  # build the SSL context now: a bad certificate fails here, not later
    return config


class PromptServer(uvicorn.Server):
    """uvicorn's server, stopping at once (tests start and stop hundreds of these).

    `before_shutdown` runs on the loop first (it ends the event streams, which would
    otherwise hold the graceful shutdown). SIGINT / SIGTERM (main thread only) stop it
    cleanly without re-raising the signal afterwards.
    """

    def __init__(self, config: uvicorn.Config, before_shutdown: Callable[[], None]) -> None:
        super().__init__(config)
        self._before_shutdown = before_shutdown
        self._wake: asyncio.Event | None = None
        self._loop: asyncio.AbstractEventLoop | None = None

    @contextlib.contextmanager
    def capture_signals(self) -> Iterator[None]:
        if threading.current_thread() is not threading.main_thread():
            yield
            return
        handled = (signal.SIGINT, signal.SIGTERM)
        originals = {sig: signal.signal(sig, self._on_signal) for sig in handled}
        try:
            yield
        finally:
            for sig, handler in originals.items():
                signal.signal(sig, handler)

    def _on_signal(self, sig: int, frame: FrameType | None) -> None:
        if self.should_exit and sig == signal.SIGINT:
            self.force_exit = True
        self.request_exit()

    async def main_loop(self) -> None:
        self._loop = asyncio.get_running_loop()
        self._wake = asyncio.Event()
        while not self.should_exit:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._wake.wait(), 0.5)

    async def shutdown(self, sockets: list[socket.socket] | None = None) -> None:
        self._before_shutdown()
        for server in self.servers:
            server.close()
        for sock in sockets or []:
            sock.close()
        for connection in list(self.server_state.connections):
            connection.shutdown()
        state = self.server_state
        grace = self.config.timeout_graceful_shutdown or 1
        for _ in range(int(grace / 0.005)):  # uvicorn offers no event for "all closed"
            if not (state.connections or state.tasks):
                break
            await asyncio.sleep(0.005)
        for task in state.tasks:
            task.cancel()
        await self.lifespan.shutdown()

    def request_exit(self) -> None:
        self.should_exit = True
        loop, wake = self._loop, self._wake
        if loop is not None and wake is not None:
            with contextlib.suppress(RuntimeError):  # the loop already closed
                loop.call_soon_threadsafe(wake.set)


class SimServer:
    """`with SimServer(cfg) as sim:` (or `async with`): sim.base_url, sim.node, sim.state()."""

    def __init__(self, config: SimConfig | None = None) -> None:
        self.config = config or SimConfig()
        self.app = create_app(self.config)
        self.node: Node = self.app.state.node
        self._server: PromptServer | None = None
        self._thread: threading.Thread | None = None
        self._socket: socket.socket | None = None
        self.base_url = ""
        self.port = 0

    def start(self, timeout: float = 10.0) -> SimServer:
        self._socket = bind_socket(self.config.host, self.config.port)
        self.port = self._socket.getsockname()[1]
        self.base_url = url_of(self.config.host, self.port, self.config.scheme)
        tls = {"ssl_certfile": self.config.ssl_certfile, "ssl_keyfile": self.config.ssl_keyfile}
        server = PromptServer(uvicorn_config(self.app, **tls), self.node.close_all_streams)
        self._server = server
        sock = self._socket
        self._thread = threading.Thread(
            target=lambda: asyncio.run(server.serve(sockets=[sock])),
            name=f"pextui-sim-{self.port}",
            daemon=True,
        )
        self._thread.start()
        deadline = time.monotonic() + timeout
        while not server.started:
            if not self._thread.is_alive() or time.monotonic() > deadline:
                self.stop()
                raise RuntimeError("the simulator did not start")
            time.sleep(0.005)
        return self

    def stop(self, timeout: float = 10.0) -> None:
        if self._server is not None:
            self._server.request_exit()
        if self._thread is not None:
            self._thread.join(timeout)
            self._thread = None
        if self._socket is not None:
            self._socket.close()
            self._socket = None

    def run_on_loop(self, fn: Any, timeout: float = 10.0) -> Any:
        """Call `fn()` on the server's event loop (thread-safe) and return its result."""
        loop = self.node.loop
        if loop is None or not loop.is_running():
            return fn()

        async def call() -> Any:
            return fn()

        return asyncio.run_coroutine_threadsafe(call(), loop).result(timeout)

    def state(self) -> dict[str, Any]:
        """The same JSON as GET /_sim/state."""
        result: dict[str, Any] = self.run_on_loop(self.node.snapshot)
        return result

    def conference_state(self, alias: str) -> dict[str, Any]:
        """One conference of `state()`; KeyError for an alias the node does not have."""
        for conference in self.state()["conferences"]:
            if conference["alias"] == alias:
                return dict(conference)
        raise KeyError(alias)

    def participant_state(self, alias: str, uuid: str) -> dict[str, Any] | None:
        """One participant of `conference_state(alias)`, or None when not there (any more)."""
        for participant in self.conference_state(alias)["participants"]:
            if participant["uuid"] == uuid:
                return dict(participant)
        return None

    def __enter__(self) -> SimServer:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    async def __aenter__(self) -> SimServer:
        return await asyncio.to_thread(self.start)

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await asyncio.to_thread(self.stop)
