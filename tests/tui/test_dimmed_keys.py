"""A dimmed host key, pressed, says why it does nothing, and nothing reaches the node: a
console that joined as a guest (no PIN) pressing the host's keys."""

from __future__ import annotations

from pextui.protocol.params import NO_PIN
from pextui.sim.server import SimServer
from tests.chaos.chaos_helpers import RequestCounter
from tests.tui.console_helpers import running_console


async def test_host_keys_of_a_guest_console_say_why(
    counted: tuple[SimServer, RequestCounter],
) -> None:
    sim, counter = counted
    async with running_console(sim, pin=NO_PIN) as console:
        screen = console.screen
        assert not screen.is_host()
        assert screen.check_action("mute", ()) is None  # dimmed in the footer
        for key in ("m", "x", "L"):
            await console.press(key)

        def said() -> list[str]:
            return [
                note.message
                for note in list(console.app._notifications)
                if note.title == "Not possible"
            ]

        await console.until(lambda: len(said()) == 3, "three refusals")
        assert said() == [
            "Only a host can use Mute: this console joined as a guest.",
            "Only a host can use Kick: this console joined as a guest.",
            "Only a host can use Lock: this console joined as a guest.",
        ]
        assert [counter.received[name] for name in ("mute", "disconnect", "lock")] == [0, 0, 0]
