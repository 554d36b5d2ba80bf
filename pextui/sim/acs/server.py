"""The ACS simulator on the Pexip simulator's loop, on its own HTTPS port.

`AcsSim` holds the pieces (access key, CA + certificate made at start, the app);
`companion()` gives the foreground form for `pextui sim --acs`, `AcsServer` attaches to a
running `SimServer` (`pextui demo`), `SimWithAcs` starts both (tests). Stopping removes the
CA, its key and the connection-string file.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import contextlib
import os
import shutil
import time
from pathlib import Path
from types import TracebackType
from typing import Any

from pextui.sim.acs import auth
from pextui.sim.acs.app import create_acs_app, snapshot
from pextui.sim.acs.certs import Certificates, make_certificates
from pextui.sim.acs.faults import AcsFaults
from pextui.sim.acs.service import DID_PREFIX, FAILING, RESOURCE_NUMBER, AcsService
from pextui.sim.companions import Companion, QuietServer
from pextui.sim.config import SimConfig
from pextui.sim.node import Node
from pextui.sim.numberplan import plan_for
from pextui.sim.server import SimServer, bind_socket, url_of, uvicorn_config

ACCESS_KEY_ENV = "PEXTUI_ACS_SIM_ACCESS_KEY"
CONNECTION_STRING_FILE = "connection-string"


class AcsSim:
    """The simulated ACS resource for `node`: key, certificates, app; not serving yet."""

    def __init__(
        self,
        node: Node,
        *,
        host: str = "127.0.0.1",
        port: int = 0,
        faults: dict[str, float] | None = None,
        access_key: str | None = None,
        webhooks: list[str] | None = None,
        callers: list[tuple[str, str]] | None = None,
        resource_id: str | None = None,
    ) -> None:
        self.node = node
        self.host, self.port = host, port
        self.access_key = access_key or os.environ.get(ACCESS_KEY_ENV) or auth.new_access_key()
        auth.decode_key(self.access_key)  # ValueError now rather than at the first request
        self.app = create_acs_app(
            node, self.access_key, AcsFaults(faults or {}), webhooks=webhooks, callers=callers,
            resource_id=resource_id,
        )  # fmt: skip
        self.acs: AcsService = self.app.state.acs
        self.certs: Certificates | None = None
        self.endpoint = ""

    @property
    def ca(self) -> str:
        assert self.certs is not None
        return str(self.certs.ca)

    @property
    def connection_string(self) -> str:
        return auth.connection_string(self.endpoint, self.access_key)

    @property
    def resource_id(self) -> str:
        """The immutable resource id: the audience of every callback's token."""
        return self.acs.resource_id

    @property
    def openid_config(self) -> str:
        """Where the OpenID configuration naming the callbacks' signing keys is."""
        return self.acs.signer.openid_url

    def companion(self) -> Companion:
        """Certificates, the bound socket and the server (for `serve_together`)."""
        hosts = [self.host] if self.host not in ("127.0.0.1", "::1") else None
        self.certs = make_certificates(hosts)
        sock = bind_socket(self.host, self.port)
        self.port = sock.getsockname()[1]
        self.endpoint = url_of(self.host, self.port, "https")
        self.acs.signer.issuer = self.endpoint
        config = uvicorn_config(
            self.app, ssl_certfile=str(self.certs.cert), ssl_keyfile=str(self.certs.key)
        )
        return Companion(QuietServer(config, lambda: None), sock, self.cleanup)

    def cleanup(self) -> None:
        if self.certs is not None:
            shutil.rmtree(self.certs.folder, ignore_errors=True)

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
            f"{number} ({message.split(': ')[-1].rstrip('.')})"
            for number, (_, _, message) in FAILING.items()
        )
        return [
            f"pextui sim ACS Call Automation listening on {self.endpoint}",
            f"  CA certificate: {self.certs.ca}",
            f"  connection string: in {secret_file} (mode 600), e.g.",
            f'    export PEXTUI_ACS_CONNECTION_STRING="$(cat {secret_file})"',
            f"  customers call {RESOURCE_NUMBER}; conferences: {numbers}",
            f"  failing destinations: {failing}",
            f"  callbacks signed (RS256), check them with: --acs-resource-id {self.resource_id}"
            f" --acs-openid-config {self.openid_config}",
        ]


