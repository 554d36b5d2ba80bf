"""Conference keys of the console against the simulator: lock, admit, guests' mute, hands,
start, dial out, layout, disconnect everyone."""

from __future__ import annotations

from textual.widgets import Input, Select

from pextui.protocol.client import NO_PIN
from pextui.sim.server import SimServer
from pextui.tui.screens.confirm import ConfirmScreen
from pextui.tui.screens.dial import DialDialog
from pextui.tui.screens.layout import LayoutDialog
from tests.tui.console_helpers import running_console, sim_conference


async def test_conference_keys_G_H_S_y_n_L_a_A_X(simulator: SimServer) -> None:
    """Every conference key in one console session, each checked at the node and on screen."""
    async with running_console(simulator) as console:
        # G: mute / unmute all guests; H: lower every hand
        await console.press("G")
        await console.until(lambda: sim_conference(simulator)["status"]["guests_muted"], "muted")
        await console.until(lambda: "guests muted" in console.status_text(), "shown")
        for name in ("Alice", "Bob"):
            session = console.guests[name]
            await session.buzz(session.participant_uuid)
        await console.until(lambda: "2 hands" in console.status_text(), "two hands")
        await console.press("H")
        await console.until(
            lambda: all(console.participant(n)["buzz_time"] == 0 for n in ("Alice", "Bob")),
            "hands lowered",
        )
        await console.press("G")
        await console.until(
            lambda: not sim_conference(simulator)["status"]["guests_muted"], "guests unmuted"
        )

        # S: start the conference
        await console.press("S")
        await console.until(lambda: sim_conference(simulator)["status"]["started"], "started")
        await console.until(
            lambda: any("Start the conference" in line for line in console.log_lines()),
            "logged",
        )

        # y: layout
        await console.press("y")
        dialog = await console.until(
            lambda: isinstance(console.app.screen, LayoutDialog) and console.app.screen, "dialog"
        )
        dialog.query_one("#layout", Select).value = "1:7"
        await console.pilot.click("#submit")
        await console.until(
            lambda: (
                sim_conference(simulator)["layout"]["requested_layout"]["primary_screen"][
                    "chair_layout"
                ]
                == "1:7"
            ),
            "layout 1:7",
        )

        # n: dial out; the new participant appears
        before = console.store_size()
        await console.press("n")
        dialog = await console.until(
            lambda: isinstance(console.app.screen, DialDialog) and console.app.screen, "dialog"
        )
        dialog.query_one("#destination", Input).value = "sip:carol@example.com"
        await console.pilot.click("#submit")
        await console.until(
            lambda: any(
                "carol@example.com" in (p["display_name"] + p["uri"])
                for p in sim_conference(simulator)["participants"]
            ),
            "the dialled participant",
        )
        await console.until(lambda: console.store_size() == before + 1, "one more in the roster")

        # L: lock; a: admit the first to arrive; A: admit all; L: unlock
        await console.press("L")
        await console.until(lambda: sim_conference(simulator)["status"]["locked"], "locked")
        await console.until(lambda: "locked" in console.status_text(), "locked shown")
        await console.add_guest("Dave")
        await console.add_guest("Erin")
        await console.until(
            lambda: console.participant("Dave")["service_type"] == "waiting_room", "Dave waits"
        )
        await console.until(lambda: "2 waiting" in console.status_text(), "waiting count")
        await console.press("a")  # the first to arrive
        await console.until(
            lambda: console.participant("Dave")["service_type"] == "conference", "Dave admitted"
        )
        assert console.participant("Erin")["service_type"] == "waiting_room"
        await console.press("A")
        await console.until(
            lambda: console.participant("Erin")["service_type"] == "conference", "Erin admitted"
        )
        await console.press("L")
        await console.until(lambda: not sim_conference(simulator)["status"]["locked"], "unlocked")

        # X: disconnect everyone (last), then the offer to rejoin
        await console.press("X")
        await console.until(lambda: isinstance(console.app.screen, ConfirmScreen), "confirm")
        await console.press("y")
        await console.until(
            lambda: not sim_conference(simulator)["participants"], "everyone disconnected"
        )
        rejoin = await console.until(
            lambda: (
                isinstance(console.app.screen, ConfirmScreen)
                and "Rejoin" in str(console.app.screen.confirm_label)
                and console.app.screen
            ),
            "the rejoin question",
        )
        assert "Disconnected" in rejoin.question
        await console.press("y")
        await console.until(
            lambda: any(
                p["display_name"] == "Host" for p in sim_conference(simulator)["participants"]
            ),
            "rejoined",
        )


async def test_a_guest_console_greys_out_host_actions(simulator: SimServer) -> None:
    async with running_console(simulator, guests=("Alice",), pin=NO_PIN) as console:
        assert "GUEST" in console.status_text()
        await console.cursor_on("Alice")
        screen = console.screen
        for action in ("mute", "lock", "transfer", "disconnect_all", "dial_out"):
            assert screen.check_action(action, ()) is None, action
        assert screen.check_action("filter", ()) is True
        await console.press("m", "L")
        assert console.participant("Alice")["is_muted"] == "NO"
        assert not sim_conference(simulator)["status"]["locked"]
