"""Where the console's event loop is when it is late: a watchdog thread samples the main
thread's stack (`sys._current_frames`) while the loop's heartbeat is overdue.

A task on the app's loop beats every `BEAT_S`; the watchdog thread wakes every `SAMPLE_S`
and, when the last beat is older than the threshold, takes the main thread's stack. A
stall ends at the next beat; each stall keeps its length, the garbage collector's time
inside it (`gc.callbacks`: while a collection runs the watchdog cannot take the GIL, so
those milliseconds have no samples) and its samples. The summary ranks functions by the
share of stall samples whose stack holds them (inclusive) and lists the longest stalls
with their most frequent innermost frames. A benchmark measurement only: the sampling
thread costs the loop a little (each sample takes the GIL).
"""

from __future__ import annotations

import asyncio
import gc
import sys
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

BEAT_S = 0.005
SAMPLE_S = 0.002
DEPTH = 40  # frames kept per sample, innermost first


@dataclass
class Stall:
    started: float
    ended: float = 0.0
    gc_ms: float = 0.0
    samples: list[tuple[str, ...]] = field(default_factory=list)

    @property
    def ms(self) -> float:
        return (self.ended - self.started) * 1000


def _frame_label(frame: Any) -> str:
    code = frame.f_code
    path = code.co_filename
    for marker in ("site-packages/", "/pextui/", "/benchmarks/", "/lib/python3"):
        cut = path.rfind(marker)
        if cut >= 0:
            path = (
                path[cut + len(marker) :] if marker != "/pextui/" else "pextui/" + path[cut + 8 :]
            )
            break
    return f"{path}:{code.co_name}"


class StallWatch:
    """Samples the main thread's stack while the loop is late by more than `threshold_ms`."""

    def __init__(self, threshold_ms: float = 30.0) -> None:
        self.threshold_s = threshold_ms / 1000
        self.main_id = threading.main_thread().ident
        self.beat = time.perf_counter()
        self.stalls: list[Stall] = []
        self._current: Stall | None = None
        self._gc_started: float | None = None
        self._running = False
        self._thread: threading.Thread | None = None
        self._task: asyncio.Task[None] | None = None
        self._lock = threading.Lock()

    # -- the loop side -----------------------------------------------------------------------

    async def _heartbeat(self) -> None:
        while self._running:
            await asyncio.sleep(BEAT_S)
            now = time.perf_counter()
            with self._lock:
                self.beat = now
                if self._current is not None:
                    self._current.ended = now
                    self.stalls.append(self._current)
                    self._current = None

    def _gc(self, phase: str, info: dict[str, int]) -> None:
        if phase == "start":
            self._gc_started = time.perf_counter()
        elif self._gc_started is not None:
            now = time.perf_counter()
            late = now - self.beat
            if late > self.threshold_s:  # the collection ran in (or made) a stall
                with self._lock:
                    if self._current is None:
                        self._current = Stall(started=self.beat + self.threshold_s)
                    self._current.gc_ms += (now - self._gc_started) * 1000
            self._gc_started = None

    def start(self) -> None:
        self._running = True
        self.beat = time.perf_counter()
        gc.callbacks.append(self._gc)
        self._task = asyncio.get_running_loop().create_task(self._heartbeat())
        self._thread = threading.Thread(target=self._watch, name="stall-watch", daemon=True)
        self._thread.start()

    async def stop(self) -> None:
        self._running = False
        if self._thread is not None:
            self._thread.join(1.0)
        if self._task is not None:
            await self._task
        if self._gc in gc.callbacks:
            gc.callbacks.remove(self._gc)

    # -- the watchdog thread -----------------------------------------------------------------

    def _watch(self) -> None:
        while self._running:
            time.sleep(SAMPLE_S)
            now = time.perf_counter()
            if now - self.beat <= self.threshold_s:
                continue
            frame = sys._current_frames().get(self.main_id)
            stack: list[str] = []
            while frame is not None and len(stack) < DEPTH:
                stack.append(_frame_label(frame))
                frame = frame.f_back
            with self._lock:
                if now - self.beat <= self.threshold_s:
                    continue
                if self._current is None:
                    self._current = Stall(started=self.beat + self.threshold_s)
                self._current.samples.append(tuple(stack))

    # -- the report --------------------------------------------------------------------------

    def summary(self, top: int = 25, longest: int = 8) -> dict[str, Any]:
        stalls = list(self.stalls)
        samples = [s for stall in stalls for s in stall.samples]
        inclusive: Counter[str] = Counter()
        for stack in samples:
            inclusive.update(set(stack))
        total = max(1, len(samples))

        def leaf(stack: tuple[str, ...]) -> str:
            return " < ".join(stack[:4])

        worst = sorted(stalls, key=lambda s: -s.ms)[:longest]
        return {
            "stalls": len(stalls),
            "stall_ms_total": round(sum(s.ms for s in stalls), 1),
            "stall_gc_ms_total": round(sum(s.gc_ms for s in stalls), 1),
            "stall_samples": len(samples),
            "inclusive_share": {
                name: round(count / total, 3) for name, count in inclusive.most_common(top)
            },
            "longest": [
                {
                    "ms": round(s.ms, 1),
                    "gc_ms": round(s.gc_ms, 1),
                    "samples": len(s.samples),
                    "leaves": dict(Counter(leaf(x) for x in s.samples).most_common(4)),
                }
                for s in worst
            ],
        }
