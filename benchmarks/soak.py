"""Soak: a long session under churn, stream drops and token refreshes; resources must stay flat.

Starts ``pextui sim`` (loopback, ephemeral port) with ``--participants N``, ``--churn R``
(default 200 events/s), the stream dropped every ``--drop-every`` s (default 60) and a
token lifetime of three refresh periods (pextui refreshes every ``expires / 3``: default
every 30 s), joins as host with pextui's client and applies every event to a
``ConferenceStore`` (with the console's GC policy) for ``--minutes`` (default 30).
Every ``--sample`` s it records RSS, open file descriptors and asyncio tasks.

Targets: RSS growth from the sample at ``--warmup`` minutes (default 2) to the end <= 10 %;
no more open fds and asyncio tasks at the end than at the warm-up sample.

    python benchmarks/soak.py [--minutes 30] [--participants 2000] [--json]

A long run (30 min): run it by hand or with ``pytest -m slow tests/protocol/test_soak.py``
(``PEXTUI_SOAK_MINUTES`` shortens it).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
ALIAS = "meet.demo"
HOST_PIN = "1234"
PAGE = os.sysconf("SC_PAGE_SIZE")
MAX_RSS_GROWTH = 0.10


def start_sim(participants: int, churn: float, drop_every: float, refresh_every: float) -> Any:
    command = [sys.executable, "-m", "pextui", "sim", "--host", "127.0.0.1", "--port", "0"]
    command += ["--scenario", "quiet", "--participants", str(participants)]
    command += ["--churn", f"{churn:g}", "--token-expires", f"{refresh_every * 3:g}"]
    command += ["--fault", f"drop-stream-every={drop_every:g}"]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, text=True, cwd=ROOT)
    assert process.stdout is not None
    first = process.stdout.readline().strip()
    prefix = "pextui sim listening on "
    if not first.startswith(prefix):
        process.kill()
        process.wait(10)
        raise SystemExit(f"unexpected first line from pextui sim: {first!r}")
    return process, first[len(prefix) :]


def sample() -> dict[str, int]:
    with open("/proc/self/statm") as statm:
        rss = int(statm.read().split()[1]) * PAGE
    return {
        "rss_bytes": rss,
        "fds": len(os.listdir("/proc/self/fd")),
        "tasks": len(asyncio.all_tasks()),
    }


async def soak(base_url: str, seconds: float, every: float) -> dict[str, Any]:
    from pextui.conference import ConferenceStore, RosterGcPolicy
    from pextui.protocol.client import JoinParams, connect
    from pextui.protocol.models import ParticipantSyncBeginEvent, ParticipantSyncEndEvent
    from pextui.protocol.stream import Rejoined, StreamState

    params = JoinParams(node_url=base_url, alias=ALIAS, display_name="soak host", pin=HOST_PIN)
    session = await connect(params)
    store = ConferenceStore(self_uuid=session.participant_uuid)
    policy = RosterGcPolicy()
    samples: list[dict[str, Any]] = []
    applied = 0
    started = time.monotonic()

    async def consume() -> None:
        nonlocal applied
        async for item in session.events():
            if isinstance(item, StreamState):
                policy.interrupted()
                if isinstance(item, Rejoined):
                    store.self_uuid = item.participant_uuid
                continue
            store.apply(item)
            store.drain_changes()  # as the console's screen does on its timer
            store.expire()
            applied += 1
            if isinstance(item, ParticipantSyncBeginEvent):
                policy.sync_started()
            elif isinstance(item, ParticipantSyncEndEvent):
                policy.sync_ended(len(store.roster))

    async with session:
        consumer = asyncio.create_task(consume(), name="soak-consumer")
        while time.monotonic() - started < seconds and not consumer.done():
            await asyncio.sleep(every)
            samples.append(
                {
                    "at_s": round(time.monotonic() - started, 1),
                    **sample(),
                    "applied": applied,
                    "roster": len(store.roster),
                    "stream_connections": session.stream_connections,
                    "refreshes": session.refreshes,
                }
            )
        consumer.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await consumer
    policy.restore()
    return {"samples": samples, "ended": session.end.reason if session.end else None}


def verdict(samples: list[dict[str, Any]], warmup_s: float) -> dict[str, Any]:
    after = [row for row in samples if row["at_s"] >= warmup_s]
    if len(after) < 2:
        return {"enough_samples": False}
    first, last = after[0], after[-1]
    growth = (last["rss_bytes"] - first["rss_bytes"]) / first["rss_bytes"]
    return {
        "enough_samples": True,
        "rss_mb_at_warmup": round(first["rss_bytes"] / 2**20, 1),
        "rss_mb_at_end": round(last["rss_bytes"] / 2**20, 1),
        "rss_growth": round(growth, 4),
        "fds_at_warmup": first["fds"],
        "fds_at_end": last["fds"],
        "tasks_at_warmup": first["tasks"],
        "tasks_at_end": last["tasks"],
        "stream_connections": last["stream_connections"],
        "refreshes": last["refreshes"],
        "applied": last["applied"],
        "targets_met": {
            "rss_growth": growth <= MAX_RSS_GROWTH,
            "fds": last["fds"] <= first["fds"],
            "tasks": last["tasks"] <= first["tasks"],
        },
    }


def run(args: argparse.Namespace) -> dict[str, Any]:
    process, base_url = start_sim(args.participants, args.churn, args.drop_every, args.refresh)
    try:
        outcome = asyncio.run(soak(base_url, args.minutes * 60, args.sample))
    finally:
        process.terminate()
        process.wait(20)
    return {
        "benchmark": "soak",
        "minutes": args.minutes,
        "participants": args.participants,
        "churn_per_s": args.churn,
        "drop_every_s": args.drop_every,
        "refresh_every_s": args.refresh,
        **verdict(outcome["samples"], args.warmup * 60),
        "ended": outcome["ended"],
        "samples": outcome["samples"],
    }


def parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--minutes", type=float, default=30.0)
    parser.add_argument("--warmup", type=float, default=2.0, help="minutes before the baseline")
    parser.add_argument("--participants", type=int, default=2000)
    parser.add_argument("--churn", type=float, default=200.0, help="events per second")
    parser.add_argument("--drop-every", type=float, default=60.0, help="seconds")
    parser.add_argument("--refresh", type=float, default=30.0, help="token refresh period, s")
    parser.add_argument("--sample", type=float, default=10.0, help="seconds between samples")
    parser.add_argument("--json", action="store_true")
    return parser


def main() -> int:
    args = parser().parse_args()
    report = run(args)
    if args.json:
        print(json.dumps(report, indent=2))
    else:
        print(json.dumps({k: v for k, v in report.items() if k != "samples"}, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
