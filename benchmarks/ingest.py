"""Ingest throughput: SSE event data -> parse_event (JSON + validation) -> ConferenceStore.apply.

Two workloads, each timed next to a bare ``json.loads`` of exactly the same bytes:

* ``sync``: participant_sync_begin, N participant_create (full 42-field objects),
  participant_sync_end, into an empty store.
* ``churn``: against a store already holding N participants, a stream of updates
  (mute, hand, spotlight, video, name), joins and leaves.

Prints medians of several rounds; ``--json`` prints one JSON document with, per
workload, ``events_per_s``, ``json_loads_events_per_s`` and ``ratio`` (how many
times slower the whole pipeline is than the bare parse). The cyclic GC is paused
while timing (as ``timeit`` does) unless ``--gc`` (CPython's default settings) or
``--gc-tuned`` (after ``tune_gc_for_large_rosters``, as the console runs) keeps it
on; ``--clock cpu`` times this process's CPU instead of wall time.
"""

from __future__ import annotations

import argparse
import functools
import gc
import json
import random
import statistics
import sys
import time
from collections.abc import Callable
from typing import Any

from pextui.conference import ConferenceStore, tune_gc_for_large_rosters
from pextui.protocol.models import parse_event

RawEvent = tuple[str, bytes]

TARGET_EVENTS_PER_S = 100_000
TARGET_RATIO = 1.25
_FIRST = ["Alice", "Bob", "Chidi", "Dana", "Émile", "Farah", "Goran", "Hana", "Ivo", "Júlia"]
_LAST = ["Andersen", "Brown", "Okafor", "Nakamura", "Søgaard", "Haddad", "Novak", "Kim"]


def participant(rng: random.Random, number: int, **overrides: Any) -> dict[str, Any]:
    """A full 42-field participant object like a current Infinity sends."""
    name = f"{rng.choice(_FIRST)} {rng.choice(_LAST)} {number}"
    obj: dict[str, Any] = {
        "uuid": f"00000000-0000-4000-8000-{number:012d}",
        "display_name": name,
        "role": "chair" if number % 50 == 0 else "guest",
        "is_muted": "NO",
        "is_client_muted": False,
        "is_video_muted": False,
        "is_video_silent": False,
        "is_main_video_dropped_out": False,
        "is_presenting": "NO",
        "presentation_supported": "YES",
        "rx_presentation_policy": "ALLOW",
        "needs_presentation_in_mix": False,
        "buzz_time": 0,
        "spotlight": 0,
        "start_time": 1_763_000_000 + number,
        "last_spoken_time": 0,
        "call_direction": "in",
        "protocol": "webrtc",
        "is_audio_only_call": "NO",
        "is_video_call": "YES",
        "has_media": True,
        "encryption": "On",
        "mute_supported": "YES",
        "disconnect_supported": "YES",
        "transfer_supported": "YES",
        "fecc_supported": "NO",
        "is_streaming_conference": False,
        "is_external": False,
        "external_node_uuid": "",
        "is_conjoined": False,
        "is_transferring": False,
        "is_idp_authenticated": False,
        "supports_direct_chat": True,
        "local_alias": "meet.demo",
        "overlay_text": name,
        "service_type": "conference",
        "uri": f"sip:user{number}@example.com",
        "vendor": "Pexip Infinity Connect/2.0.0 (X11; Linux x86_64) Chrome/120.0",
        "call_tag": "",
        "api_url": "",
        "can_receive_personal_mix": True,
        "receive_from_video_mix": {"mix_name": "main", "timestamp": 0},
    }
    obj.update(overrides)
    return obj


def encode(name: str, data: Any) -> RawEvent:
    return (name, json.dumps(data).encode())


def sync_events(size: int, seed: int) -> list[RawEvent]:
    rng = random.Random(seed)
    events = [encode("participant_sync_begin", {})]
    events += [encode("participant_create", participant(rng, n)) for n in range(size)]
    events.append(encode("participant_sync_end", {}))
    return events


def churn_events(size: int, count: int, seed: int) -> list[RawEvent]:
    """Updates (70 %), joins (15 %) and leaves (15 %) against a roster of ``size``."""
    rng = random.Random(seed)
    present = {n: participant(rng, n) for n in range(size)}
    next_number = size
    events: list[RawEvent] = []
    while len(events) < count:
        roll = rng.random()
        if roll < 0.15:
            obj = participant(rng, next_number, start_time=1_763_100_000 + next_number)
            present[next_number] = obj
            next_number += 1
            events.append(encode("participant_create", obj))
        elif roll < 0.30 and present:
            number = rng.choice(list(present)) if len(present) < 64 else _pick(rng, present)
            obj = present.pop(number)
            events.append(encode("participant_delete", {"uuid": obj["uuid"]}))
        elif present:
            number = _pick(rng, present)
            obj = dict(present[number])
            field = rng.choice(["is_muted", "buzz_time", "spotlight", "is_video_muted", "name"])
            if field == "is_muted":
                obj["is_muted"] = "NO" if obj["is_muted"] == "YES" else "YES"
            elif field == "buzz_time":
                obj["buzz_time"] = 0 if obj["buzz_time"] else 1_763_200_000 + len(events)
            elif field == "spotlight":
                obj["spotlight"] = 0 if obj["spotlight"] else 1_763_200_000 + len(events)
            elif field == "is_video_muted":
                obj["is_video_muted"] = not obj["is_video_muted"]
            else:
                obj["display_name"] = f"{rng.choice(_FIRST)} {rng.choice(_LAST)} {number}"
            present[number] = obj
            events.append(encode("participant_update", obj))
    return events


