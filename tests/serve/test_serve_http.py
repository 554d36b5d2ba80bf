"""`pextui serve demo` over real loopback HTTP and WebSocket: pages, headers, Host, Origin.

A console's first bytes on the WebSocket prove that its process started; the simulator's
`/_sim/state` shows that it joined (a token) and left again (no token) when the socket closed.
"""

from __future__ import annotations

import asyncio
import time
from pathlib import Path

import aiohttp
import httpx
import pytest
from serve_helpers import Served, serving


def sim_tokens(served: Served) -> int:
    assert served.sim_url is not None
    return int(httpx.get(f"{served.sim_url}/_sim/state", timeout=10).json()["tokens"])


async def first_console_bytes(served: Served, **headers: str) -> bytes:
    """Open the console's WebSocket, return its first binary frame (the console drawing)."""
    ws_url = served.url.replace("http", "ws", 1) + "ws?width=100&height=30"
    async with (
        aiohttp.ClientSession() as client,
        client.ws_connect(ws_url, headers=headers) as socket,
    ):
        async for message in socket:
            if message.type == aiohttp.WSMsgType.BINARY and len(message.data) > 100:
                return bytes(message.data)
    raise AssertionError("the console sent nothing")


async def refused(served: Served, **headers: str) -> int:
    ws_url = served.url.replace("http", "ws", 1) + "ws"
    async with aiohttp.ClientSession() as client:
        with pytest.raises(aiohttp.WSServerHandshakeError) as error:
            await client.ws_connect(ws_url, headers=headers)
    return error.value.status


def wait_until(predicate: object, limit_s: float = 20.0) -> bool:
    deadline = time.monotonic() + limit_s
    while time.monotonic() < deadline:
        if predicate():  # type: ignore[operator]
            return True
        time.sleep(0.2)
    return False


def test_page_names_the_conference_and_sends_the_security_headers(tmp_path: Path) -> None:
    with serving(tmp_path, "demo") as served:
        assert served.url.startswith("http://127.0.0.1:")
        page = httpx.get(served.url, timeout=10)
        assert page.status_code == 200
        assert "<title>meet.demo (demo) · pextui</title>" in page.text
        assert "frame-ancestors 'none'" in page.headers["content-security-policy"]
        assert "script-src 'self'" in page.headers["content-security-policy"]
        assert page.headers["x-frame-options"] == "DENY"
        assert page.headers["cache-control"] == "no-store"
        assert "1234" not in page.text  # the demo's host PIN
        assert "<script>" not in page.text  # no inline script: the CSP forbids it
        for asset in ("/pextui/boot.js", "/pextui/page.css", "/static/js/textual.js"):
            assert httpx.get(served.origin + asset, timeout=10).status_code == 200
        assert httpx.get(served.origin + "/static/", timeout=10).status_code in (403, 404)


def test_a_foreign_host_name_gets_nothing(tmp_path: Path) -> None:
    """DNS rebinding: a page served as evil.example that resolves to 127.0.0.1."""
    with serving(tmp_path, "demo") as served:
        port = served.host.rsplit(":", 1)[1]
        response = httpx.get(served.url, headers={"Host": f"evil.example:{port}"}, timeout=10)
        assert response.status_code == 421
        assert "meet.demo" not in response.text
        status = asyncio.run(refused(served, Host=f"evil.example:{port}"))
        assert status == 421
        ok = httpx.get(served.url.replace("127.0.0.1", "localhost"), timeout=10)
        assert ok.status_code == 200


def test_websocket_from_another_site_is_refused(tmp_path: Path) -> None:
    """Cross-site WebSocket hijacking: any page in the host's browser could try."""
    with serving(tmp_path, "demo") as served:
        assert asyncio.run(refused(served, Origin="https://evil.example")) == 403
        assert asyncio.run(refused(served, Origin="null")) == 403
        assert sim_tokens(served) == 0  # no console was started for them


def test_each_connection_runs_a_console_that_joins_and_leaves(tmp_path: Path) -> None:
    with serving(tmp_path, "demo") as served:
        data = asyncio.run(first_console_bytes(served, Origin=served.origin))
        assert b"\x1b[" in data  # terminal output from a running Textual app
        # The socket is closed: the console quit and released its token.
        assert wait_until(lambda: sim_tokens(served) == 0)
        assert "Traceback" not in served.text()


def test_too_many_consoles_are_refused(tmp_path: Path) -> None:
    async def two() -> int:
        ws_url = served.url.replace("http", "ws", 1) + "ws"
        async with (
            aiohttp.ClientSession() as client,
            client.ws_connect(ws_url, headers={"Origin": served.origin}) as first,
        ):
            await first.receive()
            return await refused(served, Origin=served.origin)

    with serving(tmp_path, "demo", "--max-consoles", "1") as served:
        assert asyncio.run(two()) == 503


def test_stopping_the_server_ends_every_console(tmp_path: Path) -> None:
    """SIGTERM with a console open: it is asked to quit, the server exits 0, nothing is left."""
    from serve_helpers import children

    async def open_console() -> int:
        ws_url = served.url.replace("http", "ws", 1) + "ws"
        async with (
            aiohttp.ClientSession() as client,
            client.ws_connect(ws_url, headers={"Origin": served.origin}) as socket,
        ):
            await socket.receive_bytes(timeout=30)
            (child,) = children(served.process.pid)
            served.process.terminate()
            async for _ in socket:  # the server closes the socket on its way out
                pass
            return child

    with serving(tmp_path, "demo") as served:
        child = asyncio.run(open_console())
        served.process.wait(30)
    assert served.process.returncode == 0
    assert (
        not Path(f"/proc/{child}").exists() or "zombie" in Path(f"/proc/{child}/status").read_text()
    )
