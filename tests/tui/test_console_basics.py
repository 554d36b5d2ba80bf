"""The conference screen shows the live meeting: roster, status bar, hostile names literally."""

from __future__ import annotations

import argparse
import socket

from pextui.commands import console, demo
from pextui.protocol.client import JoinParams
from pextui.sim.server import SimServer
from pextui.tui.app import make_app
from pextui.tui.screens.connect import ConnectScreen
from tests.tui.console_helpers import running_console, until


async def test_roster_and_status_show_the_meeting_and_a_guest_joining(
    simulator: SimServer,
) -> None:
    async with running_console(simulator) as console:
        lines = "\n".join(console.roster_lines())
        assert "Alice" in lines and "Bob" in lines and "Host" in lines
        status = console.status_text()
        assert "Demo Meeting" in status
        assert "HOST" in status
        assert "3 in" in status
        await console.until(lambda: "live" in console.status_text(), "live state")

        # a guest joining appears live
        await console.add_guest("Carol")
        await console.until(
            lambda: any("Carol" in line for line in console.roster_lines()), "Carol in roster"
        )
        await console.until(lambda: "4 in" in console.status_text(), "the count in the status")


async def test_hostile_display_names_are_shown_literally(simulator: SimServer) -> None:
    hostile = "[bold red]Mallory[/]\x1b[31m\x07"
    async with running_console(simulator, guests=(hostile,), size=(160, 36)) as console:
        row = console.roster_row("Mallory")
        assert "[bold red]Mallory[/]" in row
        assert "\x1b" not in row and "\x07" not in row


async def test_without_a_join_the_console_opens_the_connect_screen() -> None:
    app = make_app(load_settings=False)
    async with app.run_test(size=(100, 30)) as pilot:
        await until(pilot, lambda: isinstance(app.screen, ConnectScreen), "the connect screen")
        await pilot.pause()
        assert app.session is None


def test_demo_and_console_options() -> None:
    parser = argparse.ArgumentParser()
    demo.configure(parser)
    args = parser.parse_args(["--port", "0", "--seed", "7", "--participants", "30"])
    assert (args.port, args.seed, args.participants) == (0, 7, 30)
    bad = parser.parse_args(["--port", "70000"])
    assert demo.run(bad) == 2
    parser = argparse.ArgumentParser()
    console.configure(parser)
    args = parser.parse_args(["--node", "http://127.0.0.1:1", "--alias", "meet.demo"])
    assert args.alias == "meet.demo"


async def test_an_unreachable_node_returns_to_the_connect_screen_with_the_reason() -> None:
    with socket.socket() as probe:  # a loopback port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    join = JoinParams(node_url=f"http://127.0.0.1:{port}", alias="meet.demo", pin="1234")
    app = make_app(join=join, load_settings=False)
    async with app.run_test(size=(100, 30)) as pilot:
        await until(
            pilot,
            lambda: isinstance(app.screen, ConnectScreen) and app.screen.error_text,
            "the connect screen with the reason",
        )
        assert app.connection.state == "ended"
        assert app.connection.detail
        assert "1234" not in app.connection.detail
