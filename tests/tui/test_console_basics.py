"""The conference screen shows the live meeting: roster, status bar, hostile names literally."""

from __future__ import annotations

from console_helpers import running_console

from pextui.sim.server import SimServer


async def test_roster_and_status_show_the_meeting(simulator: SimServer) -> None:
    async with running_console(simulator) as console:
        lines = "\n".join(console.roster_lines())
        assert "Alice" in lines and "Bob" in lines and "Host" in lines
        status = console.status_text()
        assert "Demo Meeting" in status
        assert "HOST" in status
        assert "3 in" in status
        await console.until(lambda: "live" in console.status_text(), "live state")


async def test_a_guest_joining_appears_live(simulator: SimServer) -> None:
    async with running_console(simulator, guests=("Alice",)) as console:
        await console.add_guest("Carol")
        await console.until(
            lambda: any("Carol" in line for line in console.roster_lines()), "Carol in roster"
        )
        await console.until(lambda: "3 in" in console.status_text(), "the count in the status")


async def test_hostile_display_names_are_shown_literally(simulator: SimServer) -> None:
    hostile = "[bold red]Mallory[/]\x1b[31m\x07"
    async with running_console(simulator, guests=(hostile,), size=(160, 36)) as console:
        row = console.roster_row("Mallory")
        assert "[bold red]Mallory[/]" in row
        assert "\x1b" not in row and "\x07" not in row
