"""TLS: verified by default, a private CA via ca-bundle, or no check with insecure.

The simulator app is served over HTTPS on loopback with a throwaway certificate made by the
`openssl` command (skipped when it is missing).
"""

from __future__ import annotations

import asyncio
import shutil
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import uvicorn

from pextui.protocol.client import JoinParams, connect
from pextui.protocol.errors import TLSError
from pextui.sim.app import create_app
from pextui.sim.config import SimConfig
from pextui.sim.server import bind_socket

pytestmark = pytest.mark.skipif(shutil.which("openssl") is None, reason="needs openssl")


@pytest.fixture
def https_node(certificate: tuple[Path, Path]) -> Iterator[str]:
    cert, key = certificate
    sock = bind_socket("127.0.0.1", 0)
    port = sock.getsockname()[1]
    config = uvicorn.Config(
        create_app(SimConfig()),
        ssl_certfile=str(cert),
        ssl_keyfile=str(key),
        log_level="warning",
        lifespan="on",
        ws="none",
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=lambda: asyncio.run(server.serve(sockets=[sock])), daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started:
        assert thread.is_alive() and time.monotonic() < deadline, "the HTTPS node did not start"
        time.sleep(0.01)
    yield f"https://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(10)
    sock.close()


def params(node: str, verify: bool | str) -> JoinParams:
    return JoinParams(node_url=node, alias="meet.demo", pin="1234", verify=verify, timeout_s=5)


async def test_untrusted_certificate_is_a_tls_error(https_node: str) -> None:
    with pytest.raises(TLSError) as caught:
        await connect(params(https_node, True))
    assert "--ca-bundle" in caught.value.reason
    assert "1234" not in str(caught.value)


async def test_ca_bundle_makes_it_trusted(https_node: str, certificate: tuple[Path, Path]) -> None:
    async with await connect(params(https_node, str(certificate[0]))) as session:
        assert session.role == "HOST"


async def test_insecure_skips_the_check(https_node: str) -> None:
    async with await connect(params(https_node, False)) as session:
        assert session.role == "HOST"


def test_missing_ca_bundle_is_a_clear_error(tmp_path: Path) -> None:
    from pextui.protocol.client import ApiClient

    with pytest.raises(ValueError, match="CA bundle not found"):
        ApiClient("https://127.0.0.1:1", verify=str(tmp_path / "nope.pem"))
