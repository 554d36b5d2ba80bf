"""(30011) parsing, and the event socket against the simulated PBX: ack, heartbeat, reconnects."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable

import pytest
import websockets

from pextui.phone.yeastar.events import (
    MEMBER_STATUSES,
    Ack,
    CallStatusChanged,
    MalformedEvent,
    parse_message,
)
from pextui.phone.yeastar.stream import EventStream
from pextui.sim.pbx.server import PbxServer
from tests.phone.phone_helpers import client_for, wait_until

INFO = {
    "call_id": "1650029138.338",
    "members": [
        {"inbound": {"from": "5503301", "to": "2002", "trunk_name": "peer-to-41",
                     "channel_id": "PJSIP/trunk-peer-to-41-endpoint-000000b5",
                     "member_status": "ALERT", "call_path": " "}},
        {"extension": {"number": "2002", "channel_id": "PJSIP/2002-000000b6",
                       "member_status": "RING", "call_path": ""}},
        {"outbound": {"from": "2002", "to": "8001", "trunk_name": "pexip",
                      "channel_id": "PJSIP/trunk-pexip-endpoint-000000b7",
                      "member_status": "ANSWER"}},
    ],
}  # fmt: skip


@pytest.mark.parametrize("as_string", [True, False])
def test_30011_with_every_member_kind(as_string: bool) -> None:
    msg = json.dumps(INFO) if as_string else INFO  # the guide shows a JSON string
    event = parse_message(json.dumps({"type": 30011, "sn": "3631A2124XXX", "msg": msg}))
    assert isinstance(event, CallStatusChanged)
    assert event.call_id == "1650029138.338" and event.sn == "3631A2124XXX"
    inbound, extension, outbound = event.members
    assert (inbound.kind, inbound.from_, inbound.to, inbound.trunk, inbound.status) == (
        "inbound", "5503301", "2002", "peer-to-41", "ALERT"
    )  # fmt: skip
    assert inbound.call_path == ""  # " " in the guide's example means none
    assert (extension.kind, extension.number, extension.status) == ("extension", "2002", "RING")
    assert (outbound.kind, outbound.to, outbound.status) == ("outbound", "8001", "ANSWER")
    assert event.of_kind("outbound") == [outbound]


@pytest.mark.parametrize("status", MEMBER_STATUSES)
def test_every_member_status(status: str) -> None:
    member = {"extension": {"number": "1", "channel_id": "c", "member_status": status}}
    event = parse_message(json.dumps({"type": 30011, "msg": {"call_id": "1", "members": [member]}}))
    assert isinstance(event, CallStatusChanged)
    assert event.members[0].status == status
    assert event.members[0].gone is (status == "BYE")


@pytest.mark.parametrize(
    "text",
    [
        "{not json",
        "[1, 2]",
        json.dumps({"sn": "x"}),
        json.dumps({"type": 30011, "msg": "[1,"}),
        json.dumps({"type": 30011, "msg": {"call_id": "1"}}),
        json.dumps({"type": 30011, "msg": {"members": []}}),
        json.dumps({"type": 30011, "msg": {"call_id": "1", "members": [{"pstn": {}}]}}),
        json.dumps({"type": 30011, "msg": {"call_id": "1", "members": [{"inbound": {
            "channel_id": "c", "member_status": "DANCING"}}]}}),
        json.dumps({"type": 30011, "msg": {"call_id": "1", "members": [{"inbound": {
            "member_status": "BYE"}}]}}),
        json.dumps({"type": 30011, "msg": {"call_id": "1", "members": [{"inbound": {
            "channel_id": "c", "member_status": "BYE", "from": "9" * 300}}]}}),
    ],
)  # fmt: skip
def test_malformed_messages_raise(text: str) -> None:
    with pytest.raises(MalformedEvent):
        parse_message(text)


def test_acks_heartbeats_and_other_events() -> None:
    assert parse_message('{"errcode":0,"errmsg":"SUCCESS"}') == Ack(0, "SUCCESS")
    assert parse_message("heartbeat response") == Ack(0, "heartbeat response")
    assert parse_message(json.dumps({"type": 30012, "sn": "x", "msg": "{}"})) is None
    with pytest.raises(MalformedEvent):
        parse_message(b"\xff\xfe")


async def _run(stream: EventStream, events: list[CallStatusChanged]) -> asyncio.Task[None]:
    return asyncio.create_task(stream.run(events.append))


async def test_subscribe_ack_heartbeat_and_events(pbx: PbxServer) -> None:
    events: list[CallStatusChanged] = []
    async with client_for(pbx) as client:
        stream = EventStream(client, heartbeat=0.05)
        task = await _run(stream, events)
        await wait_until(lambda: stream.state == "connected", what="connected")
        await wait_until(lambda: stream.heartbeats_answered >= 2, what="heartbeat replies")
        pbx.run(lambda: pbx.pbx.add_caller("+15555550123", "ringing"))
        event = await wait_until(lambda: events and events[-1], what="a 30011 event")
        assert event.of_kind("inbound")[0].from_ == "+15555550123"
        await stream.stop()
        await task
    assert stream.state == "closed"
    assert pbx.state()["subscribers"] == 0


async def test_a_stop_while_connecting_ends_the_stream(
    pbx: PbxServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    """stop() lands while the token is on its way (no socket yet to close): the stream
    never subscribes and run() returns (the console quits without waiting for it)."""
    async with client_for(pbx) as client:
        stream = EventStream(client, heartbeat=0.05, backoff=(0.05,))
        fetch = client.ensure_token

        async def token_then_stop(*, fresh: bool = False) -> str:
            token = await fetch(fresh=fresh)
            await stream.stop()
            return token

        monkeypatch.setattr(client, "ensure_token", token_then_stop)
        task = await _run(stream, [])
        await asyncio.wait_for(task, 30)  # a guard against a hang, not a speed check
    assert stream.state == "closed" and stream.connects == 0
    assert pbx.state()["subscribers"] == 0


async def test_the_pbx_closes_an_idle_socket_and_the_stream_comes_back(
    make_pbx: Callable[..., PbxServer],
) -> None:
    from pextui.sim.pbx.config import PbxTimings

    pbx = make_pbx(timings=PbxTimings(answer=0.05, idle_close=0.2))
    async with client_for(pbx) as client:
        stream = EventStream(client, heartbeat=30.0, backoff=(0.05,))  # too slow a heartbeat
        task = await _run(stream, [])
        await wait_until(lambda: stream.connects >= 2, what="a reconnect after the idle close")
        await stream.stop()
        await task


async def test_a_heartbeat_keeps_an_idle_socket_open(make_pbx: Callable[..., PbxServer]) -> None:
    from pextui.sim.pbx.config import PbxTimings

    pbx = make_pbx(timings=PbxTimings(answer=0.05, idle_close=0.3))
    async with client_for(pbx) as client:
        stream = EventStream(client, heartbeat=0.05, backoff=(0.05,))
        task = await _run(stream, [])
        await wait_until(lambda: stream.heartbeats_answered >= 12, what="heartbeats over 0.6 s")
        assert stream.connects == 1
        await stream.stop()
        await task


async def test_dropped_sockets_reconnect_and_keep_delivering(
    make_pbx: Callable[..., PbxServer],
) -> None:
    pbx = make_pbx(faults={"drop-ws-every": 0.2})
    events: list[CallStatusChanged] = []
    async with client_for(pbx) as client:
        stream = EventStream(client, heartbeat=0.05, backoff=(0.05,))
        task = await _run(stream, events)
        await wait_until(lambda: stream.connects >= 3, what="two reconnects")
        pbx.run(lambda: pbx.pbx.faults.clear())
        await wait_until(lambda: stream.state == "connected", what="connected again")
        connects = stream.connects
        pbx.run(lambda: pbx.pbx.add_caller("+1555", "ringing"))
        await wait_until(lambda: events, what="an event after the reconnects")
        assert client.tokens_obtained == 1  # the token was still valid: no new get_token
        assert stream.connects == connects
        await stream.stop()
        await task


async def test_malformed_and_unknown_events_are_skipped(make_pbx: Callable[..., PbxServer]) -> None:
    pbx = make_pbx(faults={"malformed-rate": 1}, seed=3)
    events: list[CallStatusChanged] = []
    async with client_for(pbx) as client:
        stream = EventStream(client, heartbeat=5.0)
        task = await _run(stream, events)
        await wait_until(lambda: stream.state == "connected", what="connected")
        for n in range(8):
            pbx.run(lambda n=n: pbx.pbx.add_caller(f"+1555000{n}", "ringing"))
        await wait_until(lambda: len(events) == 8, what="every good event")
        sent = pbx.state()["malformed_sent"]
        assert sent == 8 and stream.malformed + stream.unknown == sent
        assert stream.malformed > 0
        await stream.stop()
        await task


async def test_a_refused_token_on_the_socket_gets_a_fresh_one(pbx: PbxServer) -> None:
    async with client_for(pbx) as client:
        old = await client.ensure_token()
        pbx.run(pbx.pbx.tokens.expire_access)  # the client still believes in `old`
        stream = EventStream(client, heartbeat=5.0, backoff=(0.05,))
        task = await _run(stream, [])
        await wait_until(lambda: stream.state == "connected", what="connected with a new token")
        assert client.tokens is not None and client.tokens.access != old
        await stream.stop()
        await task


async def test_wrong_credentials_end_the_stream(pbx: PbxServer) -> None:
    from pextui.phone.yeastar.errors import AuthFailed

    async with client_for(pbx, secret="nope-nope") as client:
        stream = EventStream(client, heartbeat=5.0, backoff=(0.05,))
        with pytest.raises(AuthFailed):
            await stream.run(lambda event: None)
    assert stream.state == "closed"


async def test_the_socket_refuses_a_bad_token_and_a_bad_subscription(pbx: PbxServer) -> None:
    url = pbx.base_url.replace("http", "ws") + "/openapi/v1.0/subscribe"
    async with websockets.connect(url + "?access_token=x", user_agent_header="OpenAPI") as ws:
        assert json.loads(await ws.recv()) == {"errcode": 10004, "errmsg": "TOKEN EXPIRED"}
    async with client_for(pbx) as client:
        token = await client.ensure_token()
        full = f"{url}?access_token={token}"
        async with websockets.connect(full, user_agent_header="curl") as ws:
            assert json.loads(await ws.recv())["errcode"] == 10005
        async with websockets.connect(full, user_agent_header="OpenAPI") as ws:
            await ws.send('{"topic_list": "all"}')
            assert json.loads(await ws.recv())["errcode"] == 40002
            await ws.send("hello")
            assert json.loads(await ws.recv())["errcode"] == 40001
            await ws.send('{"topic_list": [30011]}')
            assert json.loads(await ws.recv()) == {"errcode": 0, "errmsg": "SUCCESS"}
