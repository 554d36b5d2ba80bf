"""The console's ACS endpoint: only requests knowing the per-run secret get in, Event Grid's
handshake is answered, hostile bodies are refused or skipped and never crash anything."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest

from pextui.logs import redact
from pextui.phone.acs.events import CallEvent, GridEvent, IncomingCall
from pextui.phone.acs.receiver import CallbackReceiver


class Collected:
    def __init__(self) -> None:
        self.incoming: list[GridEvent] = []
        self.callbacks: list[CallEvent] = []


@pytest.fixture
async def receiver() -> AsyncIterator[tuple[CallbackReceiver, Collected]]:
    got = Collected()
    running = CallbackReceiver(got.incoming.append, got.callbacks.append)
    await running.start()
    yield running, got
    await running.stop()


def grid(kind: str, data: dict[str, Any]) -> list[dict[str, Any]]:
    return [{"id": "e1", "eventType": kind, "data": data, "subject": "", "eventTime": ""}]


async def post(url: str, body: Any, raw: bytes | None = None) -> httpx.Response:
    async with httpx.AsyncClient() as http:
        if raw is not None:
            return await http.post(url, content=raw)
        return await http.post(url, json=body)


async def test_the_validation_handshake_echoes_the_code(receiver: Any) -> None:
    running, _ = receiver
    body = grid("Microsoft.EventGrid.SubscriptionValidationEvent", {"validationCode": "abc-123"})
    answer = await post(running.eventgrid_url, body)
    assert answer.status_code == 200 and answer.json() == {"validationResponse": "abc-123"}


async def test_requests_without_the_secret_are_refused(receiver: Any) -> None:
    running, got = receiver
    event = [{"id": "1", "type": "Microsoft.Communication.CallConnected",
              "data": {"callConnectionId": "c1"}}]  # fmt: skip
    base = running.base_url
    for url in (f"{base}/acs/wrong/callbacks", f"{base}/acs/{running.secret}x/callbacks",
                f"{base}/acs/{running.secret}/other", f"{base}/callbacks"):  # fmt: skip
        answer = await post(url, event)
        assert answer.status_code in (404, 405)
    assert got.callbacks == []
    assert (await post(running.callback_url, event)).status_code == 200
    assert [e.kind for e in got.callbacks] == ["CallConnected"]


async def test_the_secret_is_never_shown(receiver: Any) -> None:
    running, _ = receiver
    shown = "\n".join(running.describe())
    assert running.secret not in shown and "***" in shown
    assert running.secret not in redact(f"POST {running.callback_url}")


@pytest.mark.parametrize(
    "raw",
    [b"not json", b"{", b"42", b'"text"', b"\xff\xfe\x00", b"[" * 100_000],
    ids=["text", "cut", "number", "string", "binary", "deep"],
)
async def test_malformed_bodies_are_400(receiver: Any, raw: bytes) -> None:
    running, got = receiver
    for url in (running.callback_url, running.eventgrid_url):
        answer = await post(url, None, raw)
        assert answer.status_code == 400
    assert got.callbacks == [] and got.incoming == []


async def test_oversized_bodies_are_refused(receiver: Any) -> None:
    running, _ = receiver
    answer = await post(running.callback_url, None, b"[" + b" " * 300_000 + b"]")
    assert answer.status_code == 413


async def test_malformed_events_are_skipped_the_good_ones_kept(receiver: Any) -> None:
    running, got = receiver
    result = {"code": "x", "subCode": None}
    good = {"id": "g", "type": "Microsoft.Communication.CallDisconnected",
            "data": {"callConnectionId": "c1", "resultInformation": result}}  # fmt: skip
    body = [
        5, None, "x", {}, {"type": 1}, {"id": "a", "type": "Other.Event", "data": {}},
        {"id": "b", "type": "Microsoft.Communication.CallConnected", "data": []},
        {"id": "c", "type": "Microsoft.Communication.CallConnected", "data": {}},
        good,
    ]  # fmt: skip
    assert (await post(running.callback_url, body)).status_code == 200
    assert [e.id for e in got.callbacks] == ["g"]
    assert got.callbacks[0].result is not None and got.callbacks[0].result.code is None
    assert running.counts["skipped"] == 8


async def test_a_hostile_incoming_call_is_kept_literally(receiver: Any) -> None:
    running, got = receiver
    name = "\x1b]8;;http://evil\x07[bold]Mallory[/bold]\u202e"
    data = {
        "incomingCallContext": "ctx",
        "serverCallId": "srv-1",
        "from": {"rawId": "4:+4930111", "phoneNumber": {"value": "+4930111"}},
        "to": {"rawId": "4:+15550100100"},
        "callerDisplayName": name,
    }
    body = grid("Microsoft.Communication.IncomingCall", data)
    assert (await post(running.eventgrid_url, body)).status_code == 200
    (event,) = got.incoming
    assert isinstance(event, IncomingCall)
    assert event.caller_name == name and event.caller == "+4930111"
    assert "ctx" not in repr(event)  # the context is a credential to answer: not in reprs


async def test_a_handler_failure_does_not_fail_the_delivery() -> None:
    def explode(event: Any) -> None:
        raise RuntimeError("boom")

    running = CallbackReceiver(explode, explode)
    await running.start()
    try:
        body = json.dumps([{"id": "1", "type": "Microsoft.Communication.CallConnected",
                            "data": {"callConnectionId": "c"}}]).encode()  # fmt: skip
        answer = await post(running.callback_url, None, body)
        assert answer.status_code == 200
    finally:
        await running.stop()
