"""Participant keys of the conference screen against the simulator: what the node received
and what the roster shows."""

from __future__ import annotations

from textual.widgets import Input

from pextui.sim.server import SimServer
from pextui.tui.screens.confirm import ConfirmScreen
from pextui.tui.screens.dtmf import DtmfDialog
from pextui.tui.screens.overlay import OverlayTextDialog
from pextui.tui.screens.role import RoleDialog
from tests.tui.console_helpers import running_console, settled


async def test_participant_keys_m_v_s_h_o_d_p_r_x(simulator: SimServer) -> None:
    """Every participant key in one console session, each checked at the node and on screen."""
    async with running_console(simulator) as console:
        # m: mute and unmute the participant under the cursor
        await console.cursor_on("Alice")
        await console.press("m")
        await console.until(lambda: console.participant("Alice")["is_muted"] == "YES", "muted")
        await console.until(lambda: "mute" in console.roster_row("Alice"), "mute shown")
        assert console.participant("Bob")["is_muted"] == "NO"
        await console.press("m")
        await console.until(lambda: console.participant("Alice")["is_muted"] == "NO", "unmuted")

        # v and s: video and spotlight
        await console.cursor_on("Bob")
        await console.press("v")
        await console.until(lambda: console.participant("Bob")["is_video_muted"], "video off")
        await console.press("s")
        await console.until(lambda: console.participant("Bob")["spotlight"] > 0, "spotlit")
        await console.until(lambda: "#1" in console.roster_row("Bob"), "spotlight order shown")
        await console.press("s")
        await console.until(lambda: console.participant("Bob")["spotlight"] == 0, "unspotlit")

        # h: lower a raised hand
        alice = console.guests["Alice"]
        await alice.buzz(alice.participant_uuid)
        await console.until(lambda: console.participant("Alice")["buzz_time"] > 0, "hand up")
        await console.until(lambda: "↑" in console.roster_row("Alice"), "hand shown")
        await console.cursor_on("Alice")
        await console.press("h")
        await console.until(lambda: console.participant("Alice")["buzz_time"] == 0, "hand down")

        # o: overlay text; d: DTMF
        await console.cursor_on("Alice")
        await console.press("o")
        dialog = await console.until(
            lambda: isinstance(console.app.screen, OverlayTextDialog) and console.app.screen,
            "overlay dialog",
        )
        dialog.query_one("#text", Input).value = "Speaker 1"
        await console.pilot.click("#submit")
        await console.until(
            lambda: console.participant("Alice")["overlay_text"] == "Speaker 1", "overlay"
        )
        await console.press("d")
        dtmf = await console.until(
            lambda: isinstance(console.app.screen, DtmfDialog) and console.app.screen, "dtmf"
        )
        dtmf.query_one("#digits", Input).value = "12#"
        await console.pilot.click("#submit")
        await console.until(
            lambda: any("DTMF 12#" in line and "sent" in line for line in console.log_lines()),
            "DTMF sent in the event log",
        )

        # p: deny then allow receiving presentation
        await console.cursor_on("Alice")
        await console.press("p")
        await console.until(
            lambda: console.participant("Alice")["rx_presentation_policy"] == "DENY", "denied"
        )
        await console.press("p")
        await console.until(
            lambda: console.participant("Alice")["rx_presentation_policy"] == "ALLOW", "allowed"
        )

        # r: change the role through the dialog (Alice is a host from here on)
        await console.cursor_on("Alice")
        await console.press("r")
        await console.until(lambda: isinstance(console.app.screen, RoleDialog), "dialog")
        await console.pilot.click("#submit")
        await console.until(lambda: console.participant("Alice")["role"] == "chair", "host now")
        await console.until(lambda: " host " in console.roster_row("Alice"), "host shown")

        # x: disconnect after confirmation (last: Bob leaves)
        await console.cursor_on("Bob")
        await console.press("x")
        await console.until(lambda: isinstance(console.app.screen, ConfirmScreen), "confirm")
        await console.press("n")
        await console.pilot.pause()
        assert console.participant("Bob") is not None
        await console.press("x")
        await console.until(lambda: isinstance(console.app.screen, ConfirmScreen), "confirm")
        await console.press("y")
        await console.until(lambda: console.participant("Bob") is None, "Bob gone")
        await console.until(
            lambda: not any("Bob" in line for line in console.roster_lines()), "Bob off roster"
        )


async def test_keys_remapped_from_the_config_and_the_ansi_theme(simulator: SimServer) -> None:
    async with running_console(simulator, keymap={"mute": "M"}, theme="ansi-dark") as console:
        assert console.app.theme == "ansi-dark"
        await console.cursor_on("Alice")
        await console.press("m")  # no longer bound
        await settled(console.pilot)
        assert console.participant("Alice")["is_muted"] == "NO"
        await console.press("M")
        await console.until(lambda: console.participant("Alice")["is_muted"] == "YES", "muted")
