"""The console's phone panel (Pilot), checked against what the simulated PBX and node received."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from typing import Any

import pytest
from textual.pilot import Pilot
from textual.widgets import DataTable, Static

from pextui.phone.settings import PbxSettings
from pextui.phone.yeastar.credentials import Credentials
from pextui.phone.yeastar.session import YeastarSession
from pextui.protocol.client import JoinParams
from pextui.sim.pbx.server import PbxServer
from pextui.sim.server import SimServer
from pextui.tui.app import PextuiApp, make_app
from pextui.tui.screens.conference import ConferenceScreen
from pextui.tui.widgets.phone_panel import PhonePanel
from tests.phone.phone_helpers import CLIENT_ID, SECRET, channel_of, first_call
from tests.tui.console_helpers import until as wait_in_app

CALLER = "+442079460018"
NUMBERS = {"meet.demo": "8001", "meet.board": "8002"}


async def until(pilot: Pilot[Any], condition: Callable[[], Any], what: str) -> Any:
    return await wait_in_app(pilot, condition, what)


class Desk:
    def __init__(self, app: PextuiApp, pilot: Pilot[Any], sim: SimServer, pbx: PbxServer):
        self.app, self.pilot, self.sim, self.pbx = app, pilot, sim, pbx

    @property
    def panel(self) -> PhonePanel:
        return self.app.screen.query_one(PhonePanel)

    def rows(self) -> list[list[str]]:
        table: DataTable[Any] = self.panel.query_one("#phone-calls", DataTable)
        return [[str(cell) for cell in table.get_row_at(n)] for n in range(table.row_count)]

    def outcome(self) -> str:
        return str(self.panel.query_one("#phone-outcome", Static).render())

    def names(self, alias: str = "meet.demo") -> list[str]:
        return [p["display_name"] for p in self.sim.conference_state(alias)["participants"]]

    def transfers(self) -> list[dict[str, Any]]:
        return [r["body"] for r in self.pbx.state()["received"] if r["path"].endswith("transfer")]

    async def until(self, condition: Callable[[], Any], what: str) -> Any:
        return await until(self.pilot, condition, what)

    async def press(self, *keys: str) -> None:
        await self.pilot.press(*keys)
        await self.pilot.pause()

    async def open(self) -> None:
        await self.press("f3")
        await self.until(lambda: self.app.screen.query(PhonePanel), "the phone panel")
        await self.until(lambda: self.rows(), "the calls in the panel")


@asynccontextmanager
async def phone_console(sim: SimServer, pbx: PbxServer, **settings: Any) -> AsyncIterator[Desk]:
    config = PbxSettings(pbx.base_url, settings.pop("operator", "2005"),
                         settings.pop("numbers", NUMBERS))  # fmt: skip
    phone = YeastarSession(config, Credentials(CLIENT_ID, SECRET), backoff=(0.05,))
    join = JoinParams(node_url=sim.base_url, alias="meet.demo", display_name="Host", pin="1234")
    app = make_app(join=join, load_settings=False, phone=phone)
    async with app.run_test(size=(200, 40)) as pilot:
        await until(pilot, lambda: isinstance(app.screen, ConferenceScreen), "the conference")
        await until(pilot, lambda: phone.state == "connected", "the PBX")
        try:
            yield Desk(app, pilot, sim, pbx)
        finally:
            await pilot.press("ctrl+q")


async def test_f3_shows_the_calls_and_hides_them(sim: SimServer, pbx: PbxServer) -> None:
    async with phone_console(sim, pbx) as desk:
        await desk.open()
        ((caller, state, time, trunk, heading, outcome),) = desk.rows()
        assert (caller, state, trunk, heading, outcome) == (CALLER, "talking", "siptrunk", "", "")
        assert time.startswith("0:")
        title = str(desk.panel.query_one("#phone-title", Static).render())
        assert "PBX connected: 1 calls" in title
        pbx.run(lambda: pbx.pbx.add_caller("+15555550100", "on_hold"))
        await desk.until(lambda: len(desk.rows()) == 2, "the new caller")
        assert desk.rows()[1][1] == "on hold"
        await desk.press("f3")
        await desk.until(lambda: not desk.app.screen.query(PhonePanel), "the panel hidden")
    assert pbx.state()["tokens"]["valid"] == 0  # quitting revoked the PBX token


async def test_b_brings_the_caller_in_blind_and_tracks_the_arrival(
    sim: SimServer, pbx: PbxServer
) -> None:
    async with phone_console(sim, pbx) as desk:
        await desk.open()
        await desk.press("b")
        await desk.until(lambda: CALLER in desk.names(), "the caller in the conference")
        await desk.until(lambda: desk.rows()[0][5] == "arrived ✓", "arrived in the panel")
        assert desk.rows()[0][4] == "meet.demo"
        channel = channel_of(first_call(pbx), "inbound")
        assert desk.transfers() == [{"type": "blind", "channel_id": channel, "number": "8001",
                                     "dial_permission": "2005"}]  # fmt: skip
        call = desk.app.phone.session.desk.book.live()[0]  # type: ignore[union-attr]
        assert call.transfer is not None and call.transfer.participant_uuid in [
            p["uuid"] for p in sim.conference_state("meet.demo")["participants"]
        ]


async def test_t_chooses_another_target_conference(sim: SimServer, pbx: PbxServer) -> None:
    async with phone_console(sim, pbx) as desk:
        await desk.open()
        await desk.press("t", "b")
        await desk.until(lambda: CALLER in desk.names("meet.board"), "the caller in meet.board")
        assert desk.transfers()[0]["number"] == "8002"
        await desk.until(lambda: desk.rows()[0][5] == "left the PBX", "left (not watched)")


@pytest.mark.parametrize("key", ["o", "x", "w", "3"])
async def test_consult_then_each_operation(sim: SimServer, pbx: PbxServer, key: str) -> None:
    operation = {"o": "complete", "x": "abort", "w": "swap", "3": "threeway"}[key]
    async with phone_console(sim, pbx) as desk:
        await desk.open()
        await desk.press("c")
        await desk.until(lambda: "Reception 2005" in desk.names(), "the operator's consult")
        await desk.until(lambda: desk.rows()[0][1] == "consulting", "consulting")
        await desk.press(key)
        await desk.until(lambda: operation in [b.get("attended_operate") for b in desk.transfers()],
                         "the operation sent")  # fmt: skip
        if operation == "complete":
            await desk.until(lambda: desk.rows()[0][5] == "arrived ✓", "arrived")
            await desk.until(lambda: "Reception 2005" not in desk.names(), "the operator left")
        elif operation == "abort":
            await desk.until(lambda: "Reception 2005" not in desk.names(), "the operator left")
            await desk.until(lambda: desk.rows()[0][1] == "talking", "back to the operator")
            assert desk.rows()[0][5] == "aborted" and CALLER not in desk.names()
        elif operation == "threeway":
            await desk.until(lambda: desk.rows()[0][5] == "arrived ✓", "arrived")
            assert {"Reception 2005", CALLER} <= set(desk.names())
        else:
            state = lambda: next(  # noqa: E731
                p for p in desk.sim.conference_state("meet.demo")["participants"]
                if p["display_name"] == "Reception 2005"
            )  # fmt: skip
            await desk.until(lambda: state()["is_client_muted"], "the consult side on hold")
            assert CALLER not in desk.names()


async def test_an_errcode_shows_the_pbx_errmsg(sim: SimServer, pbx: PbxServer) -> None:
    async with phone_console(sim, pbx, numbers={"meet.demo": "4711"}) as desk:
        await desk.open()
        await desk.press("b")
        await desk.until(lambda: "PARAMETER ERROR" in desk.outcome(), "the errmsg")
        await desk.until(lambda: desk.rows()[0][5].startswith("failed"), "failed in the row")
        assert "PARAMETER ERROR" in desk.rows()[0][5]
        assert CALLER not in desk.names()


async def test_a_hostile_caller_id_is_shown_literally(sim: SimServer, pbx: PbxServer) -> None:
    async with phone_console(sim, pbx) as desk:
        await desk.open()
        pbx.run(lambda: pbx.pbx.add_caller("[@click=app.quit]\x1b[2J[/b]", "ringing"))
        await desk.until(lambda: len(desk.rows()) == 2, "the hostile caller")
        assert desk.rows()[1][0] == "[@click=app.quit]…"  # literal (cut to the column)
        await desk.press("down", "b")  # its errmsg-free transfer works like any other
        hostile = "[@click=app.quit]\x1b[2J[/b]"
        await desk.until(lambda: hostile in desk.names(), "kept raw by the simulated Pexip")
        await desk.until(lambda: desk.rows()[1][5] == "arrived ✓", "matched by its digits")
        assert desk.app.is_running


async def test_no_pbx_configured_says_so(sim: SimServer) -> None:
    join = JoinParams(node_url=sim.base_url, alias="meet.demo", display_name="Host", pin="1234")
    app = make_app(join=join, load_settings=False)
    async with app.run_test(size=(120, 36)) as pilot:
        await until(pilot, lambda: isinstance(app.screen, ConferenceScreen), "the conference")
        await pilot.press("f3")
        await until(pilot, lambda: app._notifications, "a notification")
        assert "No PBX configured" in next(iter(app._notifications)).message
        assert not app.screen.query(PhonePanel)
        await pilot.press("ctrl+q")


async def test_the_pbx_going_away_leaves_the_console_running(
    sim: SimServer, pbx: PbxServer
) -> None:
    async with phone_console(sim, pbx) as desk:
        await desk.open()
        pbx.stop()
        await desk.until(lambda: "reconnecting" in str(desk.panel.query_one("#phone-title",
                                                                           Static).render()),
                         "the panel says reconnecting")  # fmt: skip
        await desk.press("m")  # the conference side still takes keys
        assert isinstance(desk.app.screen, ConferenceScreen)
        pbx.start()
        await desk.until(lambda: desk.app.phone.session.state == "connected", "back")  # type: ignore[union-attr]


async def test_the_token_is_revoked_however_the_console_ends(
    sim: SimServer, pbx: PbxServer
) -> None:
    config = PbxSettings(pbx.base_url, "2005", NUMBERS)
    phone = YeastarSession(config, Credentials(CLIENT_ID, SECRET), backoff=(0.05,))
    join = JoinParams(node_url=sim.base_url, alias="meet.demo", display_name="Host", pin="1234")
    app = make_app(join=join, load_settings=False, phone=phone)
    async with app.run_test(size=(120, 36)) as pilot:
        await until(pilot, lambda: phone.state == "connected", "the PBX")
        assert pbx.state()["tokens"]["valid"] == 1
        app.exit(1)  # not through ctrl+q: the worker is cancelled
    await until_plain(lambda: pbx.state()["tokens"]["valid"] == 0, "del_token")
    assert pbx.state()["tokens"]["revoked"] == 1


async def until_plain(condition: Callable[[], Any], what: str) -> None:
    import asyncio

    for _ in range(200):
        if condition():
            return
        await asyncio.sleep(0.025)
    raise AssertionError(f"timed out waiting for {what}")
