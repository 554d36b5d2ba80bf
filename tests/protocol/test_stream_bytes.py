"""The event stream over a real loopback socket serving exact, hostile bytes.

A tiny raw HTTP server (127.0.0.1, ephemeral port) answers the events request with a
fixed body written in small pieces, so frames arrive split at arbitrary points.
"""

from __future__ import annotations

import asyncio
import logging

import pytest

from pextui.protocol.client import ApiClient
from pextui.protocol.models import ParticipantCreateEvent
from pextui.protocol.stream import MAX_FRAME, Directive, EventStream, StreamItem


async def serve_once(body: bytes, piece: int) -> tuple[asyncio.Server, str]:
    async def answer(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await reader.readuntil(b"\r\n\r\n")
        writer.write(
            b"HTTP/1.1 200 OK\r\ncontent-type: text/event-stream\r\nconnection: close\r\n\r\n"
        )
        for start in range(0, len(body), piece):
            writer.write(body[start : start + piece])
            await writer.drain()
        writer.close()

    server = await asyncio.start_server(answer, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    return server, f"http://127.0.0.1:{port}"


async def run_stream(body: bytes, piece: int) -> tuple[list[StreamItem], EventStream]:
    server, url = await serve_once(body, piece)
    api = ApiClient(url)
    stream = EventStream(api, lambda: ("meet.demo", "t0k3n"), _never_rejected)
    seen: list[StreamItem] = []

    async def handle(item: StreamItem) -> Directive:
        seen.append(item)
        return Directive.STOP if item.name == "participant_sync_end" else Directive.CONTINUE

    try:
        await asyncio.wait_for(stream.run(handle), 10.0)
    finally:
        await api.aclose()
        server.close()
        await server.wait_closed()
    return seen, stream


@pytest.mark.parametrize("piece", [1, 7, 4096])
async def test_bad_utf8_is_read_with_replacement_characters(piece: int) -> None:
    body = (
        b"event: participant_sync_begin\r\ndata: {}\r\n\r\n"
        b'event: participant_create\r\ndata: {"uuid": "p1", "display_name": "A\xffnn"}\r\n\r\n'
        b"event: participant_sync_end\r\ndata: {}\r\n\r\n"
    )
    seen, stream = await run_stream(body, piece)
    created = [item for item in seen if isinstance(item, ParticipantCreateEvent)]
    assert [event.data.display_name for event in created] == ["A\ufffdnn"]
    assert stream.malformed == 0


async def test_an_endless_frame_is_skipped_logged_and_not_buffered(
    caplog: pytest.LogCaptureFixture,
) -> None:
    huge = b'event: participant_create\ndata: {"uuid": "' + b"x" * (3 * MAX_FRAME) + b'"}\n\n'
    body = (
        b"event: participant_sync_begin\ndata: {}\n\n"
        + huge
        + b'event: participant_create\ndata: {"uuid": "p2", "display_name": "Bo"}\n\n'
        b"event: participant_sync_end\ndata: {}\n\n"
    )
    with caplog.at_level(logging.WARNING, logger="pextui.protocol"):
        seen, stream = await run_stream(body, 65536)
    assert [item.name for item in seen] == [
        "stream.connected",
        "participant_sync_begin",
        "participant_create",
        "participant_sync_end",
    ]
    assert stream.malformed == 1
    warnings = [record.getMessage() for record in caplog.records]
    assert any("skipped a malformed participant_create event" in line for line in warnings)
    assert not any("xxxx" in line for line in warnings)


async def _never_rejected() -> None:
    raise AssertionError("the token was not rejected")
