"""A server-sent events decoder over raw byte chunks (the WHATWG event-stream format).

``SseDecoder.feed(chunk)`` returns the events completed by ``chunk`` as ``(name, data)``
pairs, the data left as bytes (the JSON decoders read bytes directly: no UTF-8 decode and
no copy per line). Lines may end in CRLF, LF or CR, also split across chunks; a leading
BOM is dropped; comments, ``id`` and ``retry`` are ignored; several ``data`` lines are
joined with LF; a frame without ``data`` is not an event; the name defaults to
``message`` (also when it is empty).

The frames a Pexip node sends (``event: NAME`` then one ``data: JSON`` line) take a fast
path without splitting them into lines. A frame that grows past ``max_frame`` bytes
without ending is not buffered: the rest of it is discarded up to its blank line and it
is reported once, as ``(name, None)``, so that a hostile stream cannot grow memory.
"""

from __future__ import annotations

_BOM = b"\xef\xbb\xbf"
_EVENT = b"event: "
_DATA = b"\ndata: "

_NAMES_KEPT = 64  # decoded event names remembered (a hostile stream's names are not kept)

SseEvent = tuple[str, bytes | None]
"""An event's name and data; data None: the frame was too long and was discarded."""


class SseDecoder:
    """Incremental decoder: feed it the body's chunks in order."""

    def __init__(self, max_frame: int) -> None:
        self.max_frame = max_frame
        self._buffer = b""
        self._started = False  # the BOM check is done
        self._skipping: str | None = None  # name of an oversized frame being discarded
        self._names: dict[bytes, str] = {}  # event names seen, decoded once

    def feed(self, chunk: bytes) -> list[SseEvent]:
        if not self._started:
            chunk = self._buffer + chunk
            self._buffer = b""
            if len(chunk) < len(_BOM) and _BOM.startswith(chunk):
                self._buffer = chunk
                return []
            self._started = True
            if chunk.startswith(_BOM):
                chunk = chunk[len(_BOM) :]
        buffer = self._buffer + chunk if self._buffer else chunk
        if b"\r" in buffer:
            buffer = _normalise(buffer)
        events: list[SseEvent] = []
        if self._skipping is not None:
            end = _frame_end(buffer)
            if end < 0:
                self._buffer = buffer[-1:]  # a trailing LF may start the blank line
                return events
            events.append((self._skipping, None))
            self._skipping = None
            buffer = buffer[end:]
        frames = buffer.split(b"\n\n")
        tail = frames.pop()
        append = events.append
        names = self._names
        for frame in frames:
            # The usual frame: "event: NAME\ndata: JSON", one line each.
            if frame.startswith(_EVENT):
                split = frame.find(_DATA)
                if split > 0 and frame.find(b"\n", split + 7) < 0:
                    raw = frame[7:split]
                    name = names.get(raw)
                    if name is None and raw and b"\n" not in raw:
                        name = raw.decode("utf-8", "replace")
                        if len(names) < _NAMES_KEPT:
                            names[raw] = name
                    if name is not None:
                        append((name, frame[split + 7 :]))
                        continue
            event = _parse_frame(frame)
            if event is not None:
                append(event)
        if len(tail) > self.max_frame:
            self._skipping = _frame_name(tail)
            tail = tail[-1:]
        self._buffer = tail
        return events


def _normalise(buffer: bytes) -> bytes:
    """CRLF and CR to LF; a trailing CR is kept (its LF may come in the next chunk)."""
    if buffer.endswith(b"\r"):
        return buffer[:-1].replace(b"\r\n", b"\n").replace(b"\r", b"\n") + b"\r"
    return buffer.replace(b"\r\n", b"\n").replace(b"\r", b"\n")


def _frame_end(buffer: bytes) -> int:
    """Where the text after the frame's blank line starts, or -1."""
    end = buffer.find(b"\n\n")
    return -1 if end < 0 else end + 2


def _field(line: bytes) -> tuple[bytes, bytes]:
    name, colon, value = line.partition(b":")
    if colon and value.startswith(b" "):
        value = value[1:]
    return name, value


def _parse_frame(frame: bytes) -> SseEvent | None:
    """Any frame, line by line (comments, several data lines, no event line, ...)."""
    name = b"message"
    data: list[bytes] = []
    for line in frame.split(b"\n"):
        if not line or line.startswith(b":") or line == b"\r":
            continue
        field, value = _field(line.rstrip(b"\r"))
        if field == b"event":
            name = value
        elif field == b"data":
            data.append(value)
    if not data:
        return None
    # An empty type (``event`` or ``event:`` alone) is a "message", as no type at all.
    return (name.decode("utf-8", "replace") if name else "message"), b"\n".join(data)


def _frame_name(frame: bytes) -> str:
    """The event name of a (partial) frame, for the report of an oversized one."""
    for line in frame[:4096].split(b"\n"):
        field, value = _field(line)
        if field == b"event":
            return value.decode("utf-8", "replace")
    return "message"
