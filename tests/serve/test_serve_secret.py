"""A console served with a secret: nothing without it, and it never leaks.

The secret-protected mode is what `--allow-remote` requires; it is tested on loopback (a
server with PEXTUI_SERVE_SECRET set demands the secret on any address), since tests never
listen beyond 127.0.0.1. The PIN and the secret must not appear in a page, a URL the server
prints or redirects to, its log, or a console process's command line (`ps`).
"""

from __future__ import annotations

import asyncio
from pathlib import Path

import aiohttp
import httpx

from tests.serve.serve_helpers import SECRET, Served, argv_of, children, environ_of, serving
from tests.serve.test_serve_http import first_console_bytes, refused, sim_tokens, wait_until

PIN = "1234"  # the demo's host PIN


def sign_in(served: Served, secret: str) -> httpx.Response:
    return httpx.post(
        served.url + "sign-in",
        data={"secret": secret},
        headers={"Origin": served.origin},
        timeout=10,
    )


def test_without_the_secret_there_is_no_console(tmp_path: Path) -> None:
    with serving(tmp_path, "demo", secret=SECRET) as served:
        page = httpx.get(served.url, timeout=10)
        assert page.status_code == 401
        assert 'type="password"' in page.text
        assert "meet.demo" not in page.text  # the sign-in page names no conference
        assert "textual.js" not in page.text
        wrong = sign_in(served, "not-the-secret-at-all")
        assert wrong.status_code == 403 and "set-cookie" not in wrong.headers
        assert "not the secret" in wrong.text
        by_url = httpx.get(served.url + "?key=also-not-the-secret", timeout=10)
        assert by_url.status_code == 403 and "set-cookie" not in by_url.headers
        assert asyncio.run(refused(served, Origin=served.origin)) == 403
        forged = {"Origin": served.origin, "Cookie": "pextui_session=made-up"}
        assert asyncio.run(refused(served, **forged)) == 403
        cross = httpx.post(
            served.url + "sign-in",
            data={"secret": SECRET},
            headers={"Origin": "https://evil.example"},
            timeout=10,
        )
        assert cross.status_code == 403 and "set-cookie" not in cross.headers
        assert sim_tokens(served) == 0


def test_the_secret_opens_the_console_and_leaks_nowhere(tmp_path: Path) -> None:
    with serving(tmp_path, "demo", secret=SECRET) as served:
        assert SECRET not in served.text()
        signed = sign_in(served, SECRET)
        assert signed.status_code == 303 and signed.headers["location"] == "/"
        cookie_header = signed.headers["set-cookie"]
        assert "HttpOnly" in cookie_header and "SameSite=Strict" in cookie_header
        assert SECRET not in cookie_header
        cookie = signed.cookies["pextui_session"]
        page = httpx.get(served.url, cookies={"pextui_session": cookie}, timeout=10)
        assert page.status_code == 200 and "meet.demo" in page.text
        assert SECRET not in page.text and PIN not in page.text
        # ?key= is exchanged for a cookie, and the address bar loses it.
        by_url = httpx.get(served.url + f"?key={SECRET}&fontsize=24", timeout=10)
        assert by_url.status_code == 303 and by_url.headers["location"] == "/?fontsize=24"

        async def console() -> tuple[bytes, list[str], dict[str, str]]:
            headers = {"Origin": served.origin, "Cookie": f"pextui_session={cookie}"}
            ws_url = served.url.replace("http", "ws", 1) + "ws"
            async with (
                aiohttp.ClientSession() as client,
                client.ws_connect(ws_url, headers=headers) as socket,
            ):
                data = await socket.receive_bytes(timeout=30)
                (child,) = children(served.process.pid)
                return data, argv_of(child), environ_of(child)

        data, argv, env = asyncio.run(console())
        assert data
        assert "--alias" in argv and "meet.demo" in argv
        assert all(PIN not in arg and SECRET not in arg for arg in argv), argv
        assert env["PEXTUI_PIN"] == PIN  # the PIN goes by the environment
        assert "PEXTUI_SERVE_SECRET" not in env
        assert all(SECRET not in value for value in env.values())
        assert wait_until(lambda: sim_tokens(served) == 0)
    log = served.log_file.read_text()
    assert "GET /ws 101" in log  # the access log is there, paths only
    assert SECRET not in log and "key=" not in log and cookie not in log
    assert SECRET not in served.text() and cookie not in served.text()


def test_a_second_console_opens_with_the_same_cookie(tmp_path: Path) -> None:
    with serving(tmp_path, "demo", secret=SECRET) as served:
        cookie = sign_in(served, SECRET).cookies["pextui_session"]
        headers = {"Origin": served.origin, "Cookie": f"pextui_session={cookie}"}
        for _ in range(2):
            assert asyncio.run(first_console_bytes(served, **headers))
