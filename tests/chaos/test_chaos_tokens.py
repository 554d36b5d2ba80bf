"""Token trouble: refresh refused (re-request and carry on), and a 3 s token lifetime under
churn (the session survives the refresh churn). The real client, no console."""

from __future__ import annotations

import asyncio
import time

import pytest

from pextui.protocol.client import NO_PIN, JoinParams, connect
from pextui.protocol.session import Session
from pextui.sim.server import SimServer
from tests.chaos.chaos_figures import Figures
from tests.chaos.chaos_helpers import (
    ALIAS,
    LONG_RUN,
    Collector,
    Variant,
    chaos_config,
    control,
    divergence,
    events_sent,
    host_params,
    settle,
    sim_conference,
)

REFUSED_VARIANTS = [
    Variant("short", 4.0),
    pytest.param(Variant("long", 60.0), marks=LONG_RUN),
]
CHURN_VARIANTS = [
    Variant("short", 6.0),
    pytest.param(Variant("long", 120.0), marks=LONG_RUN),
]
TOKEN_EXPIRES_S = 3


def hosts_named(sim: SimServer, name: str) -> int:
    return sum(1 for p in sim_conference(sim)["participants"] if p["display_name"] == name)


async def still_works(session: Session, guest: Session, sim: SimServer) -> None:
    """A host action still succeeds and takes effect (the session holds a valid token)."""
    await session.mute(guest.participant_uuid)
    muted = [
        p["is_muted"]
        for p in sim_conference(sim)["participants"]
        if p["uuid"] == guest.participant_uuid
    ]
    assert muted == ["YES"]


async def run_scenario(
    sim: SimServer, variant: Variant, figures: Figures, *, refused: bool
) -> tuple[Session, Collector]:
    guest = await connect(
        JoinParams(node_url=sim.base_url, alias=ALIAS, display_name="Token Guest", pin=NO_PIN)
    )
    session = await connect(host_params(sim))
    collector = Collector(session)
    sent_before = events_sent(sim)
    started = time.monotonic()
    try:
        while time.monotonic() - started < variant.seconds:
            await asyncio.sleep(0.2)
            assert not session.closed, f"the session ended: {session.end}"
        if refused:
            await control(sim, {"faults": {}})
        await control(sim, {"churn": 0})
        figures.events_sent = events_sent(sim) - sent_before
        problems = await settle(lambda: divergence(collector.store, sim), 10)
        figures.seconds = round(time.monotonic() - started, 1)
        figures.divergence = len(problems)
        figures.events_applied = collector.tally.events
        figures.refreshes = session.refreshes
        figures.rejoins = session.rejoins
        figures.reconnects = collector.tally.states["stream.connected"] - 1
        figures.crashes += collector.error is not None
        assert collector.error is None
        assert problems == [], problems[:10]
        await still_works(session, guest, sim)
        assert hosts_named(sim, "Chaos Host") == 1, "an old participant of ours was left behind"
        assert not session.closed
    finally:
        await collector.stop()
        await session.close()
        await guest.close()
    return session, collector


@pytest.mark.parametrize("variant", REFUSED_VARIANTS, ids=lambda v: v.name)
async def test_refused_refresh_rerequests_the_token(variant: Variant, figures: Figures) -> None:
    config = chaos_config(
        participants=20, churn=50, token_expires=TOKEN_EXPIRES_S, faults={"refuse-refresh": 1}
    )
    with SimServer(config) as sim:
        session, collector = await run_scenario(sim, variant, figures, refused=True)
        # each refusal was answered by a new token (a new participant), never by giving up
        assert session.rejoins >= int(variant.seconds / TOKEN_EXPIRES_S)
        assert collector.tally.states["stream.rejoined"] == session.rejoins


@pytest.mark.parametrize("variant", CHURN_VARIANTS, ids=lambda v: v.name)
async def test_session_survives_token_churn(variant: Variant, figures: Figures) -> None:
    config = chaos_config(participants=50, churn=100, token_expires=TOKEN_EXPIRES_S)
    with SimServer(config) as sim:
        session, _ = await run_scenario(sim, variant, figures, refused=False)
        # refreshed every expires/3 = 1 s (plus the request), never needed a new participant
        assert session.refreshes >= int(variant.seconds / 1.25) - 1
        assert session.rejoins == 0
