"""Pending state until the server confirms, failures with the server's reason, and ctrl+q."""

from __future__ import annotations

import httpx

from pextui.sim.server import SimServer
from tests.tui.console_helpers import running_console, sim_conference


async def set_faults(sim: SimServer, faults: dict[str, float]) -> None:
    async with httpx.AsyncClient(base_url=sim.base_url) as http:
        reply = await http.post("/_sim/control", json={"faults": faults})
        assert reply.status_code == 200, reply.text


async def test_pending_then_confirmed_a_failure_with_its_reason_and_ctrl_q(
    simulator: SimServer,
) -> None:
    """One console session: a pending action, a failed one, then ctrl+q leaves."""
    async with running_console(simulator) as console:
        # an action shows as pending until the server confirms it
        await console.cursor_on("Alice")
        await set_faults(simulator, {"latency-ms": 600})
        await console.press("m")
        await console.until(lambda: "muting…" in console.roster_row("Alice"), "pending shown")
        await console.until(lambda: console.participant("Alice")["is_muted"] == "YES", "muted")
        await set_faults(simulator, {})
        await console.until(
            lambda: (
                "muting" not in console.roster_row("Alice")
                and " mute " in console.roster_row("Alice")
            ),
            "confirmed",
        )

        # a failed action says why
        await console.cursor_on("Bob")
        await set_faults(simulator, {"error-rate": 1.0})
        await console.press("v")
        line = await console.until(
            lambda: next(
                (line for line in console.log_lines() if "Stop video of Bob failed:" in line), None
            ),
            "the failure in the event log",
        )
        await set_faults(simulator, {})
        reason = line.split("failed:", 1)[1].strip()
        assert reason, "the server's reason is shown"
        assert "token" not in reason.lower() or "=" not in reason
        assert console.participant("Bob")["is_video_muted"] is False
        await console.until(lambda: "stopping video" not in console.roster_row("Bob"), "cleared")

        # ctrl+q leaves the conference (last)
        await console.pilot.press("ctrl+q")
        await console.until(
            lambda: all(
                p["display_name"] != "Host" for p in sim_conference(simulator)["participants"]
            ),
            "the host left (token released)",
        )
