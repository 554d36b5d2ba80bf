"""Server-sent event encoding and per-subscriber streams fed by a shared broadcast."""

from __future__ import annotations

import asyncio
import time
from collections import deque
from collections.abc import AsyncIterator

KEEPALIVE = b": keepalive\n\n"
MAX_BUFFERED_BYTES = 96 * 1024 * 1024  # a subscriber further behind than this is dropped
TAKE_BYTES = 1024 * 1024  # what one wake-up of a stream sends at most (unless one frame is more)


def encode_event(name: str, data_json: bytes, event_id: str | None = None) -> bytes:
    """One SSE frame; `data_json` is compact JSON without newlines."""
    frame = b"event: " + name.encode() + b"\ndata: " + data_json + b"\n\n"
    return frame if event_id is None else b"id: " + event_id.encode() + b"\n" + frame


class Stream:
    """One open event stream of one participant: a buffer of encoded frames."""

    def __init__(self, participant_uuid: str, drop_after: float | None = None) -> None:
        self.participant_uuid = participant_uuid
        self.opened_at = time.monotonic()
        self.drop_after = drop_after  # the drop-stream-every fault, seconds
        self.closed = False
        self.close_reason = ""
        self.delivered_frames = 0
        self._chunks: deque[bytes] = deque()
        self._size = 0
        self._wakeup = asyncio.Event()

    def push(self, frame: bytes) -> None:
        if self.closed:
            return
        self._chunks.append(frame)
        self._size += len(frame)
        self.delivered_frames += 1
        if self._size > MAX_BUFFERED_BYTES:
            self._chunks.clear()
            self._size = 0
            self.close("subscriber too slow")
            return
        self._wakeup.set()

    def close(self, reason: str = "closed") -> None:
        """End the stream after what is already buffered has been sent."""
        if not self.closed:
            self.closed = True
            self.close_reason = reason
        self._wakeup.set()

    def _take(self) -> bytes:
        """The oldest buffered frames, joined, about TAKE_BYTES at most (each goes out as
        one write: a sync of 60 MB leaves in pieces as the client reads, never copied whole)."""
        chunks = self._chunks
        if len(chunks) == 1:
            self._size = 0
            return chunks.popleft()
        taken: list[bytes] = []
        size = 0
        while chunks and size < TAKE_BYTES:
            chunk = chunks.popleft()
            taken.append(chunk)
            size += len(chunk)
        self._size -= size
        return b"".join(taken)

    async def frames(self, keepalive: float) -> AsyncIterator[bytes]:
        """Buffered frames, joined per wake-up, with keepalive comments when idle."""
        while True:
            if self._chunks:
                yield self._take()
                continue
            if self.closed:
                return
            timeout = keepalive
            if self.drop_after is not None:
                remaining = self.opened_at + self.drop_after - time.monotonic()
                if remaining <= 0:
                    self.close("dropped by the drop-stream-every fault")
                    continue
                timeout = min(timeout, remaining)
            self._wakeup.clear()
            try:
                await asyncio.wait_for(self._wakeup.wait(), timeout)
            except TimeoutError:
                if self.drop_after is None or (self.opened_at + self.drop_after > time.monotonic()):
                    yield KEEPALIVE
