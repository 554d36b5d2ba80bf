"""`pextui watch`: a conference's events as JSON lines, or one JSON snapshot of its state.

    pextui watch --node https://node --alias meet.demo | jq -c 'select(.event == "stage")'
    PEXTUI_PIN=1234 pextui watch "https://node/webapp/conference/meet.demo" --snapshot

Each line is `{"event": NAME, "data": PAYLOAD}` for one server event (docs/protocol.md);
with `--state` the stream's own state changes are printed too, named `stream.connected`,
`stream.reconnecting`, `stream.resynced`, `stream.transferred`, `stream.rejoined`,
`stream.ended`. Breakout rooms come as `breakout_begin` / `breakout_end` /
`breakout_event` (a room's own events, wrapped) / `breakout_refer` (a room asks for help),
slides as `presentation_frame`, captions (with `--captions`) as `live_captions`. The
token is released when the command ends (also on SIGTERM).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import sys
from typing import Any, TextIO

from pextui.commands.connection import (
    EXIT_FAILED,
    EXIT_OK,
    add_connection_options,
    run_with_session,
)
from pextui.conference import ConferenceStore
from pextui.protocol.models import ConferenceUpdateEvent, DisconnectEvent, ParticipantSyncEndEvent
from pextui.protocol.session import Session
from pextui.protocol.stream import Ended, StreamItem, is_event
from pextui.sanitize import json_text, safe_text

SNAPSHOT_SYNC_TIMEOUT_S = 30.0


def configure(parser: argparse.ArgumentParser) -> None:
    parser.description = (
        "Join a conference (control only, no media) and print its events as JSON lines, "
        'one per event: {"event": NAME, "data": PAYLOAD}. With --snapshot, print one JSON '
        "document of the synced state (status, roster, stage, layout) and exit."
    )
    add_connection_options(parser)
    group = parser.add_argument_group("output")
    group.add_argument(
        "--snapshot",
        action="store_true",
        help="print the synced state as one JSON document and exit",
    )
    group.add_argument(
        "--settle",
        type=float,
        default=0.5,
        metavar="SECONDS",
        help="with --snapshot: how long to keep listening after the roster sync (default 0.5)",
    )
    group.add_argument("--count", type=int, metavar="N", help="exit after N lines")
    group.add_argument("--duration", type=float, metavar="SECONDS", help="exit after SECONDS")
    group.add_argument(
        "--captions",
        action="store_true",
        help="ask for live captions, printed as live_captions events",
    )
    group.add_argument(
        "--state",
        action="store_true",
        help="also print the stream's state changes (stream.connected, stream.reconnecting, ...)",
    )


def run(args: argparse.Namespace) -> int:
    if args.snapshot:
        return run_with_session(args, lambda session: snapshot(session, args.settle, sys.stdout))
    return run_with_session(
        args,
        lambda session: watch(
            session,
            sys.stdout,
            count=args.count,
            duration=args.duration,
            state=args.state,
            captions=args.captions,
        ),
    )


def event_line(item: StreamItem) -> str:
    """One JSON line for an event or a stream-state item."""
    return json_text({"event": item.name, "data": item.payload()})


async def watch(
    session: Session,
    out: TextIO,
    *,
    count: int | None = None,
    duration: float | None = None,
    state: bool = False,
    captions: bool = False,
) -> int:
    """Print events as JSON lines until the session ends, `count` lines or `duration`."""
    if captions:
        await session.show_live_captions(session.participant_uuid)
    written = 0
    disconnected = False
    with contextlib.suppress(TimeoutError):
        async with asyncio.timeout(duration):
            async for item in session.events():
                if isinstance(item, DisconnectEvent):
                    disconnected = True
                if state or is_event(item):
                    if not _write(out, event_line(item) + "\n"):
                        return EXIT_OK  # the reader went away (e.g. `| head`)
                    written += 1
                if isinstance(item, Ended):
                    if not disconnected:
                        print(f"pextui: session ended: {safe_text(item.reason)}", file=sys.stderr)
                    return EXIT_OK if disconnected else EXIT_FAILED
                if count is not None and written >= count:
                    return EXIT_OK
    return EXIT_OK


async def collect_snapshot(session: Session, settle_s: float = 0.5) -> dict[str, Any]:
    """Apply events until the first roster sync ends (plus `settle_s`); return the state."""
    store = ConferenceStore(self_uuid=session.participant_uuid)
    async with asyncio.timeout(SNAPSHOT_SYNC_TIMEOUT_S):
        async for item in session.events():
            if isinstance(item, Ended):
                raise RuntimeError(f"the session ended before the roster sync: {item.reason}")
            if is_event(item):
                store.apply(item)
            if isinstance(item, ParticipantSyncEndEvent):
                break
    with contextlib.suppress(TimeoutError):
        async with asyncio.timeout(settle_s):
            async for item in session.events():
                if isinstance(item, Ended):
                    break
                if is_event(item):
                    store.apply(item)
    store.apply(ConferenceUpdateEvent(data=await session.conference_status()))
    document = store.snapshot()
    document["conference"] = {
        "alias": session.alias,
        "name": session.conference_name,
        "node": session.node_url,
        "self_uuid": session.participant_uuid,
        "role": session.role,
    }
    return document


async def snapshot(session: Session, settle_s: float, out: TextIO) -> int:
    try:
        document = await collect_snapshot(session, settle_s)
    except (RuntimeError, TimeoutError) as exc:
        print(f"pextui: no snapshot: {exc or 'the roster sync did not finish'}", file=sys.stderr)
        return EXIT_FAILED
    _write(out, json_text(document, indent=2) + "\n")
    return EXIT_OK


def _write(out: TextIO, text: str) -> bool:
    """Write and flush; False when the pipe is closed."""
    try:
        out.write(text)
        out.flush()
    except BrokenPipeError:
        with contextlib.suppress(OSError, ValueError):
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, out.fileno())
        return False
    return True
