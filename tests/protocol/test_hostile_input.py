"""Hostile bytes from the network never crash the client: only typed errors or skipped events.

Property-based (hypothesis). The event-stream cases need exact bytes, so they use a
MockTransport; the answers cases call the decoders directly.
"""

from __future__ import annotations

import asyncio
import json
from typing import Any

import httpx
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pextui.protocol.answers import decode_envelope, join_error, token_grant
from pextui.protocol.api import ApiClient
from pextui.protocol.errors import PexipError, ProtocolError
from pextui.protocol.models import EVENT_NAMES
from pextui.protocol.stream import Directive, EventStream, StreamItem

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=10), children, max_size=4)
    ),
    max_leaves=12,
)
event_names = st.sampled_from(sorted(EVENT_NAMES)) | st.text(
    alphabet=st.characters(blacklist_categories=("Cc", "Cs")), max_size=12
)
payloads = json_values.map(json.dumps) | st.text(
    alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\r\n"), max_size=40
)
FINAL = 'event: stage\ndata: [{"participant_uuid": "end", "stage_index": 0, "vad": 0}]\n\n'


def sse_body(events: list[tuple[str, str]]) -> str:
    frames = []
    for name, data in events:
        name = name.replace("\r", " ").replace("\n", " ")
        frames.append(f"event: {name}\ndata: {data}\n\n")
    return "".join(frames) + FINAL


async def run_stream(body: str) -> list[StreamItem]:
    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, text=body, headers={"content-type": "text/event-stream"})

    async def never() -> None:
        raise AssertionError("token rejected")

    api = ApiClient("http://127.0.0.1:9", transport=httpx.MockTransport(handler))
    stream = EventStream(api, lambda: ("meet.demo", "token-value"), never)
    seen: list[StreamItem] = []

    async def handle(item: StreamItem) -> Directive:
        seen.append(item)
        if item.name == "stage" and item.payload()[:1] == [
            {"participant_uuid": "end", "stage_index": 0, "vad": 0.0}
        ]:
            return Directive.STOP
        return Directive.CONTINUE

    try:
        await asyncio.wait_for(stream.run(handle), 5.0)
    finally:
        await api.aclose()
    return seen


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.tuples(event_names, payloads), max_size=8))
def test_arbitrary_events_never_kill_the_stream(events: list[tuple[str, str]]) -> None:
    seen = asyncio.run(run_stream(sse_body(events)))
    assert seen[0].name == "stream.connected"
    assert seen[-1].name == "stage"  # the stream got through everything to the final event
    assert all(item.name in EVENT_NAMES or item.name.startswith("stream.") for item in seen)


@settings(max_examples=150, deadline=None)
@given(
    st.sampled_from([200, 403, 404, 415, 500, 502, 503, 504, 529, 302, 418]),
    json_values,
    st.booleans(),
)
def test_arbitrary_token_answers_give_typed_errors(status: int, result: Any, wrap: bool) -> None:
    content = json.dumps({"status": "success", "result": result} if wrap else result)
    envelope = decode_envelope(httpx.Response(status, text=content))
    if status == 200:
        try:
            grant = token_grant(envelope.result, "Name")
        except ProtocolError:
            return
        assert grant.token and grant.participant_uuid and grant.expires_s > 0
    else:
        error = join_error(envelope)
        assert isinstance(error, PexipError)
        assert error.reason


@settings(max_examples=80, deadline=None)
@given(st.binary(max_size=200), st.sampled_from(["application/json", "text/html", ""]))
def test_arbitrary_bodies_decode_without_crashing(body: bytes, content_type: str) -> None:
    headers = {"content-type": content_type} if content_type else {}
    envelope = decode_envelope(httpx.Response(403, content=body, headers=headers))
    assert isinstance(join_error(envelope), PexipError)
