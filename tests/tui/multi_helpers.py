"""Drive a console with several conferences (tabs) against the simulator over loopback."""

from __future__ import annotations

from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from typing import Any

from textual.pilot import Pilot

from pextui.protocol.client import NO_PIN, JoinParams, connect
from pextui.protocol.session import Session
from pextui.sim.server import SimServer
from pextui.tui.app import PextuiApp, make_app
from pextui.tui.console import Console
from pextui.tui.screens.conference import ConferenceScreen
from pextui.tui.widgets.conference_tabs import ConferenceTabs
from tests.tui.console_helpers import HOST_PIN, until

MAIN = "meet.demo"  # guests without a PIN
GREEN = "meet.board"  # guest PIN 5678
GUEST_PINS = {MAIN: NO_PIN, GREEN: "5678"}


def host_join(sim: SimServer, alias: str, pin: str | None = HOST_PIN) -> JoinParams:
    return JoinParams(node_url=sim.base_url, alias=alias, display_name="Host", pin=pin)


@dataclass
class Tabs:
    """A running console with several conferences, and guests who joined through the API."""

    app: PextuiApp
    pilot: Pilot[Any]
    sim: SimServer
    guests: list[Session] = field(default_factory=list)
    shown: list[tuple[str, str]] = field(default_factory=list)  # every notification

    async def press(self, *keys: str) -> None:
        await self.pilot.press(*keys)
        await self.pilot.pause()

    async def until(self, condition: Any, what: str) -> Any:
        return await until(self.pilot, condition, what)

    def console(self, alias: str) -> Console:
        found = self.app.conferences.find(alias)
        assert found is not None, alias
        return found

    def strip_text(self) -> str:
        return self.app.screen.query_one(ConferenceTabs).render().plain  # type: ignore[union-attr]

    async def in_front(self, alias: str) -> ConferenceScreen:
        """Wait until ``alias``'s conference screen is the one shown."""

        def shown() -> ConferenceScreen | None:
            screen = self.app.screen
            if isinstance(screen, ConferenceScreen) and screen.console.alias == alias:
                return screen
            return None

        screen: ConferenceScreen = await self.until(shown, f"{alias} in front")
        return screen

    async def add_guest(self, alias: str, name: str) -> Session:
        session = await connect(
            JoinParams(
                node_url=self.sim.base_url, alias=alias, display_name=name, pin=GUEST_PINS[alias]
            )
        )
        self.guests.append(session)
        return session

    def notifications(self) -> list[tuple[str, str]]:
        """(title, message) of every notification shown so far (expired ones too)."""
        return list(self.shown)


@asynccontextmanager
async def running_tabs(
    sim: SimServer,
    joins: Sequence[JoinParams],
    *,
    size: tuple[int, int] = (120, 36),
    wait_joined: bool = True,
) -> AsyncIterator[Tabs]:
    """The console with one tab per join; waits until every conference has its roster."""
    app = make_app(joins=joins, load_settings=False)
    tabs_shown: list[tuple[str, str]] = []
    notify = app.notify

    def recording_notify(message: str, **kwargs: Any) -> None:
        tabs_shown.append((str(kwargs.get("title", "")), str(message)))
        notify(message, **kwargs)

    app.notify = recording_notify  # type: ignore[method-assign]
    async with app.run_test(size=size) as pilot:
        tabs = Tabs(app, pilot, sim, shown=tabs_shown)
        if wait_joined:
            await until(
                pilot,
                lambda: (
                    len(app.consoles) == len(joins)
                    and all(c.store is not None and c.store.roster for c in app.consoles)
                    and isinstance(app.screen, ConferenceScreen)
                ),
                "every conference joined",
            )
        try:
            yield tabs
        finally:
            await app.leave()
            for session in tabs.guests:
                await session.close()
