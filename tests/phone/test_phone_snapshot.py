"""Snapshot of the phone panel beside the roster (plain `def`: snap_compare runs its own loop).

Deterministic: the quiet scenario, two fixed callers (one with a markup-and-escape caller
ID, shown literally), a frozen clock for the console and the PBX session.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from textual.pilot import Pilot
from textual.widgets import DataTable

from pextui.phone.settings import PbxSettings
from pextui.phone.yeastar.credentials import Credentials
from pextui.phone.yeastar.session import YeastarSession
from pextui.protocol.client import JoinParams
from pextui.sim.pbx.config import Caller
from pextui.sim.pbx.server import PbxServer
from pextui.sim.server import SimServer
from pextui.tui.app import PextuiApp, make_app
from pextui.tui.screens.conference import ConferenceScreen
from pextui.tui.widgets.phone_panel import PhonePanel
from tests.phone.phone_helpers import CLIENT_ID, SECRET
from tests.tui.console_helpers import until

FROZEN = 1_700_000_000.0
CALLERS = (Caller("+442079460018", "talking"), Caller("[bold]+1555\x1b[31m0100", "on_hold"))


def test_phone_panel(snap_compare: Any, sim: SimServer, make_pbx: Callable[..., PbxServer]) -> None:
    pbx = make_pbx(callers=CALLERS)
    settings = PbxSettings(pbx.base_url, "2005", {"meet.demo": "8001", "meet.board": "8002"})
    phone = YeastarSession(settings, Credentials(CLIENT_ID, SECRET), clock=lambda: FROZEN)
    join = JoinParams(node_url=sim.base_url, alias="meet.demo", display_name="Host", pin="1234")
    app = make_app(join=join, clock=lambda: FROZEN, load_settings=False, phone=phone)

    async def open_panel(pilot: Pilot[Any]) -> None:
        assert isinstance(pilot.app, PextuiApp)
        await until(
            pilot,
            lambda: isinstance(pilot.app.screen, ConferenceScreen) and phone.state == "connected",
            "the console and the phone connected",
        )
        await pilot.press("f3")
        await until(
            pilot,
            lambda: pilot.app.screen.query(PhonePanel) and len(phone.desk.book.live()) == 2,
            "the panel and both calls",
        )
        panel = pilot.app.screen.query_one(PhonePanel)
        table = panel.query_one("#phone-calls", DataTable)
        await until(pilot, lambda: table.row_count == 2, "both calls drawn")  # the panel's tick

    assert snap_compare(app, terminal_size=(160, 30), run_before=open_panel)
