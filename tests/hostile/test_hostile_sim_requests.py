"""Hostile clients of the simulator: an oversized refresh_token body and a client that
hangs up in the middle of a request body get a clear answer (or none), never a 500 or an
"Exception in ASGI application"."""

from __future__ import annotations

import logging
import socket

import httpx
import pytest

from pextui.sim.config import SimConfig
from pextui.sim.server import SimServer

API = "/api/client/v2/conferences/meet.demo/"


def host_token(sim: SimServer) -> str:
    reply = httpx.post(
        sim.base_url + API + "request_token", json={"display_name": "x"}, headers={"pin": "1234"}
    )
    return str(reply.json()["result"]["token"])


def test_oversized_refresh_body_is_413(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.WARNING)
    with SimServer(SimConfig()) as sim:
        token = host_token(sim)
        reply = httpx.post(
            sim.base_url + API + "refresh_token", content=b"x" * 70_000, headers={"token": token}
        )
        assert reply.status_code == 413
        assert "too large" in reply.json()["result"]
    assert "Exception in ASGI application" not in caplog.text


@pytest.mark.parametrize("function", ["release_token", "refresh_token", "lock", "request_token"])
def test_client_hanging_up_mid_body(function: str, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.WARNING)
    with SimServer(SimConfig()) as sim:
        token = host_token(sim)
        request = (
            f"POST {API}{function} HTTP/1.1\r\nHost: 127.0.0.1\r\ntoken: {token}\r\n"
            'Content-Type: application/json\r\nContent-Length: 500\r\n\r\n{"reason":'
        ).encode()
        with socket.create_connection(("127.0.0.1", sim.port), timeout=5) as conn:
            conn.sendall(request)
        # the simulator still answers, and logged no unhandled exception
        assert httpx.get(sim.base_url + "/_sim/state").status_code == 200
        for _ in range(10):  # the handler runs after the hang-up: give it a moment
            if "Exception in ASGI application" in caplog.text:
                break
            httpx.get(sim.base_url + "/api/client/v2/status")
    assert "Exception in ASGI application" not in caplog.text
