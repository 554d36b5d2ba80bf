"""The SSE decoder: the event-stream format, whatever the chunking, and bounded memory.

A plain line-by-line reading of the format (``reference``) is the oracle: for any stream
and any split into chunks, ``SseDecoder`` gives the same events. The ``fuzz`` variant runs
many more examples (``pytest -m fuzz``).
"""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pextui.protocol.sse import SseDecoder
from tests.fuzzing import FUZZ_EXAMPLES


def reference(body: bytes) -> list[tuple[str, bytes]]:
    """The format read the slow, obvious way (the whole body at once)."""
    if body.startswith(b"\xef\xbb\xbf"):
        body = body[3:]
    events: list[tuple[str, bytes]] = []
    name, data = b"", list[bytes]()
    for line in re.split(rb"\r\n|\r|\n", body)[:-1]:  # the last piece has no line end
        if not line:
            if data:
                events.append(((name or b"message").decode("utf-8", "replace"), b"\n".join(data)))
            name, data = b"", []
            continue
        if line.startswith(b":"):
            continue
        field, colon, value = line.partition(b":")
        if colon and value.startswith(b" "):
            value = value[1:]
        if field == b"event":
            name = value
        elif field == b"data":
            data.append(value)
    return events


def decode(chunks: list[bytes], max_frame: int = 1 << 20) -> list[tuple[str, bytes | None]]:
    decoder = SseDecoder(max_frame)
    events: list[tuple[str, bytes | None]] = []
    for chunk in chunks:
        events += decoder.feed(chunk)
    return events


def split(body: bytes, cuts: list[int]) -> list[bytes]:
    points = sorted({min(cut, len(body)) for cut in cuts})
    return [body[a:b] for a, b in zip([0, *points], [*points, len(body)], strict=True)]


PEXIP_BODY = (
    b": keepalive\n\n"
    b"event: participant_sync_begin\ndata: {}\n\n"
    b'event: participant_create\ndata: {"uuid": "p1", "display_name": "Ann"}\n\n'
    b"event: participant_sync_end\ndata: {}\n\n"
)


def test_the_frames_a_node_sends() -> None:
    assert decode([PEXIP_BODY]) == [
        ("participant_sync_begin", b"{}"),
        ("participant_create", b'{"uuid": "p1", "display_name": "Ann"}'),
        ("participant_sync_end", b"{}"),
    ]


@pytest.mark.parametrize(
    ("body", "events"),
    [
        (b"data: a\ndata: b\n\n", [("message", b"a\nb")]),
        (b"event: x\r\ndata: 1\r\n\r\n", [("x", b"1")]),
        (b"event: x\rdata: 1\r\r", []),  # a CR at the very end may still become CRLF
        (b"event: x\rdata: 1\r\r: next\n", [("x", b"1")]),
        (b"\xef\xbb\xbfevent: x\ndata: 1\n\n", [("x", b"1")]),
        (b"event: x\n\n", []),  # no data: no event
        (b"event: x\ndata\n\n", [("x", b"")]),
        (b"event:x\ndata:1\n\n", [("x", b"1")]),
        (b"event:  x\ndata:  1\n\n", [(" x", b" 1")]),
        (b"id: 7\nretry: 10\nevent: x\ndata: 1\n\n", [("x", b"1")]),
        (b"\n\n\nevent: x\n: note\ndata: 1\n\n\n", [("x", b"1")]),
        (b"event: a\nevent: b\ndata: 1\n\n", [("b", b"1")]),
        (b"data: 1\nevent\n\n", [("message", b"1")]),  # an empty type is a message
        (b"event: \ndata: 1\n\n", [("message", b"1")]),
        (b"event: \xff\ndata: 1\n\n", [("\ufffd", b"1")]),
        (b"event: x\ndata: 1", []),  # not finished
    ],
)
def test_the_format(body: bytes, events: list[tuple[str, bytes]]) -> None:
    assert decode([body]) == events
    assert decode([bytes([byte]) for byte in body]) == events  # one byte at a time


def test_an_oversized_frame_is_discarded_and_reported_once() -> None:
    huge = b"event: participant_create\ndata: " + b"x" * 50_000 + b"\n\n"
    chunks = [PEXIP_BODY[:40], PEXIP_BODY[40:]]
    chunks += split(huge, list(range(0, len(huge), 4096)))
    chunks += [b"event: stage\ndata: []\n\n"]
    decoder = SseDecoder(10_000)
    events: list[tuple[str, bytes | None]] = []
    for chunk in chunks:
        events += decoder.feed(chunk)
        assert len(decoder._buffer) <= 10_000 + 4096  # never the whole frame
    assert events[-2:] == [("participant_create", None), ("stage", b"[]")]
    assert len(events) == 5


lines = st.one_of(
    st.sampled_from([b"event: participant_update", b"event: stage", b"event:x", b"data: {}"]),
    st.sampled_from([b"data: [1, 2]", b"data:", b"data", b": keepalive", b"id: 1", b""]),
    st.binary(max_size=12).filter(lambda b: b"\r" not in b and b"\n" not in b),
)
ends = st.sampled_from([b"\n", b"\r\n", b"\r"])
bodies = st.lists(st.tuples(lines, ends), max_size=30).map(
    lambda pairs: b"".join(line + end for line, end in pairs)
)


def _same_as_reference(body: bytes, cuts: list[int], bom: bool) -> None:
    body = (b"\xef\xbb\xbf" if bom else b"") + body
    whole = decode([body])
    if not body.endswith(b"\r"):  # a trailing CR waits for a possible LF
        assert whole == reference(body)
    assert decode(split(body, cuts)) == whole


@given(bodies, st.lists(st.integers(0, 400), max_size=8), st.booleans())
@settings(max_examples=300, deadline=None)
def test_any_chunking_gives_the_reference_events(body: bytes, cuts: list[int], bom: bool) -> None:
    _same_as_reference(body, cuts, bom)


@pytest.mark.fuzz
@pytest.mark.timeout(1800)
@given(bodies, st.lists(st.integers(0, 400), max_size=8), st.booleans())
@settings(max_examples=FUZZ_EXAMPLES, deadline=None)
def test_any_chunking_gives_the_reference_events_fuzz(
    body: bytes, cuts: list[int], bom: bool
) -> None:
    _same_as_reference(body, cuts, bom)
