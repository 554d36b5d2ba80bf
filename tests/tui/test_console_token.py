"""The status bar while the token is in trouble: refresh refused, new token, live again."""

from __future__ import annotations

from pextui.sim.server import SimServer
from tests.tui.console_helpers import running_console, sim_config


async def test_refused_refresh_shows_token_trouble_then_live() -> None:
    # A 3 s token is refreshed every second; the latency keeps the re-request visible.
    with SimServer(sim_config(token_expires=3)) as sim:
        async with running_console(sim, guests=()) as console:
            await console.until(lambda: "● live" in console.status_text(), "live")
            first_uuid = console.app.session.participant_uuid  # type: ignore[union-attr]
            sim.run_on_loop(
                lambda: sim.node.faults.replace({"refuse-refresh": 1, "latency-ms": 400})
            )
            await console.until(
                lambda: "token trouble: rejoining" in console.status_text(), "token trouble"
            )
            sim.run_on_loop(lambda: sim.node.faults.replace({}))
            await console.until(
                lambda: any("Token renewed (joined again)" in line for line in console.log_lines()),
                "the recovery logged",
            )
            await console.until(lambda: "● live" in console.status_text(), "live again")
            assert "token trouble" not in console.status_text()
            assert console.app.session.participant_uuid != first_uuid  # type: ignore[union-attr]
