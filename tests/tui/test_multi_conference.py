"""Several conferences at once (one tab each) against the simulator over real loopback HTTP:
switching keys, live badges, attention from a conference not in front, a failing tab beside
live ones, quitting releases every token, joining another from the key, palette and form."""

from __future__ import annotations

import asyncio
import socket

from textual.widgets import Input

from pextui.protocol.client import JoinParams, connect
from pextui.protocol.session import Session
from pextui.sim.server import SimServer
from pextui.tui.app import make_app
from pextui.tui.screens.confirm import ConfirmScreen
from pextui.tui.screens.connect import ConnectScreen
from pextui.tui.screens.pending import PendingScreen
from tests.tui.console_helpers import run_from_palette, sim_participant, until
from tests.tui.multi_helpers import GREEN, MAIN, Tabs, host_join, running_tabs


def host_uuid(tabs: Tabs, alias: str) -> str:
    session = tabs.console(alias).session
    assert session is not None
    return session.participant_uuid


async def test_switch_keys_and_live_badges(simulator: SimServer) -> None:
    joins = [host_join(simulator, MAIN), host_join(simulator, GREEN)]
    async with running_tabs(simulator, joins) as tabs:
        await tabs.in_front(MAIN)
        await tabs.until(lambda: "2 Board Meeting" in tabs.strip_text(), "the strip")
        assert "1 Demo Meeting" in tabs.strip_text()
        # each conference streams in its own worker: both are live at once
        await tabs.until(
            lambda: all(c.connection.state == "live" for c in tabs.app.consoles), "both live"
        )
        # a guest joins the green room: its badge counts them while the main room is in front
        await tabs.add_guest(GREEN, "Ben Tanaka")
        await tabs.until(lambda: "Board Meeting live 2 in" in tabs.strip_text(), "badge: 2 in")
        await tabs.press("]")
        screen = await tabs.in_front(GREEN)
        await tabs.until(lambda: len(screen.store.roster) == 2, "the green room's roster")
        await tabs.press("[")
        await tabs.in_front(MAIN)
        await tabs.press("alt+2")
        await tabs.in_front(GREEN)
        await tabs.press("alt+1")
        await tabs.in_front(MAIN)
        await tabs.press("trade_mark_sign")  # alt+2 as tmux and most terminals send it
        await tabs.in_front(GREEN)
        await tabs.press("inverted_exclamation_mark")  # alt+1 likewise
        await tabs.in_front(MAIN)
        await tabs.press("alt+3")  # no third conference: nothing happens
        await tabs.in_front(MAIN)
        await tabs.press("]", "]")  # wraps around
        await tabs.in_front(MAIN)


