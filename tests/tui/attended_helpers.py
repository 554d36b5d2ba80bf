"""Two rooms on one simulated node, both open in the console as host: a green room
(``meet.board``) with a speaker waiting, and the main room (``meet.demo``) with its hosts."""

from __future__ import annotations

from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Any

from textual.pilot import Pilot
from textual.widgets import Input

from pextui.conference.attended import Consult
from pextui.protocol.client import JoinParams
from pextui.sim.participants import make_participant
from pextui.sim.server import SimServer
from pextui.tui.app import PextuiApp, make_app
from pextui.tui.console import Console
from pextui.tui.screens.conference import ConferenceScreen
from pextui.tui.screens.consult import is_consult_dialog
from pextui.tui.widgets.consult_panel import ConsultPanel
from pextui.tui.widgets.event_log import EventLog
from pextui.tui.widgets.roster import Roster
from tests.tui.console_helpers import HOST_PIN, until

GREEN = "meet.board"
MAIN = "meet.demo"
SPEAKER = "Ben Tanaka"


def add_sip(
    sim: SimServer, alias: str, name: str, *, role: str = "guest", direct_chat: bool = False
) -> str:
    """A SIP participant (no token: a transfer moves them, same UUID) in ``alias``."""
    conference = sim.node.conferences[alias]
    slug = name.lower().replace(" ", ".")

    def add() -> str:
        participant = make_participant(
            display_name=name,
            role=role,
            protocol="sip",
            service_type="conference",
            local_alias=alias,
            start_time=conference.clock(),
            uri=f"sip:{slug}@example.com",
            supports_direct_chat=direct_chat,
        )
        conference.add(participant)
        return participant.uuid

    return str(sim.run_on_loop(add))


def names_in(sim: SimServer, alias: str) -> list[str]:
    conference = sim.node.conferences[alias]
    return [str(p.display_name) for p in list(conference.participants.values())]


def chat_log(sim: SimServer, alias: str) -> list[dict[str, Any]]:
    return list(sim.node.conferences[alias].chat_log)


@dataclass
class Rooms:
    app: PextuiApp
    pilot: Pilot[Any]
    sim: SimServer
    speaker: str  # the speaker's uuid (in the green room)
    main_hosts: dict[str, str]  # name -> uuid in the main room

    def console(self, alias: str) -> Console:
        found = self.app.conferences.find(alias)
        assert found is not None, alias
        return found

    @property
    def screen(self) -> ConferenceScreen:
        screen = self.app.screen
        assert isinstance(screen, ConferenceScreen), f"on {type(screen).__name__}"
        return screen

    @property
    def consult(self) -> Consult | None:
        live = self.app.attended.book.live()
        return live[-1] if live else None

    def last_consult(self) -> Consult:
        consults = list(self.app.attended.book)
        assert consults, "no consult"
        return consults[-1]

    def panel(self) -> ConsultPanel:
        return self.screen.query_one(ConsultPanel)

    def panel_text(self) -> str:
        panel = self.panel()
        if not panel.display:
            return ""
        title, subtitle = str(panel.border_title or ""), str(panel.border_subtitle or "")
        return f"{title}\n{panel.content}\n{subtitle}"

    def log_lines(self, alias: str) -> list[str]:
        """The conference's event log: what its screen shows, and what it has yet to."""
        console = self.console(alias)
        tab = self.app.conferences.tab_of(console)
        shown = list(tab.screen.query_one(EventLog).lines_plain) if tab and tab.screen else []
        return shown + [activity.text for activity in console.activity]

    def roster_row(self, name: str) -> str:
        roster = self.screen.query_one(Roster)
        lines = [roster.render_line(y).text for y in range(roster.size.height)]
        rows = [line for line in lines if name in line]
        assert rows, f"{name} not in {lines}"
        return rows[0]

    def event_log(self) -> list[str]:
        return list(self.screen.query_one(EventLog).lines_plain)

    async def until(self, condition: Any, what: str) -> Any:
        return await until(self.pilot, condition, what)

    async def press(self, *keys: str) -> None:
        await self.pilot.press(*keys)
        await self.pilot.pause()

    async def front(self, alias: str) -> ConferenceScreen:
        """Wait until ``alias``'s conference screen is in front and drawn."""
        console = self.console(alias)
        return await self.until(
            lambda: (
                isinstance(self.app.screen, ConferenceScreen)
                and self.app.screen.console is console
                and self.app.screen
            ),
            f"{alias} in front",
        )

    async def consult_about_speaker(
        self, target: str = MAIN, message: str | None = None, pin: str = ""
    ) -> None:
        """``T`` on the speaker's row, the target typed in, submitted."""
        screen = await self.front(GREEN)
        screen.go_to_participant(self.speaker)
        await self.until(
            lambda: screen.query_one(Roster).cursor_uuid == self.speaker, "cursor on the speaker"
        )
        await self.press("T")
        dialog = await self.until(
            lambda: is_consult_dialog(self.app.screen) and self.app.screen, "the dialog"
        )
        dialog.query_one("#alias", Input).value = target
        dialog.query_one("#pin", Input).value = pin
        if message is not None:
            dialog.query_one("#message", Input).value = message
        dialog.query_one("#message", Input).focus()
        await self.press("enter")  # Enter in any field submits
        await self.front(GREEN)


@asynccontextmanager
async def two_rooms(
    sim: SimServer,
    *,
    main_hosts: Sequence[tuple[str, bool]] = (("Mia Stage", True),),
    size: tuple[int, int] = (120, 36),
) -> AsyncIterator[Rooms]:
    """The speaker waits in the green room; the main room has ``main_hosts`` (name, direct
    chat); the console joins both as host, the green room in front."""
    speaker = add_sip(sim, GREEN, SPEAKER)
    hosts = {name: add_sip(sim, MAIN, name, role="chair", direct_chat=d) for name, d in main_hosts}
    add_sip(sim, MAIN, "Guest Audience")
    joins = [
        JoinParams(node_url=sim.base_url, alias=alias, display_name="Host", pin=HOST_PIN)
        for alias in (GREEN, MAIN)
    ]
    app = make_app(joins=joins, load_settings=False)
    async with app.run_test(size=size) as pilot:
        rooms = Rooms(app, pilot, sim, speaker, hosts)

        def joined() -> bool:
            consoles = [app.conferences.find(alias) for alias in (GREEN, MAIN)]
            return all(
                c is not None and c.store is not None and c.connection.state == "live"
                for c in consoles
            )

        await until(pilot, joined, "both rooms joined")
        await rooms.front(GREEN)
        await until(
            pilot,
            lambda: speaker in (rooms.console(GREEN).store.roster or {}),  # type: ignore[union-attr]
            "the speaker in the green room",
        )
        try:
            yield rooms
        finally:
            await app.leave()
