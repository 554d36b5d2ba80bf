"""Drive the real console (Pilot) against a real simulator over loopback HTTP."""

from __future__ import annotations

import time
from collections.abc import AsyncIterator, Callable, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from typing import Any

from textual.command import CommandInput, CommandList, CommandPalette
from textual.pilot import Pilot
from textual.widgets import RichLog

from pextui.protocol.client import NO_PIN, JoinParams, connect
from pextui.protocol.session import Session
from pextui.sim.config import SimConfig, Timings
from pextui.sim.server import SimServer
from pextui.tui.app import PextuiApp, make_app
from pextui.tui.console import HOST_GROUP
from pextui.tui.screens.conference import ConferenceScreen
from pextui.tui.widgets.event_log import EventLog
from pextui.tui.widgets.roster import Roster
from pextui.tui.widgets.status_bar import StatusBar

BUSY_GROUPS = (HOST_GROUP, "dialogs")
ALIAS = "meet.demo"
HOST_PIN = "1234"


def sim_config(**overrides: Any) -> SimConfig:
    timings = Timings(
        dial_answer=0.05,
        dial_reject=0.05,
        dial_timeout=0.5,
        refresh_grace=0.3,
        keepalive=0.5,
        expiry_sweep=0.05,
        scenario_speed=20.0,
    )
    config = SimConfig(scenario="quiet", seed=1, timings=timings)
    for key, value in overrides.items():
        setattr(config, key, value)
    return config


WAIT_S = 60.0  # generous: a starved CI machine is slow; a met condition returns at once


async def until(
    pilot: Pilot[Any], condition: Callable[[], Any], what: str, limit_s: float = WAIT_S
) -> Any:
    """Poll `condition()` (for up to `limit_s` seconds of wall clock) while the app keeps
    running; fail with `what`. The one wait of the TUI tests: the others call this."""
    deadline = time.monotonic() + limit_s
    while True:
        value = condition()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {limit_s:.0f} s waiting for {what}")
        await pilot.pause(0.025)


async def settled(pilot: Pilot[Any], ticks: int = 2) -> None:
    """Wait until no host call or dialog worker runs and the conference screen has redrawn
    `ticks` more times: whatever those calls changed is on the screen (or never will be)."""
    app = pilot.app
    await until(
        pilot,
        lambda: not [w for w in app.workers if w.group in BUSY_GROUPS and not w.is_finished],
        "host calls to finish",
    )
    screen = app.screen
    if isinstance(screen, ConferenceScreen):
        start = screen.painter.ticks
        await until(pilot, lambda: screen.painter.ticks >= start + ticks, "the screen to redraw")


def sim_conference(sim: SimServer, alias: str = ALIAS) -> dict[str, Any]:
    for conference in sim.state()["conferences"]:
        if conference["alias"] == alias:
            return dict(conference)
    raise KeyError(alias)


def sim_participant(sim: SimServer, uuid: str, alias: str = ALIAS) -> dict[str, Any] | None:
    for participant in sim_conference(sim, alias)["participants"]:
        if participant["uuid"] == uuid:
            return dict(participant)
    return None


