"""The Pexip simulator and the ACS simulator served together on one event loop.

One loop, one number plan: a caller ACS transfers appears in the simulated conference.
`SimWithAcs` runs both in a background thread (tests, `pextui demo`); `serve_foreground`
is `pextui sim --acs`. ACS listens on HTTPS with a CA and certificate made at start.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import shutil
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from types import TracebackType
from typing import Any

from pextui.sim.acs import auth
from pextui.sim.acs.app import create_acs_app, snapshot
from pextui.sim.acs.certs import Certificates, make_certificates
from pextui.sim.acs.faults import AcsFaults
from pextui.sim.acs.service import DID_PREFIX, FAILING, RESOURCE_NUMBER, AcsService
from pextui.sim.app import create_app
from pextui.sim.config import SimConfig
from pextui.sim.node import Node
from pextui.sim.numberplan import plan_for
from pextui.sim.server import PromptServer, bind_socket, url_of, uvicorn_config

ACCESS_KEY_ENV = "PEXTUI_ACS_SIM_ACCESS_KEY"
CONNECTION_STRING_FILE = "connection-string"


class _QuietServer(PromptServer):
    """A second server on the loop: the first one owns the signals."""

    @contextlib.contextmanager
    def capture_signals(self) -> Iterator[None]:
        yield


class SimWithAcs:
    """`with SimWithAcs() as sim:` sim.base_url (Pexip), sim.acs_endpoint, sim.ca, ..."""

    def __init__(
        self,
        config: SimConfig | None = None,
        *,
        acs_host: str = "127.0.0.1",
        acs_port: int = 0,
        faults: dict[str, float] | None = None,
        access_key: str | None = None,
    ) -> None:
        self.config = config or SimConfig(port=0)
        self.app = create_app(self.config)
        self.node: Node = self.app.state.node
        self.access_key = access_key or os.environ.get(ACCESS_KEY_ENV) or auth.new_access_key()
        auth.decode_key(self.access_key)  # ValueError now rather than at the first request
        self.acs_app = create_acs_app(self.node, self.access_key, AcsFaults(faults or {}))
        self.acs: AcsService = self.acs_app.state.acs
        self.acs_host, self.acs_port = acs_host, acs_port
        self.certs: Certificates | None = None
        self.base_url = self.acs_endpoint = ""
        self._servers: list[PromptServer] = []
        self._sockets: list[socket.socket] = []
        self._thread: threading.Thread | None = None

    @property
    def ca(self) -> str:
        assert self.certs is not None
        return str(self.certs.ca)

    @property
    def connection_string(self) -> str:
        return auth.connection_string(self.acs_endpoint, self.access_key)

    def prepare(self) -> tuple[list[PromptServer], list[socket.socket]]:
        """Certificates, sockets and servers (not started yet)."""
        hosts = [self.acs_host] if self.acs_host not in ("127.0.0.1", "::1") else None
        self.certs = make_certificates(hosts)
        pexip_sock = bind_socket(self.config.host, self.config.port)
        acs_sock = bind_socket(self.acs_host, self.acs_port)
        self._sockets = [pexip_sock, acs_sock]
        self.base_url = url_of(self.config.host, pexip_sock.getsockname()[1], self.config.scheme)
        self.acs_endpoint = url_of(self.acs_host, acs_sock.getsockname()[1], "https")
        tls = {"ssl_certfile": self.config.ssl_certfile, "ssl_keyfile": self.config.ssl_keyfile}
        pexip = PromptServer(uvicorn_config(self.app, **tls), self.node.close_all_streams)
        acs_config = uvicorn_config(
            self.acs_app, ssl_certfile=str(self.certs.cert), ssl_keyfile=str(self.certs.key)
        )
        acs = _QuietServer(acs_config, lambda: None)
        self._servers = [pexip, acs]
        return self._servers, self._sockets

    async def serve(self) -> None:
        """Serve both until the first (Pexip) server is told to exit."""
        pexip, acs = self._servers
        pexip_sock, acs_sock = self._sockets
        acs_task = asyncio.create_task(acs.serve(sockets=[acs_sock]))
        try:
            await pexip.serve(sockets=[pexip_sock])
        finally:
            acs.request_exit()
            await acs_task

    def start(self, timeout: float = 15.0) -> SimWithAcs:
        servers, _ = self.prepare()
        self._thread = threading.Thread(
            target=lambda: asyncio.run(self.serve()), name="pextui-sim-acs", daemon=True
        )
        self._thread.start()
        deadline = time.monotonic() + timeout
        while not all(s.started for s in servers):
            if not self._thread.is_alive() or time.monotonic() > deadline:
                self.stop()
                raise RuntimeError("the simulators did not start")
            time.sleep(0.005)
        return self

    def stop(self, timeout: float = 10.0) -> None:
        for server in self._servers:
            server.request_exit()
        if self._thread is not None:
            self._thread.join(timeout)
            self._thread = None
        for sock in self._sockets:
            sock.close()
        self._sockets = []
        if self.certs is not None:  # the CA, its key and the connection string go with us
            shutil.rmtree(self.certs.folder, ignore_errors=True)

    def run_on_loop(self, fn: Any, timeout: float = 10.0) -> Any:
        loop = self.node.loop
        if loop is None or not loop.is_running():
            return fn()

        async def call() -> Any:
            return fn()

        return asyncio.run_coroutine_threadsafe(call(), loop).result(timeout)

    def state(self) -> dict[str, Any]:
        """The Pexip node's state, as GET /_sim/state."""
        result: dict[str, Any] = self.run_on_loop(self.node.snapshot)
        return result

    def conference_state(self, alias: str) -> dict[str, Any]:
        for conference in self.state()["conferences"]:
            if conference["alias"] == alias:
                return dict(conference)
        raise KeyError(alias)

    def acs_state(self) -> dict[str, Any]:
        api = self.acs_app.state.api
        state: dict[str, Any] = self.run_on_loop(lambda: snapshot(self.acs, api))
        return state

    def ring(self, caller: str, name: str = "", to: str = RESOURCE_NUMBER) -> str:
        """A customer calls; the call's serverCallId."""
        call = self.run_on_loop(lambda: self.acs.ring(caller, name, to))
        return str(call.server_call_id)

    def write_connection_string(self) -> Path:
        """The connection string in a file only the user can read (never printed)."""
        assert self.certs is not None
        path = self.certs.folder / CONNECTION_STRING_FILE
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w") as out:
            out.write(self.connection_string + "\n")
        return path

    def banner(self) -> list[str]:
        assert self.certs is not None
        secret_file = self.write_connection_string()
        plan = plan_for(self.node)
        numbers = ", ".join(f"{alias} {DID_PREFIX}{n}" for n, alias in plan.numbers.items())
        failing = ", ".join(
            f"{n} ({m.split(': ')[-1].rstrip('.')})" for n, (_, _, m) in FAILING.items()
        )
        return [
            f"pextui sim ACS Call Automation listening on {self.acs_endpoint}",
            f"  CA certificate: {self.certs.ca}",
            f"  connection string: in {secret_file} (mode 600), e.g.",
            f'    export PEXTUI_ACS_CONNECTION_STRING="$(cat {secret_file})"',
            f"  customers call {RESOURCE_NUMBER}; conferences: {numbers}",
            f"  failing destinations: {failing}",
        ]

    def __enter__(self) -> SimWithAcs:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()
