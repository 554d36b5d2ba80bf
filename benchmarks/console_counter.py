"""The console benchmark's event counter: a child process that joins as a guest and
counts participant frames on the raw stream without decoding them, plus the sim control.

Run as ``python console_counter.py URL``: prints ``ready`` once the sync is over, then the
count for every line read on stdin.
"""

from __future__ import annotations

import subprocess
import sys
import threading
import time

from simproc import ALIAS

API = f"/api/client/v2/conferences/{ALIAS}/"
PARTICIPANT_FRAMES = (b"participant_create", b"participant_update", b"participant_delete")


def count_events(base_url: str) -> int:
    """Child mode: join as a guest, count participant frames; print the count per stdin line."""
    import httpx

    count = 0
    ready = threading.Event()
    failed: list[str] = []

    def read() -> None:
        nonlocal count
        try:
            with httpx.Client(base_url=base_url, timeout=60) as client:
                joined = client.post(
                    API + "request_token",
                    json={"display_name": "Event counter"},
                    headers={"pin": "none"},
                )
                token = joined.json()["result"]["token"]
                with client.stream("GET", API + "events", headers={"token": token}) as response:
                    tail = b""
                    for chunk in response.iter_raw():
                        frames = (tail + chunk).split(b"\n\n")
                        tail = frames.pop()
                        for frame in frames:
                            if not ready.is_set():
                                if frame.startswith(b"event: participant_sync_end"):
                                    ready.set()
                                continue
                            if frame[7:].split(b"\n", 1)[0] in PARTICIPANT_FRAMES:
                                count += 1
        except Exception as error:  # reported to the parent, never a traceback
            failed.append(type(error).__name__)
            ready.set()

    threading.Thread(target=read, daemon=True).start()
    ready.wait(120)
    print("error " + failed[0] if failed else "ready", flush=True)
    for _line in sys.stdin:
        print(count, flush=True)
    return 0


class EventCounter:
    """The parent's handle on the counting child."""

    def __init__(self, base_url: str) -> None:
        self.process = subprocess.Popen(
            [sys.executable, __file__, base_url],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        assert self.process.stdout is not None
        first = self.process.stdout.readline().strip()
        if first != "ready":
            self.close()
            raise SystemExit(f"event counter failed: {first or 'no answer'}")

    def count(self) -> int:
        assert self.process.stdin is not None and self.process.stdout is not None
        self.process.stdin.write("\n")
        self.process.stdin.flush()
        return int(self.process.stdout.readline())

    def close(self) -> None:
        if self.process.stdin is not None:
            self.process.stdin.close()
        try:
            self.process.wait(5)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(5)


def set_churn(base_url: str, rate: float) -> None:
    """Change the simulator's churn through its control API."""
    import httpx

    httpx.post(base_url + "/_sim/control", json={"churn": rate}, timeout=10).raise_for_status()


def settled_count(counter: EventCounter) -> int:
    """The counter's total once it stops growing (churn is off)."""
    last = counter.count()
    while True:
        time.sleep(0.2)
        now = counter.count()
        if now == last:
            return now
        last = now


if __name__ == "__main__":
    raise SystemExit(count_events(sys.argv[1]))