@dataclass
class Console:
    """A running console joined as host, plus guests who joined through the API."""

    app: PextuiApp
    pilot: Pilot[Any]
    sim: SimServer
    guests: dict[str, Session] = field(default_factory=dict)

    @property
    def screen(self) -> ConferenceScreen:
        screen = self.app.screen
        assert isinstance(screen, ConferenceScreen), f"on {type(screen).__name__}"
        return screen

    @property
    def roster(self) -> Roster:
        return self.screen.query_one(Roster)

    def uuid(self, name: str) -> str:
        return self.guests[name].participant_uuid

    def participant(self, name: str) -> dict[str, Any] | None:
        return sim_participant(self.sim, self.uuid(name))

    async def cursor_on(self, name: str) -> None:
        uuid = self.uuid(name)
        self.screen.go_to_participant(uuid)
        await until(self.pilot, lambda: self.roster.cursor_uuid == uuid, f"cursor on {name}")

    async def press(self, *keys: str) -> None:
        await self.pilot.press(*keys)
        await self.pilot.pause()

    async def until(self, condition: Callable[[], Any], what: str) -> Any:
        return await until(self.pilot, condition, what)

    async def add_guest(self, name: str, alias: str = ALIAS) -> Session:
        session = await connect(
            JoinParams(node_url=self.sim.base_url, alias=alias, display_name=name, pin=NO_PIN)
        )
        self.guests[name] = session
        return session

    def roster_lines(self) -> list[str]:
        """The roster's visible rows as plain text."""
        roster = self.roster
        return [roster.render_line(y).text for y in range(roster.size.height)]

    def roster_row(self, name: str) -> str:
        rows = [line for line in self.roster_lines() if name in line]
        assert rows, f"{name} not in the roster: {self.roster_lines()}"
        return rows[0]

    def store_size(self) -> int:
        store = self.app.store
        return len(store.roster) if store is not None else 0

    def chat_text(self) -> str:
        log = self.screen.query_one("#chat-log", RichLog)
        return "\n".join(strip.text for strip in log.lines)

    def log_lines(self) -> list[str]:
        """The event log's lines (kept even while the log panel is hidden)."""
        return list(self.screen.query_one(EventLog).lines_plain)

    def status_text(self) -> str:
        return self.screen.query_one(StatusBar).render().plain


async def run_from_palette(console: Console, query: str, expected: str) -> None:
    """Open the palette, search `query`, check the best hit reads `expected`, run it."""
    await console.press("ctrl+p")
    palette = await console.until(
        lambda: isinstance(console.app.screen, CommandPalette) and console.app.screen, "palette"
    )
    palette.query_one(CommandInput).value = query
    hits = palette.query_one(CommandList)
    await console.until(lambda: hits.option_count > 0, f"hits for {query!r}")
    # the search settles: its worker finishes (hits arrive in batches)
    await console.until(
        lambda: not [w for w in palette.workers if w.node is palette and not w.is_finished],
        "the search to finish",
    )
    await console.pilot.pause()
    best = str(hits.get_option_at_index(0).prompt)
    assert expected in best, best
    await console.press("enter")


@asynccontextmanager
async def running_console(
    sim: SimServer,
    guests: Sequence[str] = ("Alice", "Bob"),
    *,
    size: tuple[int, int] = (120, 36),
    host_name: str = "Host",
    pin: str = HOST_PIN,
    keymap: dict[str, str] | None = None,
    theme: str | None = None,
    load_settings: bool = False,
    via_reception: str | None = None,
) -> AsyncIterator[Console]:
    """Guests join first; then the console joins as host (through the Virtual Reception
    ``via_reception`` when given) and waits for the whole roster."""
    sessions: dict[str, Session] = {}
    for name in guests:
        sessions[name] = await connect(
            JoinParams(node_url=sim.base_url, alias=ALIAS, display_name=name, pin=NO_PIN)
        )
    app = make_app(
        join=JoinParams(
            node_url=sim.base_url,
            alias=via_reception or ALIAS,
            display_name=host_name,
            pin=pin,
            conference_extension=ALIAS if via_reception else None,
        ),
        load_settings=load_settings,
        keymap=keymap,
        theme=theme,
    )
    try:
        async with app.run_test(size=size) as pilot:
            console = Console(app, pilot, sim, sessions)
            await until(
                pilot,
                lambda: (
                    isinstance(app.screen, ConferenceScreen)
                    and app.store is not None
                    and len(app.store.roster) >= len(guests) + 1
                ),
                "the roster",
            )
            await pilot.pause()
            try:
                yield console
            finally:
                await app.leave()
    finally:
        for session in list(sessions.values()):
            await session.close()