class AcsServer(AcsSim):
    """ACS attached to a running `SimServer`: `AcsServer(sim).start()` ... `.stop()`."""

    def __init__(self, sim: SimServer, **options: Any) -> None:
        super().__init__(sim.node, **options)
        self.sim = sim
        self._companion: Companion | None = None
        self._future: concurrent.futures.Future[None] | None = None

    def start(self, timeout: float = 10.0) -> AcsServer:
        loop = self.sim.node.loop
        if loop is None:
            raise RuntimeError("start the Pexip simulator first")
        companion = self.companion()
        self._companion = companion

        async def serve() -> None:
            try:
                await companion.server.serve(sockets=[companion.sock])
            finally:
                companion.sock.close()

        self._future = asyncio.run_coroutine_threadsafe(serve(), loop)
        deadline = time.monotonic() + timeout
        while not companion.server.started:
            if self._future.done() or time.monotonic() > deadline:
                self.stop()
                raise RuntimeError("the ACS simulator did not start")
            time.sleep(0.005)
        return self

    def stop(self, timeout: float = 10.0) -> None:
        if self._companion is not None:
            self._companion.server.request_exit()
        if self._future is not None:
            with contextlib.suppress(Exception):
                self._future.result(timeout)
        self._companion = self._future = None
        self.cleanup()

    def state(self) -> dict[str, Any]:
        api = self.app.state.api
        result: dict[str, Any] = self.sim.run_on_loop(lambda: snapshot(self.acs, api))
        return result

    def ring(self, caller: str, name: str = "", to: str = RESOURCE_NUMBER) -> str:
        """A customer calls; the call's serverCallId."""
        call = self.sim.run_on_loop(lambda: self.acs.ring(caller, name, to))
        return str(call.server_call_id)


class SimWithAcs:
    """`with SimWithAcs() as sim:` a Pexip simulator and ACS on its loop (for tests)."""

    def __init__(self, config: SimConfig | None = None, **acs_options: Any) -> None:
        self.pexip = SimServer(config or SimConfig(port=0))
        self.node = self.pexip.node
        self._options = acs_options
        self.server: AcsServer | None = None

    @property
    def running(self) -> AcsServer:
        assert self.server is not None, "start() first"
        return self.server

    def start(self) -> SimWithAcs:
        self.pexip.start()
        try:
            self.server = AcsServer(self.pexip, **self._options).start()
        except BaseException:
            self.pexip.stop()
            raise
        return self

    def stop(self) -> None:
        if self.server is not None:
            self.server.stop()
        self.pexip.stop()

    # the pieces tests use
    acs = property(lambda self: self.running.acs)
    ca = property(lambda self: self.running.ca)
    acs_endpoint = property(lambda self: self.running.endpoint)
    access_key = property(lambda self: self.running.access_key)
    connection_string = property(lambda self: self.running.connection_string)
    resource_id = property(lambda self: self.running.resource_id)
    openid_config = property(lambda self: self.running.openid_config)
    acs_app = property(lambda self: self.running.app)
    base_url = property(lambda self: self.pexip.base_url)

    def acs_state(self) -> dict[str, Any]:
        return self.running.state()

    def ring(self, caller: str, name: str = "", to: str = RESOURCE_NUMBER) -> str:
        return self.running.ring(caller, name, to)

    def state(self) -> dict[str, Any]:
        return self.pexip.state()

    def conference_state(self, alias: str) -> dict[str, Any]:
        return self.pexip.conference_state(alias)

    def __enter__(self) -> SimWithAcs:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()
