"""TLS against a local HTTPS simulator with a self-signed certificate made for the test:
refused without --ca-bundle (a clear TLSError), accepted with it, accepted with a loud
warning under --insecure. Both through the client and through the `pextui` commands."""

from __future__ import annotations

import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from pextui.protocol.client import JoinParams, connect
from pextui.protocol.errors import TLSError
from pextui.sim.config import SimConfig
from pextui.sim.server import SimServer
from tests.security.security_helpers import PEXTUI, private_env, run_pextui

PIN = "1234"


@pytest.fixture(scope="module")
def https_sim(certificate: tuple[Path, Path]) -> Iterator[SimServer]:
    cert, key = certificate
    with SimServer(SimConfig(ssl_certfile=str(cert), ssl_keyfile=str(key))) as sim:
        yield sim


def params(sim: SimServer, verify: bool | str) -> JoinParams:
    return JoinParams(sim.base_url, "meet.demo", pin=PIN, verify=verify, timeout_s=5)


def test_the_simulator_serves_https(https_sim: SimServer) -> None:
    assert https_sim.base_url.startswith("https://127.0.0.1:")


async def test_client_refuses_an_unknown_certificate(https_sim: SimServer) -> None:
    with pytest.raises(TLSError) as caught:
        await connect(params(https_sim, True))
    message = str(caught.value)
    assert "TLS handshake" in message and "--ca-bundle" in message and "--insecure" in message
    assert PIN not in message


async def test_client_accepts_it_with_the_ca_bundle(
    https_sim: SimServer, certificate: tuple[Path, Path]
) -> None:
    async with await connect(params(https_sim, str(certificate[0]))) as session:
        assert session.role == "HOST"
        assert await session.participants()


async def test_client_accepts_it_insecurely(https_sim: SimServer) -> None:
    async with await connect(params(https_sim, False)) as session:
        assert session.role == "HOST"


def test_commands_refuse_accept_and_warn(
    https_sim: SimServer, certificate: tuple[Path, Path], tmp_path: Path
) -> None:
    env = private_env(tmp_path, PEXTUI_PIN=PIN)
    base = ("watch", "--snapshot", "--node", https_sim.base_url, "--alias", "meet.demo")
    refused = run_pextui(*base, env=env)
    assert refused.returncode == 4, refused.stderr
    assert "TLS handshake" in refused.stderr and "--ca-bundle" in refused.stderr
    assert refused.stdout == ""

    trusted = run_pextui(*base, "--ca-bundle", str(certificate[0]), env=env)
    assert trusted.returncode == 0, trusted.stderr
    assert '"roster"' in trusted.stdout or "roster" in trusted.stdout
    assert "WARNING" not in trusted.stderr

    insecure = run_pextui(*base, "--insecure", env=env)
    assert insecure.returncode == 0, insecure.stderr
    assert "WARNING: --insecure" in insecure.stderr
    assert "NOT checked" in insecure.stderr


def test_pextui_sim_serves_https(certificate: tuple[Path, Path], tmp_path: Path) -> None:
    cert, key = certificate
    command = [
        *PEXTUI,
        "sim",
        "--port",
        "0",
        "--ssl-certfile",
        str(cert),
        "--ssl-keyfile",
        str(key),
    ]
    with subprocess.Popen(
        command, env=private_env(tmp_path), stdout=subprocess.PIPE, text=True
    ) as process:
        try:
            assert process.stdout is not None
            first = process.stdout.readline()
            assert first.startswith("pextui sim listening on https://127.0.0.1:")
        finally:
            process.terminate()
            process.wait(10)
    half = run_pextui("sim", "--port", "0", "--ssl-certfile", str(cert), env=private_env(tmp_path))
    assert half.returncode == 2 and "--ssl-keyfile" in half.stderr
