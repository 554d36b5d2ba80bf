"""The event WebSocket of the simulated PBX: subscribe, heartbeat, (30011) events, idle close."""

from __future__ import annotations

import asyncio
import contextlib
import json

from starlette.websockets import WebSocket, WebSocketDisconnect

from pextui.sim.pbx.routes import USER_AGENT
from pextui.sim.pbx.state import Pbx, Subscriber

HEARTBEAT = "heartbeat"
HEARTBEAT_REPLY = "heartbeat response"
IDLE_CLOSE_CODE = 1000
POLICY_CLOSE_CODE = 1008


def _error(errcode: int, errmsg: str) -> str:
    return json.dumps({"errcode": errcode, "errmsg": errmsg})


async def subscribe(websocket: WebSocket) -> None:
    pbx: Pbx = websocket.app.state.pbx
    await websocket.accept()
    if websocket.headers.get("user-agent") != USER_AGENT:
        await websocket.send_text(_error(10005, "ACCESS DENIED"))
        await websocket.close(POLICY_CLOSE_CODE)
        return
    if not pbx.tokens.is_valid(websocket.query_params.get("access_token")):
        await websocket.send_text(_error(10004, "TOKEN EXPIRED"))
        await websocket.close(POLICY_CLOSE_CODE)
        return
    subscriber = Subscriber()
    pbx.subscribers.add(subscriber)
    writer = asyncio.create_task(_write(websocket, subscriber))
    reader = asyncio.create_task(_read(websocket, pbx, subscriber))
    tasks = {writer, reader}
    drop_every = pbx.fault("drop-ws-every")
    try:
        await asyncio.wait(tasks, timeout=drop_every or None, return_when=asyncio.FIRST_COMPLETED)
    finally:
        pbx.subscribers.discard(subscriber)
        for task in tasks:
            task.cancel()
        for task in tasks:
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await task
        with contextlib.suppress(Exception):
            await websocket.close(IDLE_CLOSE_CODE)


async def _write(websocket: WebSocket, subscriber: Subscriber) -> None:
    while True:
        frame = await subscriber.queue.get()
        if frame is None:
            return
        await websocket.send_text(frame)


async def _read(websocket: WebSocket, pbx: Pbx, subscriber: Subscriber) -> None:
    while True:
        try:
            text = await asyncio.wait_for(websocket.receive_text(), pbx.config.timings.idle_close)
        except (TimeoutError, WebSocketDisconnect, RuntimeError, KeyError):
            return  # idle for too long (the PBX closes), or the client went away
        if text.strip() == HEARTBEAT:
            subscriber.queue.put_nowait(HEARTBEAT_REPLY)
            continue
        try:
            message = json.loads(text)
        except ValueError:
            subscriber.queue.put_nowait(_error(40001, "PARAMETER SYNTAX ERROR"))
            continue
        topics = message.get("topic_list") if isinstance(message, dict) else None
        if (
            not isinstance(topics, list)
            or not topics
            or not all(isinstance(t, int) and not isinstance(t, bool) for t in topics)
        ):
            subscriber.queue.put_nowait(_error(40002, "PARAMETER ERROR"))
            continue
        subscriber.topics = frozenset(topics)
        subscriber.queue.put_nowait(json.dumps({"errcode": 0, "errmsg": "SUCCESS"}))