async def test_background_attention_names_the_conference(simulator: SimServer) -> None:
    joins = [host_join(simulator, MAIN), host_join(simulator, GREEN)]
    async with running_tabs(simulator, joins) as tabs:
        await tabs.in_front(MAIN)
        board = simulator.node.conferences[GREEN]
        simulator.run_on_loop(lambda: board.set_status(force=True, locked=True))
        await tabs.until(
            lambda: getattr(tabs.console(GREEN).store.status, "locked", False), "board locked"
        )
        await tabs.add_guest(GREEN, "Ben [b]Tanaka[/b]")
        note = await tabs.until(
            lambda: [n for n in tabs.notifications() if "waiting in the locked room" in n[1]],
            "the waiting-room notification",
        )
        title, message = note[0]
        assert title == "Board Meeting: Waiting room"
        assert message == "Ben [b]Tanaka[/b] is waiting in the locked room"  # literal
        await tabs.until(lambda: "Board Meeting live" in tabs.strip_text(), "the strip")
        await tabs.until(lambda: "! Ben [b]Tanaka" in tabs.strip_text(), "the badge marked")
        # a hand raised there
        guest = await tabs.add_guest(GREEN, "Priya")
        simulator.run_on_loop(lambda: board.set_status(force=True, locked=False))
        await tabs.until(
            lambda: (
                [m for _, m in tabs.notifications() if m == "Priya is waiting to be let in"]
                or len(tabs.console(GREEN).store.roster) >= 2
            ),
            "Priya in the green room",
        )
        await guest.buzz(guest.participant_uuid)
        await tabs.until(
            lambda: ("Board Meeting: Raised hand", "Priya raised a hand") in tabs.notifications(),
            "the raised-hand notification",
        )
        # the front conference's own events raise nothing of the sort
        assert not [t for t, _ in tabs.notifications() if t.startswith("Demo Meeting:")]
        # looking at it clears the mark
        await tabs.press("]")
        await tabs.in_front(GREEN)
        await tabs.until(lambda: "!" not in tabs.strip_text(), "the mark cleared")
        # the stream of the conference behind is lost: said with its name
        uuid = host_uuid(tabs, MAIN)
        simulator.run_on_loop(
            lambda: simulator.node.conferences[MAIN].remove(uuid, "Disconnected by an operator")
        )
        await tabs.until(
            lambda: [t for t, _ in tabs.notifications() if t == "Demo Meeting: Stream lost"],
            "the stream-lost notification",
        )
        assert ("Demo Meeting: Disconnected", "Disconnected by an operator") in tabs.notifications()
        assert tabs.console(GREEN).connection.state == "live"
        # the rejoin is offered in that conference's tab, when it comes to the front
        assert not isinstance(tabs.app.screen, ConfirmScreen)
        await tabs.press("[")
        await tabs.until(
            lambda: (
                isinstance(tabs.app.screen, ConfirmScreen)
                and "Rejoin" in tabs.app.screen.confirm_label
            ),
            "the rejoin question in the main room's tab",
        )
        await tabs.press("y")
        await tabs.until(lambda: tabs.console(MAIN).connection.state == "live", "rejoined")
        assert tabs.console(GREEN).connection.state == "live"


async def test_a_failing_tab_says_why_and_the_others_stay(simulator: SimServer) -> None:
    with socket.socket() as probe:  # a loopback port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    down = JoinParams(node_url=f"http://127.0.0.1:{port}", alias="meet.far", pin="1234")
    joins = [host_join(simulator, MAIN), host_join(simulator, "meet.nosuch"), down]
    async with running_tabs(simulator, joins, wait_joined=False) as tabs:
        await tabs.in_front(MAIN)
        await tabs.until(
            lambda: [c.connection.state for c in tabs.app.consoles] == ["live", "ended", "ended"],
            "two tabs failed",
        )
        await tabs.until(lambda: "2 meet.nosuch failed" in tabs.strip_text(), "badge: failed")
        assert "3 meet.far failed" in tabs.strip_text()
        titles = [t for t, _ in tabs.notifications()]
        assert "meet.nosuch: Connection failed" in titles
        assert "meet.far: Connection failed" in titles
        await tabs.press("alt+2")
        pending = await tabs.until(
            lambda: isinstance(tabs.app.screen, PendingScreen) and tabs.app.screen, "tab 2"
        )
        text = str(pending.query_one("#pending-message").render())
        assert "Not joined to meet.nosuch: Unknown conference alias" in text
        await tabs.press("alt+3")
        pending = await tabs.until(
            lambda: (
                isinstance(tabs.app.screen, PendingScreen)
                and tabs.app.screen.console.alias == "meet.far"
                and tabs.app.screen
            ),
            "tab 3",
        )
        assert "Cannot reach the node" in str(pending.query_one("#pending-message").render())
        await tabs.press("w")  # close that tab
        await tabs.until(lambda: len(tabs.app.consoles) == 2, "tab 3 closed")
        await tabs.until(
            lambda: (
                isinstance(tabs.app.screen, PendingScreen)
                and tabs.app.screen.console.alias == "meet.nosuch"
            ),
            "its neighbour in front",
        )
        await tabs.press("alt+1")
        screen = await tabs.in_front(MAIN)
        assert screen.console.connection.state == "live"
        assert sim_participant(simulator, host_uuid(tabs, MAIN)) is not None


async def test_quit_releases_every_token(simulator: SimServer) -> None:
    joins = [host_join(simulator, MAIN), host_join(simulator, GREEN)]
    async with running_tabs(simulator, joins) as tabs:
        uuids = {alias: host_uuid(tabs, alias) for alias in (MAIN, GREEN)}
        assert simulator.state()["tokens"] == 2
        await tabs.app.action_quit()
    assert simulator.state()["tokens"] == 0
    assert sim_participant(simulator, uuids[MAIN], MAIN) is None
    assert sim_participant(simulator, uuids[GREEN], GREEN) is None