def _pick(rng: random.Random, present: dict[int, dict[str, Any]]) -> int:
    """A random present number without materialising the key list every time."""
    while True:
        number = rng.randrange(0, max(present) + 1)
        if number in present:
            return number


def run_pipeline(events: list[RawEvent], store: ConferenceStore) -> None:
    apply = store.apply
    for name, data in events:
        event = parse_event(name, data)
        if event is not None:
            apply(event)


def run_json_loads(events: list[RawEvent]) -> None:
    loads = json.loads
    for _name, data in events:
        loads(data)


GcMode = str  # "paused" | "on" | "tuned"
GC_MODES = ("paused", "on", "tuned")
CLOCKS: dict[str, Callable[[], float]] = {"wall": time.perf_counter, "cpu": time.process_time}


def timed(work: Callable[[], None], gc_mode: GcMode = "paused", clock: str = "wall") -> float:
    """Time of ``work``: like ``timeit``, the cyclic GC is paused unless ``gc_mode`` keeps it
    on ("on": CPython's defaults; "tuned": after ``tune_gc_for_large_rosters``)."""
    now = CLOCKS[clock]
    gc.collect()
    thresholds = gc.get_threshold()
    if gc_mode == "paused":
        gc.disable()
    elif gc_mode == "tuned":
        tune_gc_for_large_rosters()
    try:
        start = now()
        work()
        return now() - start
    finally:
        gc.enable()
        gc.unfreeze()
        gc.set_threshold(*thresholds)


def measure(
    events: list[RawEvent],
    make_store: Callable[[], ConferenceStore],
    rounds: int,
    gc_mode: GcMode = "paused",
    clock: str = "wall",
) -> dict[str, Any]:
    pipeline, baseline = [], []
    for _ in range(rounds):
        store = make_store()
        pipeline.append(timed(functools.partial(run_pipeline, events, store), gc_mode, clock))
        del store
        baseline.append(timed(functools.partial(run_json_loads, events), gc_mode, clock))
    count = len(events)
    events_per_s = count / statistics.median(pipeline)
    loads_per_s = count / statistics.median(baseline)
    return {
        "events": count,
        "bytes": sum(len(data) for _name, data in events),
        "rounds": rounds,
        "events_per_s": round(events_per_s),
        "json_loads_events_per_s": round(loads_per_s),
        "ratio": round(loads_per_s / events_per_s, 2),
        "meets_rate_target": events_per_s >= TARGET_EVENTS_PER_S,
        "meets_ratio_target": loads_per_s / events_per_s <= TARGET_RATIO,
    }


def synced_store(size: int, seed: int) -> Callable[[], ConferenceStore]:
    """A factory of stores already holding the synced roster (set-up, not timed)."""
    parsed = [parse_event(name, data) for name, data in sync_events(size, seed)]
    base = [event for event in parsed if event is not None]

    def make() -> ConferenceStore:
        store = ConferenceStore(clock=lambda: 1_763_300_000.0)
        for event in base:
            store.apply(event)
        store.drain_changes()
        return store

    return make


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", action="store_true", help="print one JSON document")
    parser.add_argument("--participants", type=int, default=20_000)
    parser.add_argument("--churn-events", type=int, default=50_000)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--seed", type=int, default=1)
    gc_group = parser.add_mutually_exclusive_group()
    gc_group.add_argument(
        "--gc", action="store_true", help="keep the cyclic garbage collector running while timing"
    )
    gc_group.add_argument(
        "--gc-tuned",
        action="store_true",
        help="keep it running, after tune_gc_for_large_rosters() (freeze + higher threshold)",
    )
    parser.add_argument(
        "--clock",
        choices=sorted(CLOCKS),
        default="wall",
        help="wall time (default) or this process's CPU time (less sensitive to other load)",
    )
    args = parser.parse_args(argv)
    gc_mode = "tuned" if args.gc_tuned else "on" if args.gc else "paused"

    sync = sync_events(args.participants, args.seed)
    churn = churn_events(args.participants, args.churn_events, args.seed)
    results = {
        "sync": measure(
            sync, lambda: ConferenceStore(clock=lambda: 1.0), args.rounds, gc_mode, args.clock
        ),
        "churn": measure(
            churn, synced_store(args.participants, args.seed), args.rounds, gc_mode, args.clock
        ),
    }
    report = {
        "benchmark": "ingest",
        "participants": args.participants,
        "python": sys.version.split()[0],
        "gc_during_timing": gc_mode != "paused",
        "gc_mode": gc_mode,
        "clock": args.clock,
        "statistic": "median of rounds",
        "target": {"events_per_s": TARGET_EVENTS_PER_S, "max_ratio": TARGET_RATIO},
        "workloads": results,
        "meets_rate_target": all(r["meets_rate_target"] for r in results.values()),
        "meets_ratio_target": all(r["meets_ratio_target"] for r in results.values()),
    }
    if args.json:
        print(json.dumps(report, indent=2))
    else:
        for name, result in results.items():
            print(
                f"{name:6} {result['events']:>7} events  "
                f"pipeline {result['events_per_s']:>9,}/s  "
                f"json.loads {result['json_loads_events_per_s']:>9,}/s  "
                f"ratio {result['ratio']:.2f}  "
                f"rate {'ok' if result['meets_rate_target'] else 'below target'}, "
                f"ratio {'ok' if result['meets_ratio_target'] else 'above target'}"
            )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
