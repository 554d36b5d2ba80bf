"""The console benchmark's run: the real app, headless, joined to the sim as host."""

from __future__ import annotations

import asyncio
import cProfile
import gc
import time
from pathlib import Path
from typing import Any

from console_counter import EventCounter, set_churn, settled_count
from console_probe import (
    BREAKDOWN,
    GC_PAUSES,
    PROBE,
    breakdown,
    percentile,
    rounded,
    sample_loop_delay,
    settle_applied,
    timed_connector,
    wait_until,
    write_profile,
)
from console_stalls import StallWatch
from simproc import ALIAS, HOST_PIN


async def drive(
    base_url: str,
    rate: float,
    seconds: float,
    size: tuple[int, int],
    profile: Path | None,
    gc_freeze: bool = False,
    stalls_ms: float | None = None,
) -> dict[str, Any]:
    from textual import events

    from pextui.protocol.client import JoinParams
    from pextui.tui.app import make_app
    from pextui.tui.widgets.roster import Roster

    join = JoinParams(node_url=base_url, alias=ALIAS, display_name="Bench host", pin=HOST_PIN)
    app = make_app(join=join, connector=timed_connector(), load_settings=False)
    PROBE.app = app
    result: dict[str, Any] = {}
    sync_profiler = cProfile.Profile() if profile else None
    if sync_profiler:
        sync_profiler.enable()
    PROBE.timing = True
    started = time.perf_counter()
    async with app.run_test(size=size) as pilot:
        if not await wait_until(lambda: PROBE.synced_rendered_at is not None, 180):
            raise SystemExit("the roster never showed the synced participants")
        PROBE.timing = False
        result["sync_busy_ms"] = breakdown(1.0)
        result["sync_cpu_share"] = round(time.process_time() / (time.perf_counter() - started), 2)
        sync_gc = GC_PAUSES.summary()
        result["sync_gc_ms"] = sync_gc["gc_total_ms"]
        result["sync_gc_collections"] = sync_gc["gc_collections"]
        GC_PAUSES.reset()
        BREAKDOWN.clear()
        PROBE.frames = 0
        if gc_freeze:
            gc.freeze()  # what an app could do after a sync: old objects leave the GC's scans
        if sync_profiler and profile:
            sync_profiler.disable()
            write_profile(sync_profiler, profile.with_suffix(".sync.txt"))
        assert PROBE.join_at is not None and PROBE.synced_rendered_at is not None
        assert PROBE.sync_end_at is not None
        result["initial_sync_ms"] = rounded((PROBE.synced_rendered_at - PROBE.join_at) * 1000)
        if PROBE.join_cpu is not None and PROBE.synced_rendered_cpu is not None:
            cpu = (PROBE.synced_rendered_cpu - PROBE.join_cpu) * 1000
            result["initial_sync_cpu_ms"] = rounded(cpu)  # the app's CPU, same interval
        if PROBE.join_sim_cpu is not None and PROBE.synced_sim_cpu is not None:
            result["initial_sync_sim_cpu_ms"] = rounded(
                (PROBE.synced_sim_cpu - PROBE.join_sim_cpu) * 1000
            )
        if PROBE.joined_at is not None:
            result["join_ms"] = rounded((PROBE.joined_at - PROBE.join_at) * 1000)
        if PROBE.first_event_at is not None:
            first = (PROBE.first_event_at - PROBE.join_at) * 1000
            result["first_event_ms"] = rounded(first)
        result["sync_end_applied_ms"] = rounded((PROBE.sync_end_at - PROBE.join_at) * 1000)
        result["synced_rows"] = PROBE.synced_rows
        await pilot.pause(1.0)
        roster = app.screen.query_one(Roster)

        # Both counts start from zero: churn stops, the app drains its backlog, the
        # counter joins, then churn resumes at the window's start.
        await asyncio.to_thread(set_churn, base_url, 0.0)
        counter = await asyncio.to_thread(EventCounter, base_url)
        await settle_applied(pilot)
        stop = asyncio.Event()
        sampler = asyncio.create_task(sample_loop_delay(stop))
        key_ms: list[float] = []
        missed_keys = 0
        profiler = cProfile.Profile() if profile else None
        sent_before = await asyncio.to_thread(counter.count)
        shown_before, cpu_before = PROBE.shown, time.process_time()
        await asyncio.to_thread(set_churn, base_url, rate)
        started = time.perf_counter()
        PROBE.timing = True
        watch = StallWatch(stalls_ms) if stalls_ms else None
        if watch:
            watch.start()
        if profiler:
            profiler.enable()
        while time.perf_counter() - started < seconds:
            PROBE.key_from, PROBE.key_rendered_at = roster.cursor_uuid, None
            pressed = time.perf_counter()
            app.post_message(events.Key("down", None))
            await wait_until(lambda: PROBE.key_rendered_at is not None, 2.0)
            rendered: float | None = getattr(PROBE, "key_rendered_at")  # noqa: B009
            if rendered is not None:
                key_ms.append((rendered - pressed) * 1000)
            else:
                PROBE.key_from = None
                missed_keys += 1
            await asyncio.sleep(0.15)
        if profiler:
            profiler.disable()
        if watch:
            await watch.stop()
            result["stall_report"] = watch.summary()
        PROBE.timing = False
        window = time.perf_counter() - started
        shown_after, cpu_after = PROBE.shown, time.process_time()
        sent_after = await asyncio.to_thread(counter.count)
        await asyncio.to_thread(set_churn, base_url, 0.0)
        stop.set()
        await sampler
        # How long the app needs after the churn stops to show everything sent.
        caught_up_started = time.perf_counter()
        total_sent = await asyncio.to_thread(settled_count, counter)
        caught_up = await wait_until(
            lambda: PROBE.shown - shown_before >= total_sent - sent_before, 30
        )
        catch_up_ms = (time.perf_counter() - caught_up_started) * 1000 if caught_up else None
        await asyncio.to_thread(counter.close)
        sent = sent_after - sent_before
        shown = shown_after - shown_before
        result.update(
            applied_ratio=round(shown / sent, 4) if sent else None,
            events_sent=sent,
            events_shown=shown,
            sent_per_second=rounded(sent / window),
            shown_per_second=rounded(shown / window),
            loop_delay_p50_ms=rounded(percentile(PROBE.delays_ms, 0.50)),
            loop_delay_p99_ms=rounded(percentile(PROBE.delays_ms, 0.99)),
            loop_delay_max_ms=rounded(max(PROBE.delays_ms, default=0.0)),
            key_to_render_p50_ms=rounded(percentile(key_ms, 0.50)),
            key_to_render_p95_ms=rounded(percentile(key_ms, 0.95)),
            key_presses=len(key_ms),
            keys_without_render=missed_keys,
            app_cpu_share=round((cpu_after - cpu_before) / window, 3),
            window_seconds=round(window, 2),
            roster_rows_at_end=len(app.store.index) if app.store else 0,
            behind_at_end=(sent_after - sent_before) - (shown_after - shown_before),
            catch_up_ms=rounded(catch_up_ms),
            frames_per_second=rounded(PROBE.frames / window),
            ms_per_frame=rounded(
                BREAKDOWN.get("compositor render_update (all drawing)", 0.0)
                * 1000
                / max(1, PROBE.frames)
            ),
            busy_ms_per_second=breakdown(window),
            **GC_PAUSES.summary(),
        )
        if profiler and profile:
            write_profile(profiler, profile)
        await app.leave()
    return result
