"""The event stream dropped every 2 s while ~200 participant events/s flow.

The real console runs headless against the simulator. While it runs, every sample checks
that the roster shows each participant once and that the cursor stays on the participant
it was put on; afterwards the store must equal the simulator's participants exactly.
"""

from __future__ import annotations

import time

import pytest

from pextui.protocol.client import NO_PIN, JoinParams, connect
from pextui.sim.server import SimServer
from pextui.tui.app import make_app
from pextui.tui.screens.conference import ConferenceScreen
from pextui.tui.widgets.roster import Roster
from tests.chaos.chaos_figures import Figures
from tests.chaos.chaos_helpers import (
    ALIAS,
    LONG_RUN,
    EventTally,
    Variant,
    chaos_config,
    control,
    counting_connector,
    divergence,
    events_sent,
    host_params,
    settle,
    wait_until,
)

VARIANTS = [
    Variant("short", 6.0),
    pytest.param(Variant("long", 60.0), marks=LONG_RUN),
]
PARTICIPANTS = 200
EVENTS_PER_S = 200
DROP_EVERY_S = 2.0

SAMPLE_EVERY_S = 0.1  # how often the churning roster is looked at


@pytest.mark.parametrize("variant", VARIANTS, ids=lambda v: v.name)
async def test_stream_drops_under_churn(variant: Variant, figures: Figures) -> None:
    config = chaos_config(
        participants=PARTICIPANTS,
        churn=EVENTS_PER_S,
        faults={"drop-stream-every": DROP_EVERY_S},
    )
    with SimServer(config) as sim:
        anchor = await connect(
            JoinParams(node_url=sim.base_url, alias=ALIAS, display_name="Anchor Guest", pin=NO_PIN)
        )
        tally = EventTally()
        app = make_app(
            join=host_params(sim), connector=counting_connector(tally), load_settings=False
        )
        try:
            async with app.run_test(size=(120, 36)) as pilot:
                await wait_until(
                    lambda: (
                        isinstance(app.screen, ConferenceScreen)
                        and app.store is not None
                        and anchor.participant_uuid in app.store.roster
                    ),
                    20,
                    "the console's roster",
                )
                screen = app.screen
                assert isinstance(screen, ConferenceScreen)
                roster = screen.query_one(Roster)
                screen.go_to_participant(anchor.participant_uuid)
                await wait_until(
                    lambda: roster.cursor_uuid == anchor.participant_uuid, 5, "the cursor"
                )
                sent_before = events_sent(sim)
                samples = twice = mismatched = cursor_lost = 0
                started = time.monotonic()
                while time.monotonic() - started < variant.seconds:
                    await pilot.pause(SAMPLE_EVERY_S)  # a sampling rate, not a wait
                    store = app.store
                    assert store is not None
                    shown = [store.index[i] for i in range(len(store.index))]
                    samples += 1
                    twice += len(shown) != len(set(shown))
                    mismatched += len(shown) != len(store.roster)
                    cursor_lost += roster.cursor_uuid != anchor.participant_uuid
                await control(sim, {"churn": 0})
                figures.events_sent = events_sent(sim) - sent_before
                store = app.store
                assert store is not None
                problems = await settle(lambda: divergence(store, sim), 15)
                await pilot.pause()
                figures.seconds = round(time.monotonic() - started, 1)
                figures.events_applied = tally.events
                figures.reconnects = tally.states["stream.connected"] - 1
                figures.divergence = len(problems)
                figures.notes = (
                    f"{samples} samples of the roster: shown twice {twice}, index/roster "
                    f"mismatch {mismatched}, cursor off its participant {cursor_lost}"
                )
                assert problems == [], problems[:10]
                assert twice == 0, "a participant was shown twice"
                assert mismatched == 0, "the roster view and the store disagreed"
                assert cursor_lost == 0, "the cursor left its participant"
                position = store.index.position(anchor.participant_uuid)
                assert roster.cursor_row == position
                # the fault really struck: several reconnects, each with a full resync (a
                # stream is dropped 2 s after it opened, plus the reconnect and the sync)
                expected = int(variant.seconds / (DROP_EVERY_S + 0.5)) - 1
                assert figures.reconnects >= expected
                assert tally.states["stream.resynced"] >= expected
                assert figures.events_sent >= EVENTS_PER_S * variant.seconds * 0.5
                await app.leave()
        except AssertionError:
            raise
        except BaseException:
            figures.crashes += 1
            raise
        finally:
            await anchor.close()
