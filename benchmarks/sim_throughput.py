"""Simulator scale benchmark: sync time for N participants, delivered events/s vs requested.

Starts `pextui sim` as a separate process (so client and server do not share a GIL), joins
as host, opens the event stream with httpx over loopback and measures:
* sync: time from opening the stream to `participant_sync_end`, and its size;
* throughput: with churn set to R events/s through /_sim/control, the participant events
  delivered per second to each of K subscribers over D seconds.

    python benchmarks/sim_throughput.py [--participants 20000] [--rate 1000]
                                        [--duration 5] [--subscribers 1] [--json]
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from typing import Any

import httpx

API = "/api/client/v2/conferences/meet.demo/"
PARTICIPANT_EVENTS = (b"participant_create", b"participant_update", b"participant_delete")


@dataclass
class Subscriber:
    """Reads one stream, counting frames by name without decoding the JSON."""

    base_url: str
    token: str
    opened: float = 0.0
    synced_at: float | None = None
    sync_bytes: int = 0
    sync_participants: int = 0
    live_events: int = 0
    live_bytes: int = 0
    error: str | None = None
    stop: threading.Event = field(default_factory=threading.Event)

    def run(self) -> None:
        try:
            with (
                httpx.Client(base_url=self.base_url, timeout=60) as client,
                client.stream("GET", API + "events", params={"token": self.token}) as response,
            ):
                self.opened = time.perf_counter()
                tail = b""
                for chunk in response.iter_raw():
                    frames = (tail + chunk).split(b"\n\n")
                    tail = frames.pop()
                    for frame in frames:
                        self._count(frame)
                    if self.stop.is_set():
                        return
        except httpx.HTTPError as error:
            self.error = type(error).__name__

    def _count(self, frame: bytes) -> None:
        if self.synced_at is None:
            self.sync_bytes += len(frame) + 2
            if frame.startswith(b"event: participant_create"):
                self.sync_participants += 1
            elif frame.startswith(b"event: participant_sync_end"):
                self.synced_at = time.perf_counter()
            return
        if frame.startswith(b"event: ") and frame[7:].split(b"\n", 1)[0] in PARTICIPANT_EVENTS:
            self.live_events += 1
            self.live_bytes += len(frame) + 2


def start_sim(participants: int) -> tuple[subprocess.Popen[str], str]:
    process = subprocess.Popen(
        [sys.executable, "-m", "pextui", "sim", "--port", "0", "--participants", str(participants)],
        stdout=subprocess.PIPE,
        text=True,
    )
    assert process.stdout is not None
    first = process.stdout.readline().strip()
    prefix = "pextui sim listening on "
    if not first.startswith(prefix):
        process.kill()
        raise SystemExit(f"unexpected first line: {first!r}")
    return process, first[len(prefix) :]


def wait_for(predicate: Any, timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.005)
    return True


def measure(participants: int, rate: float, duration: float, subscribers: int) -> dict[str, Any]:
    process, base_url = start_sim(participants)
    try:
        with httpx.Client(base_url=base_url, timeout=60) as client:
            joined = client.post(
                API + "request_token", json={"display_name": "Bench"}, headers={"pin": "1234"}
            ).json()["result"]
            token = joined["token"]
            subs = [Subscriber(base_url, token) for _ in range(subscribers)]
            threads = [threading.Thread(target=s.run, daemon=True) for s in subs]
            started = time.perf_counter()
            for thread in threads:
                thread.start()
            synced = wait_for(lambda: all(s.synced_at for s in subs), 120)
            sync_seconds = max((s.synced_at or 0) - started for s in subs) if synced else None
            client.post("/_sim/control", json={"churn": rate})
            time.sleep(0.5)  # let the churn settle into its ticks
            before = [s.live_events for s in subs]
            window_start = time.perf_counter()
            time.sleep(duration)
            window = time.perf_counter() - window_start
            after = [s.live_events for s in subs]
            client.post("/_sim/control", json={"churn": 0})
            for sub in subs:
                sub.stop.set()
            state = client.get("/_sim/state").json()
    finally:
        process.terminate()
        process.wait(20)
    delivered = [(a - b) / window for a, b in zip(after, before, strict=True)]
    return {
        "participants": participants,
        "subscribers": subscribers,
        "sync_seconds": round(sync_seconds, 3) if sync_seconds is not None else None,
        "sync_megabytes": round(subs[0].sync_bytes / 1e6, 2),
        "sync_participants_received": subs[0].sync_participants,
        "requested_events_per_second": rate,
        "delivered_events_per_second": [round(d, 1) for d in delivered],
        "delivered_ratio": round(min(delivered) / rate, 3) if rate else None,
        "window_seconds": round(window, 2),
        "server_participants_at_end": state["conferences"][0]["participant_count"],
        "errors": [s.error for s in subs if s.error],
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--participants", type=int, default=20_000)
    parser.add_argument("--rate", type=float, default=1000.0)
    parser.add_argument("--duration", type=float, default=5.0)
    parser.add_argument("--subscribers", type=int, default=1)
    parser.add_argument("--json", action="store_true", help="machine-readable output")
    args = parser.parse_args()
    result = measure(args.participants, args.rate, args.duration, args.subscribers)
    if args.json:
        print(json.dumps(result))
    else:
        for key, value in result.items():
            print(f"{key:>30}: {value}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
