"""ACS calls in the console's phone panel (Pilot): a customer rings through ACS, the host
answers (a), brings them into the open conference (b) and sees them arrive; checked
against what the simulated ACS executed and who is in the simulated conference."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from typing import Any

import pytest
from textual.pilot import Pilot
from textual.widgets import DataTable, Static

from pextui.phone.acs.connection import ConnectionString
from pextui.phone.acs.session import AcsSession
from pextui.phone.settings import PbxSettings
from pextui.phone.yeastar.credentials import Credentials
from pextui.phone.yeastar.session import YeastarSession
from pextui.protocol.client import JoinParams
from pextui.sim.acs.server import AcsServer
from pextui.sim.pbx.server import PbxServer
from pextui.sim.server import SimServer
from pextui.tui.app import PextuiApp, make_app
from pextui.tui.screens.conference import ConferenceScreen
from pextui.tui.widgets.phone_panel import PhonePanel
from tests.phone.phone_helpers import CLIENT_ID, SECRET
from tests.tui.console_helpers import until as wait_in_app

ACS_CALLER = "+4930123456"
NAME = "[bold]Erika[/bold] \x1b[31mM"  # markup and an escape: shown literally, never run


async def until(pilot: Pilot[Any], condition: Callable[[], Any], what: str) -> Any:
    return await wait_in_app(pilot, condition, what)


class Console:
    def __init__(self, app: PextuiApp, pilot: Pilot[Any], sim: SimServer, acs: AcsServer):
        self.app, self.pilot, self.sim, self.acs = app, pilot, sim, acs

    @property
    def panel(self) -> PhonePanel:
        return self.app.screen.query_one(PhonePanel)

    def rows(self) -> list[list[str]]:
        table: DataTable[Any] = self.panel.query_one("#phone-calls", DataTable)
        return [[str(cell) for cell in table.get_row_at(n)] for n in range(table.row_count)]

    def acs_row(self) -> int | None:
        found = [n for n, row in enumerate(self.rows()) if "Erika" in row[0]]
        return found[0] if found else None

    def uris(self, alias: str = "meet.demo") -> list[str]:
        return [p["uri"] for p in self.sim.conference_state(alias)["participants"]]

    async def until(self, condition: Callable[[], Any], what: str) -> Any:
        return await until(self.pilot, condition, what)

    async def press(self, *keys: str) -> None:
        await self.pilot.press(*keys)
        await self.pilot.pause()


@asynccontextmanager
async def acs_console(sim: SimServer, pbx: PbxServer | None) -> AsyncIterator[Console]:
    acs = AcsServer(sim, callers=[(ACS_CALLER, NAME)]).start()
    try:
        phone = None
        if pbx is not None:
            settings = PbxSettings(pbx.base_url, "2005", {"meet.demo": "8001"})
            phone = YeastarSession(settings, Credentials(CLIENT_ID, SECRET), backoff=(0.05,))
        aliases = list(sim.node.conferences)
        numbers = sim.run_on_loop(lambda: {a: acs.acs.pstn_number(a) or "" for a in aliases})
        session = AcsSession(
            ConnectionString.parse(acs.connection_string),
            book=phone.desk.book if phone is not None else None,
            numbers=numbers,
            ca=acs.ca,
            subscribe_simulator=True,
        )
        join = JoinParams(node_url=sim.base_url, alias="meet.demo", display_name="Host", pin="1234")
        app = make_app(join=join, load_settings=False, phone=phone, acs=session)
        async with app.run_test(size=(200, 40)) as pilot:
            await until(pilot, lambda: isinstance(app.screen, ConferenceScreen), "the conference")
            await until(pilot, lambda: session.state == "listening", "the ACS endpoint")
            try:
                yield Console(app, pilot, sim, acs)
            finally:
                await pilot.press("ctrl+q")
    finally:
        acs.stop()


@pytest.mark.parametrize("with_pbx", [True, False], ids=["beside-the-pbx", "acs-only"])
async def test_an_acs_caller_is_answered_brought_in_and_arrives(
    sim: SimServer, pbx: PbxServer, with_pbx: bool
) -> None:
    async with acs_console(sim, pbx if with_pbx else None) as console:
        await console.press("f3")
        await console.until(lambda: console.app.screen.query(PhonePanel), "the phone panel")
        row = await console.until(lambda: console.acs_row() is not None, "the ACS caller")
        index = console.acs_row()
        assert row and index is not None
        caller, state, *_ = console.rows()[index]
        assert (
            state == "ringing" and caller.startswith("[bold]Erika[/bold") and "\x1b" not in caller
        )
        title = str(console.panel.query_one("#phone-title", Static).render())
        assert "ACS listening" in title

        table: DataTable[Any] = console.panel.query_one("#phone-calls", DataTable)
        table.move_cursor(row=index)
        await console.press("a")
        await console.until(
            lambda: console.rows()[console.acs_row() or 0][1] == "talking", "answered"
        )
        table.move_cursor(row=console.acs_row() or 0)
        await console.press("b")  # into the open conference, meet.demo
        await console.until(lambda: any("4930123456" in u for u in console.uris()), "in Pexip")
        await console.until(
            lambda: any(r[5] == "arrived ✓" for r in console.rows() if "Erika" in r[0]),
            "arrived in the panel",
        )
        executed = console.acs.state()["executed"]
        assert executed == {"answer": 1, "transferToParticipant": 1}
