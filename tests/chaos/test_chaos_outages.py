"""The server disconnects the host; the simulator is killed and restarted on the same port.

The real console runs headless. A disconnect shows its reason and offers to rejoin (the
token is released at the simulator, the rejoin works); a dead simulator shows as an outage
and the console recovers by itself when the simulator is back.
"""

from __future__ import annotations

import time

import pytest

from pextui.protocol.client import JoinParams, connect
from pextui.protocol.session import Session
from pextui.sim.server import SimServer
from pextui.tui.screens.conference import ConferenceScreen
from pextui.tui.screens.confirm import ConfirmScreen
from pextui.tui.widgets.status_bar import StatusBar
from tests.chaos.chaos_console import Console, running_console
from tests.chaos.chaos_figures import Figures
from tests.chaos.chaos_helpers import (
    ALIAS,
    LONG_RUN,
    SimProcess,
    Variant,
    chaos_config,
    control,
    divergence,
    divergence_from,
    settle,
    sim_conference,
)

DISCONNECT_VARIANTS = [
    Variant("short", 1.0),  # rounds of disconnect and rejoin
    pytest.param(Variant("long", 10.0), marks=LONG_RUN),
]
RESTART_VARIANTS = [
    Variant("short", 1.0),  # seconds the simulator stays dead
    pytest.param(Variant("long", 60.0), marks=LONG_RUN),
]
REASON = "Disconnected by another participant"


async def disconnect_and_rejoin(console: Console, sim: SimServer, other: Session) -> None:
    """Another host disconnects the console: reason shown, token released, rejoin works."""
    app = console.app
    session = app.session
    assert session is not None
    uuid = session.participant_uuid
    tokens = sim.state()["tokens"]
    await other.disconnect_participant(uuid)
    dialog = await console.until(
        lambda: isinstance(app.screen, ConfirmScreen) and app.screen,
        10,
        "the disconnected dialog",
    )
    assert dialog.question == f"Disconnected: {REASON}"
    assert any(n.title == "Disconnected" and n.message == REASON for n in console.notifications)
    assert any(f"Session ended: {REASON}" in line for line in console.log_lines())
    # the simulator's truth: our participant and its token are gone
    assert all(p["uuid"] != uuid for p in sim_conference(sim)["participants"])
    assert sim.state()["tokens"] == tokens - 1
    await console.press("y")  # rejoin
    await console.until(
        lambda: (
            isinstance(app.screen, ConferenceScreen)
            and app.session is not None
            and app.session.participant_uuid != uuid
            and app.connection.state == "live"
        ),
        10,
        "the rejoin",
    )
    problems = await settle(lambda: divergence(console.store, sim), 10)
    assert problems == [], problems[:10]


@pytest.mark.parametrize("variant", DISCONNECT_VARIANTS, ids=lambda v: v.name)
async def test_server_disconnect_shows_reason_and_rejoins(
    variant: Variant, figures: Figures
) -> None:
    with SimServer(chaos_config(participants=5)) as sim:
        other = await connect(
            JoinParams(sim.base_url, ALIAS, display_name="Other Host", pin="1234")
        )
        started = time.monotonic()
        try:
            async with running_console(sim, participants=7) as console:
                for _ in range(int(variant.seconds)):
                    await disconnect_and_rejoin(console, sim, other)
                    figures.rejoins = (figures.rejoins or 0) + 1
                figures.divergence = 0
                figures.events_applied = console.tally.events
                figures.seconds = round(time.monotonic() - started, 1)
                figures.notes = f"{figures.rejoins} disconnect/rejoin rounds, reason shown"
        except AssertionError:
            raise
        except BaseException:
            figures.crashes += 1
            raise
        finally:
            await other.close()


OUTAGE_STATES = ("reconnecting", "token")


@pytest.mark.parametrize("variant", RESTART_VARIANTS, ids=lambda v: v.name)
async def test_simulator_killed_and_restarted(variant: Variant, figures: Figures) -> None:
    args = ("--port", "0", "--participants", "30", "--churn", "20", "--token-expires", "30")
    sim = SimProcess(*args)
    started = time.monotonic()
    try:
        async with running_console(sim, participants=31) as console:  # type: ignore[arg-type]
            app = console.app
            uuid_before = app.session.participant_uuid if app.session else None
            sim.kill()
            await console.until(
                lambda: app.connection.state == "reconnecting", 10, "the outage shown"
            )
            status = console.screen.query_one(StatusBar)
            await console.until(
                lambda: "reconnecting" in status.render().plain.lower(), 5, "the status bar"
            )
            assert any("Event stream lost" in line for line in console.log_lines())
            down_until = time.monotonic() + variant.seconds
            await console.until(lambda: time.monotonic() > down_until, variant.seconds + 5, "")
            figures.seconds = round(time.monotonic() - started, 1)
            figures.notes = f"simulator dead for {variant.seconds:g} s (SIGKILL)"
            # Still trying, shown as the outage it is: the stream reconnecting, or (once the
            # token has expired meanwhile) rejoining with a new token. The host must not
            # have to rejoin by hand after an outage.
            if app.connection.state not in OUTAGE_STATES:
                figures.notes += f"; the console gave up: {app.connection.detail}"
            assert app.connection.state in OUTAGE_STATES, app.connection.detail
            sim = SimProcess(*args[:1], str(sim.port), *args[2:])
            await console.until(lambda: app.connection.state == "live", 45, "the console back live")
            await control(sim, {"churn": 0})  # type: ignore[arg-type]
            store = console.store
            problems = await settle(lambda: divergence_from(store, sim.participants()), 15)
            session = app.session
            assert session is not None
            figures.seconds = round(time.monotonic() - started, 1)
            figures.divergence = len(problems)
            figures.events_applied = console.tally.events
            figures.reconnects = console.tally.states["stream.connected"] - 1
            figures.rejoins = session.rejoins
            figures.notes = f"simulator dead for {variant.seconds:g} s (SIGKILL)"
            assert problems == [], problems[:10]
            # the new simulator knew nothing of us: we joined again with the PIN from memory
            assert session.rejoins >= 1 and session.participant_uuid != uuid_before
            assert any(p["uuid"] == session.participant_uuid for p in sim.participants())
    except AssertionError:
        raise
    except BaseException:
        figures.crashes += 1
        raise
    finally:
        sim.kill()
