"""Servers that share the Pexip simulator's event loop (the PBX, ACS): one loop, one number
plan, so a caller they transfer appears in a simulated conference directly.

`serve_together` is the foreground form (`pextui sim --pbx --acs`): the Pexip server owns
the signals; when it stops, every companion is told to stop and its cleanup runs.
"""

from __future__ import annotations

import asyncio
import contextlib
import socket
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from pextui.sim.server import PromptServer


class QuietServer(PromptServer):
    """A PromptServer that leaves the signals to the Pexip side's server."""

    @contextlib.contextmanager
    def capture_signals(self) -> Iterator[None]:
        yield


@dataclass
class Companion:
    server: PromptServer
    sock: socket.socket
    cleanup: Callable[[], None] = field(default=lambda: None)


async def serve_all(server: PromptServer, sock: socket.socket, companions: list[Companion]) -> None:
    tasks = [asyncio.create_task(c.server.serve(sockets=[c.sock])) for c in companions]
    try:
        await server.serve(sockets=[sock])
    finally:
        for companion in companions:
            companion.server.request_exit()
        for task in tasks:
            with contextlib.suppress(Exception):
                await task
        for companion in companions:
            companion.cleanup()


def serve_together(server: PromptServer, sock: socket.socket, companions: list[Companion]) -> None:
    asyncio.run(serve_all(server, sock, companions))
