"""1 % malformed events under churn, then one of each kind (bad JSON, missing fields, wrong
types, an unknown name, a 1 MB event) pushed to the console's stream.

Every malformed event is skipped and logged, nothing crashes, and the roster stays equal to
the simulator's truth (after one resync for the updates the fault replaced with garbage).
"""

from __future__ import annotations

import logging
import time

import pytest

from pextui.sim.events import encode_event
from pextui.sim.server import SimServer
from pextui.tui.screens.conference import ConferenceScreen
from tests.chaos.chaos_console import running_console
from tests.chaos.chaos_figures import Figures
from tests.chaos.chaos_helpers import (
    ALIAS,
    LONG_RUN,
    Variant,
    chaos_config,
    control,
    divergence,
    events_sent,
    settle,
)

VARIANTS = [
    Variant("short", 5.0),
    pytest.param(Variant("long", 60.0), marks=LONG_RUN),
]
ONE_MB = 1024 * 1024
MALFORMED_FRAMES = (
    encode_event("participant_update", b'{"uuid": "0f0f", "display_name": '),  # bad JSON
    encode_event("participant_create", b'{"display_name": "nobody"}'),  # no uuid
    encode_event("participant_update", b'{"uuid": 42, "is_muted": true, "buzz_time": "x"}'),
    encode_event("conference_update", b'{"locked": "perhaps", "guests_muted": []}'),
    encode_event("stage", b'{"not": "a list"}'),
    encode_event("participant_create", b'{"uuid":"' + b"x" * ONE_MB + b'","padding":true}'),
    encode_event("message_received", b"[" * 100_000),  # deeply nested
)
UNKNOWN_FRAME = encode_event("sim_unknown_event", b'{"uuid": "0f0f"}')
# a valid chat line after the injected frames: once it is in the store, they were all handled
MARKER = "after the malformed frames"
MARKER_FRAME = encode_event(
    "message_received", b'{"origin":"Sim","type":"text/plain","payload":"' + MARKER.encode() + b'"}'
)


def stream_count(sim: SimServer) -> int:
    """How many event streams of the conference are open now."""
    conference = sim.node.conferences[ALIAS]
    return int(sim.run_on_loop(lambda: len(conference.streams)))


def push_frames(sim: SimServer, frames: tuple[bytes, ...]) -> int:
    """Put raw frames on every open event stream of the conference; how many streams."""
    conference = sim.node.conferences[ALIAS]

    def push() -> int:
        streams = tuple(conference.streams)
        for stream in streams:
            for frame in frames:
                stream.push(frame)
        return len(streams)

    return int(sim.run_on_loop(push))


@pytest.mark.parametrize("variant", VARIANTS, ids=lambda v: v.name)
async def test_malformed_events_are_skipped(
    variant: Variant, figures: Figures, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="pextui.protocol")
    config = chaos_config(participants=100, churn=200, faults={"malformed-rate": 0.01})
    with SimServer(config) as sim:
        try:
            async with running_console(sim, participants=101) as console:
                app = console.app
                session = app.session
                assert session is not None
                sent_before = events_sent(sim)
                started = time.monotonic()
                await console.until(
                    lambda: time.monotonic() - started > variant.seconds,
                    variant.seconds + 5,
                    "the malformed phase",
                    step_s=0.2,
                )
                await control(sim, {"churn": 0, "faults": {"drop-stream-every": 0.3}})
                connections = session.stream_connections
                await console.until(
                    lambda: session.stream_connections > connections, 10, "a resync"
                )
                await control(sim, {"faults": {}})
                random_malformed = session.malformed_events
                fired = sim.state()["faults_fired"]["malformed"]
                store = console.store
                problems = await settle(lambda: divergence(store, sim), 10)
                assert problems == [], problems[:10]
                # now one of each kind, on a quiet stream: nothing may change the roster
                # the random faults may have just dropped the stream: wait for the reconnect
                await console.until(lambda: stream_count(sim) >= 1, 15, "an open event stream")
                assert push_frames(sim, (*MALFORMED_FRAMES, UNKNOWN_FRAME, MARKER_FRAME)) >= 1
                await console.until(
                    lambda: session.malformed_events >= random_malformed + len(MALFORMED_FRAMES),
                    10,
                    "the injected events skipped",
                )
                await console.until(
                    lambda: any(entry.payload == MARKER for entry in store.chat),
                    10,
                    "the frame after them applied",
                )
                problems = divergence(store, sim)
                figures.seconds = round(time.monotonic() - started, 1)
                figures.events_sent = events_sent(sim) - sent_before
                figures.events_applied = console.tally.events
                figures.malformed_skipped = session.malformed_events
                figures.reconnects = console.tally.states["stream.connected"] - 1
                figures.divergence = len(problems)
                figures.notes = f"malformed events sent by the fault: {fired}"
                skipped_lines = [
                    r for r in caplog.records if r.getMessage().startswith("skipped a malformed")
                ]
                assert problems == [], problems[:10]
                assert session.malformed_events == random_malformed + len(MALFORMED_FRAMES)
                assert len(skipped_lines) == session.malformed_events
                assert all(len(r.getMessage()) < 1000 for r in skipped_lines)
                assert sum(fired.values()) >= 1, "the fault never struck"
                assert isinstance(app.screen, ConferenceScreen) and not session.closed
        except AssertionError:
            raise
        except BaseException:
            figures.crashes += 1
            raise
