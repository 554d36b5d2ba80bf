"""Splash screens end to end below the console: the client reads the simulator's theme and
the store folds its `splash_screen` events into the screen's text (set, cleared)."""

from __future__ import annotations

from collections.abc import Callable

from pextui.conference import splash_text
from pextui.protocol import models as m
from pextui.protocol.client import NO_PIN, connect
from pextui.sim.server import SimServer
from pextui.sim.splash import TEXTS, WAITING, WELCOME
from tests.protocol.protocol_helpers import Collector, host_params, wait_until

ALIAS = "meet.board"  # no scenario people there: the first to join is alone


async def test_the_welcome_while_alone_then_cleared(make_sim: Callable[..., SimServer]) -> None:
    sim = make_sim(theme=True)
    host = Collector(await connect(host_params(sim, ALIAS)))
    guest = None
    try:
        theme = await host.session.theme()
        assert set(theme) == set(TEXTS)
        host.store.theme = theme
        await wait_until(lambda: host.store.splash is not None, what="the welcome")
        assert host.store.splash == m.SplashScreen(screen_key=WELCOME, display_duration=15.0)
        assert splash_text(host.store.theme, host.store.splash) == TEXTS[WELCOME]
        guest = await connect(host_params(sim, ALIAS, pin="5678", display_name="Gert"))
        await wait_until(lambda: host.store.splash is None, what="the welcome cleared")
        assert splash_text(host.store.theme, host.store.splash) is None
    finally:
        await host.stop()
        await host.session.close()
        if guest is not None:
            await guest.close()


async def test_a_locked_room_shows_a_guest_the_wait(make_sim: Callable[..., SimServer]) -> None:
    sim = make_sim(theme=True)
    host = await connect(host_params(sim, "meet.demo"))
    await host.lock()
    guest = Collector(await connect(host_params(sim, "meet.demo", pin=NO_PIN, display_name="G")))
    try:
        guest.store.theme = await guest.session.theme()
        await wait_until(lambda: guest.store.splash is not None, what="the wait")
        assert guest.store.splash is not None and guest.store.splash.screen_key == WAITING
        assert splash_text(guest.store.theme, guest.store.splash) == TEXTS[WAITING]
        await host.admit(guest.session.participant_uuid)
        await wait_until(lambda: guest.store.splash is None, what="the wait cleared")
    finally:
        await guest.stop()
        await guest.session.close()
        await host.close()
