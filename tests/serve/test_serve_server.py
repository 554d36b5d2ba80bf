"""ConsoleServer in-process, with stand-in console programs: how a console's end is handled."""

from __future__ import annotations

import asyncio
import sys

import aiohttp

from pextui.serve.access import Access
from pextui.serve.process import ChildSpec
from pextui.serve.server import ConsoleServer


async def serve_until_closed(spec: ChildSpec) -> aiohttp.WSMessage:
    """Serve `spec`, open one console, return the message that ended its connection."""
    server = ConsoleServer(
        spec, conference="x", host="127.0.0.1", port=0, access=Access(None), max_consoles=2
    )
    ready: asyncio.Future[str] = asyncio.get_running_loop().create_future()
    task = asyncio.create_task(server.run(ready.set_result))
    try:
        url = await asyncio.wait_for(ready, 30)
        async with (
            aiohttp.ClientSession() as client,
            client.ws_connect(url.replace("http", "ws", 1) + "ws") as socket,
        ):
            while True:
                message = await socket.receive(timeout=30)
                if message.type in (aiohttp.WSMsgType.CLOSE, aiohttp.WSMsgType.CLOSED):
                    return message
    finally:
        server.stop()
        await asyncio.wait_for(task, 30)


async def test_a_console_that_fails_to_start_closes_the_connection() -> None:
    spec = ChildSpec((sys.executable, "-c", "import sys; sys.exit(3)"))
    message = await serve_until_closed(spec)
    assert message.type in (aiohttp.WSMsgType.CLOSE, aiohttp.WSMsgType.CLOSED)


async def test_a_console_that_crashes_after_starting_closes_the_connection() -> None:
    code = "import sys; sys.stdout.write('__GANGLION__\\n'); sys.stdout.flush(); sys.exit(1)"
    message = await serve_until_closed(ChildSpec((sys.executable, "-c", code)))
    assert message.type in (aiohttp.WSMsgType.CLOSE, aiohttp.WSMsgType.CLOSED)
