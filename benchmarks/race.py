"""Race: pextui's client + store against Pexip's own SDK event source, on one sim stream.

Installs ``@pexip/infinity@20.0.0`` and ``@pexip/infinity-api@20.0.0`` (plus the
``eventsource`` polyfill, Node 20 has no global EventSource) from the npm registry into a
cache folder, starts ``pextui sim --participants N --churn R`` on an ephemeral loopback
port and, alternating the order round by round, runs each client in a fresh process:

* sdk: ``race/sdk_client.mjs`` joins as host with infinity-api's ``requestToken`` and
  opens the stream with infinity's ``createEventSourceManager``; listeners on its signals
  keep a participant map (as the SDK's client does).
* pextui: this script (``--pextui-run``) joins with ``pextui.protocol.client.connect``
  and applies every event of ``session.events()`` to a ``ConferenceStore`` (with the
  console's GC policy).

Each reports ``sync_ms`` (stream open -> ``participant_sync_end`` handled),
``churn_per_s`` (participant events handled per second during ``--window`` seconds,
counted from 1 s after the sync so that the backlog queued during the sync is drained;
it follows the sim's rate while a client keeps up), ``churn_cpu_share`` (process CPU /
wall in that window) and ``churn_per_cpu_s`` (events per CPU second: the capacity). The JSON output
has medians per client and the ratios: ``sync_speed_ratio`` = SDK's median sync time /
pextui's (>= 1.0: pextui is faster), ``churn_ratio`` = pextui's churn/s / SDK's and
``churn_capacity_ratio`` = pextui's events per CPU second / SDK's. The churn target
(pextui handles at least as many events per second as the SDK) counts as met when the
ratio is >= 1.0, or when both clients keep up with the sim's rate (each within 1 % of
``--churn``: then neither can handle more, and a ratio such as 0.999 is where the
window's edges fall); ``churn_capacity_ratio`` then says which needs less CPU for it.

    python benchmarks/race.py [--participants 20000] [--churn 2000] [--rounds 5]
                              [--window 5] [--cache DIR] [--json]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from simproc import ALIAS, HOST_PIN, ROOT, start_sim, stop_sim

NPM_PACKAGES = ("@pexip/infinity@20.0.0", "@pexip/infinity-api@20.0.0", "eventsource@3.0.7")
SDK_SCRIPT = Path(__file__).resolve().parent / "race" / "sdk_client.mjs"
DEFAULT_CACHE = Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache")) / "pextui-race"
PIN_VARIABLE = "PEXTUI_RACE_PIN"  # the PIN goes to the children by environment, not argv
RUN_TIMEOUT_S = 120.0
SETTLE_S = 1.0  # churn is counted from this long after the sync (its backlog drained)
KEEPS_UP = 0.99  # a client handling this share of the sim's churn rate keeps up with it


def ensure_sdk(cache: Path) -> None:
    """npm install the pinned packages into ``cache`` unless they are there already."""
    marker = cache / "node_modules" / "@pexip" / "infinity" / "package.json"
    if marker.exists() and json.loads(marker.read_text()).get("version") == "20.0.0":
        return
    npm = shutil.which("npm")
    if npm is None:
        raise SystemExit("npm not found: the race needs Node.js and npm")
    cache.mkdir(parents=True, exist_ok=True)
    subprocess.run(
        [npm, "install", "--prefix", str(cache), "--no-audit", "--no-fund", *NPM_PACKAGES],
        check=True,
        stdout=subprocess.DEVNULL,
        timeout=600,
    )


# -- the pextui side (a child process) -------------------------------------------------------


async def pextui_run(base_url: str, window_s: float) -> dict[str, Any]:
    from pextui.conference import ConferenceStore, RosterGcPolicy
    from pextui.protocol.client import JoinParams, connect
    from pextui.protocol.models import (
        ParticipantCreateEvent,
        ParticipantDeleteEvent,
        ParticipantSyncBeginEvent,
        ParticipantSyncEndEvent,
        ParticipantUpdateEvent,
    )
    from pextui.protocol.stream import Connected, StreamState

    churn_types = (ParticipantCreateEvent, ParticipantUpdateEvent, ParticipantDeleteEvent)
    pin = os.environ.get(PIN_VARIABLE, "")
    params = JoinParams(node_url=base_url, alias=ALIAS, display_name="pextui race host", pin=pin)
    started = time.perf_counter()
    session = await connect(params)
    store = ConferenceStore()
    store.self_uuid = session.participant_uuid
    policy = RosterGcPolicy()
    opened_at = synced_at = count_from = 0.0
    cpu_at_count = 0.0
    synced = churn = 0
    clock = time.perf_counter
    async with session:
        try:
            async with asyncio.timeout(None) as deadline:
                async for item in session.events():
                    if isinstance(item, StreamState):
                        if isinstance(item, Connected) and not opened_at:
                            opened_at = clock()
                        policy.interrupted()
                        continue
                    store.apply(item)
                    if synced_at:
                        if isinstance(item, churn_types):
                            if cpu_at_count:
                                churn += 1
                            elif clock() >= count_from:
                                cpu_at_count = time.process_time()
                                count_from = clock()
                                churn = 1
                    elif isinstance(item, ParticipantSyncBeginEvent):
                        policy.sync_started()
                    elif isinstance(item, ParticipantSyncEndEvent):
                        policy.sync_ended(len(store.roster))
                        synced_at = clock()
                        synced = len(store.roster)
                        count_from = synced_at + SETTLE_S
                        loop_now = asyncio.get_running_loop().time()
                        deadline.reschedule(loop_now + SETTLE_S + window_s)
        except TimeoutError:
            pass  # the churn window is over
        window = clock() - count_from
        cpu = time.process_time() - cpu_at_count if cpu_at_count else 0.0
    policy.restore()
    return {
        "client": "pextui",
        "synced": synced,
        "sync_ms": (synced_at - opened_at) * 1000,
        "open_ms": (opened_at - started) * 1000,
        "churn_events": churn,
        "churn_per_s": churn / window if window > 0 else 0.0,
        "churn_cpu_share": cpu / window if window > 0 else 0.0,
        "churn_per_cpu_s": churn / cpu if cpu > 0 else 0.0,
    }


# -- the race --------------------------------------------------------------------------------


def run_client(client: str, base_url: str, window: float, cache: Path) -> dict[str, Any]:
    if client == "sdk":
        command = ["node", str(SDK_SCRIPT), str(cache), base_url, ALIAS, f"{window:g}"]
        command.append(f"{SETTLE_S:g}")
    else:
        command = [sys.executable, __file__, "--pextui-run", base_url, "--window", f"{window:g}"]
    env = {**os.environ, PIN_VARIABLE: HOST_PIN}
    done = subprocess.run(
        command, capture_output=True, text=True, env=env, cwd=ROOT, timeout=RUN_TIMEOUT_S
    )
    lines = done.stdout.strip().splitlines()
    if done.returncode != 0 or not lines:
        tail = (done.stderr or done.stdout).strip().splitlines()[-3:]
        raise SystemExit(f"{client} run failed ({done.returncode}): {' | '.join(tail)}")
    result: dict[str, Any] = json.loads(lines[-1])
    return result


def summarise(runs: list[dict[str, Any]]) -> dict[str, Any]:
    keys = ("sync_ms", "churn_per_s", "churn_per_cpu_s", "churn_cpu_share", "open_ms", "synced")
    summary: dict[str, Any] = {
        f"median_{key}": round(statistics.median(run[key] for run in runs), 3) for key in keys
    }
    summary["runs"] = [{key: round(run[key], 3) for key in keys} for run in runs]
    return summary


def race(args: argparse.Namespace) -> dict[str, Any]:
    ensure_sdk(args.cache)
    process, base_url = start_sim(args.participants, args.churn)
    runs: dict[str, list[dict[str, Any]]] = {"sdk": [], "pextui": []}
    try:
        time.sleep(1.0)  # the churn is running before the first client joins
        for number in range(args.rounds):
            order = ("sdk", "pextui") if number % 2 == 0 else ("pextui", "sdk")
            for client in order:
                runs[client].append(run_client(client, base_url, args.window, args.cache))
    finally:
        stop_sim(process)
    sdk, ours = summarise(runs["sdk"]), summarise(runs["pextui"])
    sync_ratio = sdk["median_sync_ms"] / ours["median_sync_ms"]
    churn_ratio = ours["median_churn_per_s"] / sdk["median_churn_per_s"]
    keep_up = all(side["median_churn_per_s"] >= KEEPS_UP * args.churn for side in (sdk, ours))
    return {
        "benchmark": "race",
        "participants": args.participants,
        "churn_requested_per_s": args.churn,
        "rounds": args.rounds,
        "window_s": args.window,
        "order": "alternating, each run a fresh process",
        "statistic": "median of rounds",
        "sdk": sdk,
        "pextui": ours,
        "sync_speed_ratio": round(sync_ratio, 3),
        "churn_ratio": round(churn_ratio, 3),
        "churn_capacity_ratio": round(
            ours["median_churn_per_cpu_s"] / sdk["median_churn_per_cpu_s"], 3
        ),
        "both_keep_up": keep_up,
        "targets_met": {
            "sync_speed_ratio": sync_ratio >= 1.0,
            "churn_ratio": churn_ratio >= 1.0 or keep_up,
        },
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--participants", type=int, default=20_000)
    parser.add_argument("--churn", type=float, default=2000.0, help="sim churn, events/s")
    parser.add_argument("--rounds", type=int, default=5, help="runs per client")
    parser.add_argument("--window", type=float, default=5.0, help="churn window, seconds")
    parser.add_argument("--cache", type=Path, default=DEFAULT_CACHE, help="npm install folder")
    parser.add_argument("--json", action="store_true", help="one JSON document")
    parser.add_argument("--pextui-run", metavar="URL", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.pextui_run:
        result = asyncio.run(asyncio.wait_for(pextui_run(args.pextui_run, args.window), 100))
        print(json.dumps(result))
        return 0
    report = race(args)
    if args.json:
        print(json.dumps(report, indent=2))
    else:
        for client in ("sdk", "pextui"):
            row = report[client]
            print(
                f"{client:7} sync {row['median_sync_ms']:8.1f} ms  "
                f"churn {row['median_churn_per_s']:8.1f}/s  "
                f"cpu {row['median_churn_cpu_share']:.3f}"
            )
        print(f"sync speed ratio {report['sync_speed_ratio']}  churn ratio {report['churn_ratio']}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