async def test_join_another_from_key_form_and_palette(simulator: SimServer) -> None:
    async with running_tabs(simulator, [host_join(simulator, MAIN)]) as tabs:
        await tabs.in_front(MAIN)
        assert not tabs.app.screen.query_one("#tabs").display  # one conference: no strip
        await tabs.press("J")
        form = await tabs.until(
            lambda: isinstance(tabs.app.screen, ConnectScreen) and tabs.app.screen, "the form"
        )
        for field_id, value in {
            "node": simulator.base_url,
            "alias": GREEN,
            "name": "Host",
            "pin": "1234",
        }.items():
            form.query_one(f"#{field_id}", Input).value = value
        form.query_one("#alias", Input).focus()
        await tabs.press("enter")
        await tabs.in_front(GREEN)
        await tabs.until(lambda: len(tabs.app.consoles) == 2, "a second tab")
        assert tabs.app.screen.query_one("#tabs").display
        assert tabs.console(MAIN).connection.state == "live"  # still streaming
        # the palette: join another (then back with Escape), switch to the other one
        console = _palette_console(tabs)
        await run_from_palette(console, "join another", "Join another conference")
        await tabs.until(lambda: isinstance(tabs.app.screen, ConnectScreen), "the form again")
        await tabs.press("escape")
        await tabs.in_front(GREEN)
        assert len(tabs.app.consoles) == 2
        await run_from_palette(console, "switch to demo", "Switch to Demo Meeting")
        await tabs.in_front(MAIN)


async def test_declining_rejoin_closes_the_tab(simulator: SimServer) -> None:
    joins = [host_join(simulator, MAIN), host_join(simulator, GREEN)]
    async with running_tabs(simulator, joins) as tabs:
        await tabs.press("alt+2")
        await tabs.in_front(GREEN)
        await tabs.press("X")  # disconnect everyone, the host too
        await tabs.until(lambda: isinstance(tabs.app.screen, ConfirmScreen), "asks first")
        await tabs.press("y")
        await tabs.until(
            lambda: (
                isinstance(tabs.app.screen, ConfirmScreen)
                and "Rejoin" in tabs.app.screen.confirm_label
            ),
            "the rejoin question",
        )
        await tabs.press("n")
        await tabs.in_front(MAIN)  # the green room's tab is gone, not a dead roster
        await tabs.until(lambda: len(tabs.app.consoles) == 1, "one tab left")
        assert tabs.console(MAIN).connection.state == "live"
        # the last one: back to the connect screen
        await tabs.press("X")
        await tabs.until(lambda: isinstance(tabs.app.screen, ConfirmScreen), "asks first")
        await tabs.press("y")
        await tabs.until(
            lambda: (
                isinstance(tabs.app.screen, ConfirmScreen)
                and "Rejoin" in tabs.app.screen.confirm_label
            ),
            "the rejoin question",
        )
        await tabs.press("n")
        await tabs.until(lambda: isinstance(tabs.app.screen, ConnectScreen), "the connect screen")
        assert tabs.app.consoles == []


def _palette_console(tabs: Tabs) -> object:
    """What :func:`run_from_palette` needs (press, until, app) from the tabs' driver."""
    return tabs


async def test_quit_while_a_join_is_on_its_way_releases_its_token(simulator: SimServer) -> None:
    """The token the join gets after the host quit is released, not left to expire."""
    asked = asyncio.Event()
    go_on = asyncio.Event()

    async def slow_connect(params: JoinParams) -> Session:
        asked.set()
        await go_on.wait()
        return await connect(params)

    app = make_app(joins=[host_join(simulator, MAIN)], connector=slow_connect, load_settings=False)
    async with app.run_test(size=(120, 36)) as pilot:
        await until(pilot, asked.is_set, "the join asked for its token")
        quitting = asyncio.create_task(app.leave())
        await until(pilot, lambda: app.consoles[0].leaving, "the console leaving")
        go_on.set()
        await quitting
        await until(pilot, lambda: simulator.state()["tokens"] == 0, "the late token released")
        assert app.consoles[0].session is None
