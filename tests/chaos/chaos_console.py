"""Running the real console headless in a chaos scenario: start, wait, drive, observe."""

from __future__ import annotations

import time
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from typing import Any

from textual.pilot import Pilot

from pextui.conference import ConferenceStore
from pextui.sim.server import SimServer
from pextui.tui.app import PextuiApp, make_app
from pextui.tui.screens.conference import ConferenceScreen
from pextui.tui.widgets.event_log import EventLog
from pextui.tui.widgets.roster import Roster
from tests.chaos.chaos_helpers import EventTally, counting_connector, host_params


@dataclass(frozen=True)
class Shown:
    """One notification the console showed."""

    title: str
    message: str
    severity: str


@dataclass
class Console:
    app: PextuiApp
    pilot: Pilot[Any]
    tally: EventTally
    notifications: list[Shown] = field(default_factory=list)

    @property
    def store(self) -> ConferenceStore:
        store = self.app.store
        assert store is not None
        return store

    @property
    def screen(self) -> ConferenceScreen:
        screen = self.app.screen
        assert isinstance(screen, ConferenceScreen), f"on {type(screen).__name__}"
        return screen

    @property
    def conference_screen(self) -> ConferenceScreen | None:
        for screen in self.app.screen_stack:
            if isinstance(screen, ConferenceScreen):
                return screen
        return None

    @property
    def roster(self) -> Roster:
        return self.screen.query_one(Roster)

    def log_lines(self) -> list[str]:
        """The event log's lines, and those waiting for its next refresh tick."""
        screen = self.conference_screen
        shown = list(screen.query_one(EventLog).lines_plain) if screen is not None else []
        return shown + [item.text for item in self.app.activity]

    async def until(
        self, condition: Callable[[], Any], limit_s: float, what: str, step_s: float = 0.05
    ) -> Any:
        """Poll `condition` while the app runs; fail after `limit_s` seconds naming `what`."""
        deadline = time.monotonic() + limit_s
        while True:
            value = condition()
            if value:
                return value
            if time.monotonic() > deadline:
                raise AssertionError(f"timed out after {limit_s:.0f} s waiting for {what}")
            await self.pilot.pause(step_s)

    async def cursor_on(self, uuid: str) -> None:
        self.screen.go_to_participant(uuid)
        await self.until(lambda: self.roster.cursor_uuid == uuid, 5, "the cursor")

    async def press(self, *keys: str) -> None:
        await self.pilot.press(*keys)
        await self.pilot.pause()


def _record_notifications(app: PextuiApp, shown: list[Shown]) -> None:
    original = app.notify

    def notify(message: str, *, title: str = "", severity: Any = "information", **kw: Any) -> None:
        shown.append(Shown(str(title), str(message), str(severity)))
        original(message, title=title, severity=severity, **kw)

    app.notify = notify  # type: ignore[method-assign]


@asynccontextmanager
async def running_console(
    sim: SimServer, *, participants: int = 1, size: tuple[int, int] = (120, 36), **join: Any
) -> AsyncIterator[Console]:
    """The console joined as host; waits until its roster holds `participants`."""
    tally = EventTally()
    app = make_app(
        join=host_params(sim, **join), connector=counting_connector(tally), load_settings=False
    )
    # The chaos runs measure what the node does with the actions: G on 40 guests acts at
    # once here instead of asking first (tests/tui/test_console_bulk.py covers the question).
    app.bulk_confirm_above = 1_000_000
    async with app.run_test(size=size, notifications=True) as pilot:
        console = Console(app, pilot, tally)
        _record_notifications(app, console.notifications)
        await console.until(
            lambda: (
                isinstance(app.screen, ConferenceScreen)
                and app.store is not None
                and len(app.store.roster) >= participants
            ),
            20,
            "the console's roster",
        )
        try:
            yield console
        finally:
            await app.leave()
