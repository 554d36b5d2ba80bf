"""Bulk actions ask first above the configured threshold: G, A, H and m / v on a selection;
below it they act at once; declining sends nothing; x / X always ask."""

from __future__ import annotations

from pathlib import Path

import pytest

from pextui.sim.server import SimServer
from pextui.tui.screens.confirm import ConfirmScreen
from tests.tui.console_helpers import Console, running_console, sim_conference


async def confirm_shown(console: Console) -> ConfirmScreen:
    screen: ConfirmScreen = await console.until(
        lambda: isinstance(console.app.screen, ConfirmScreen) and console.app.screen,
        "the confirm dialog",
    )
    return screen


async def back_on_the_console(console: Console) -> None:
    await console.until(lambda: console.app.screen is console.screen, "back on the console")


def requested_kinds(console: Console) -> list[str]:
    store = console.app.store
    assert store is not None
    return [action.kind for action in store.actions]


async def test_above_the_configured_threshold_bulk_keys_ask_first(
    simulator: SimServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings = tmp_path / "config.toml"
    settings.write_text("bulk_confirm_above = 1\n", encoding="utf-8")
    settings.chmod(0o600)
    monkeypatch.setenv("PEXTUI_CONFIG", str(settings))
    async with running_console(simulator, load_settings=True) as console:
        assert console.app.current is not None
        assert console.app.current.bulk_confirm_above == 1

        # m on a selection of two: asks, declined sends nothing; confirmed mutes both.
        for name in ("Alice", "Bob"):
            await console.cursor_on(name)
            await console.press("space")
        await console.press("m")
        dialog = await confirm_shown(console)
        assert dialog.question == "Mute 2 participants?"
        assert "Alice" in dialog.detail and "Bob" in dialog.detail
        await console.press("n")
        await back_on_the_console(console)
        await console.press("v")  # v asks the same way
        dialog = await confirm_shown(console)
        assert dialog.question == "Stop video of 2 participants?"
        await console.press("escape")
        await back_on_the_console(console)
        await console.press("L")  # something observable after the refusals
        await console.until(lambda: sim_conference(simulator)["status"]["locked"], "locked")
        assert all(console.participant(n)["is_muted"] == "NO" for n in ("Alice", "Bob"))
        assert not any(console.participant(n)["is_video_muted"] for n in ("Alice", "Bob"))
        assert not {"mute", "video_muted"} & set(requested_kinds(console))
        await console.press("m")
        await confirm_shown(console)
        await console.press("y")
        await console.until(
            lambda: all(console.participant(n)["is_muted"] == "YES" for n in ("Alice", "Bob")),
            "both muted",
        )
        await console.press("escape")  # clears the selection

        # G: mute all guests asks, says how many; declined, nothing; confirmed, muted.
        await console.press("G")
        dialog = await confirm_shown(console)
        assert dialog.question == "Mute all 2 guests?"
        await console.press("n")
        await back_on_the_console(console)
        assert "muteguests" not in requested_kinds(console)
        assert not sim_conference(simulator)["status"]["guests_muted"]
        await console.press("G")
        await confirm_shown(console)
        await console.press("y")
        await console.until(lambda: sim_conference(simulator)["status"]["guests_muted"], "muted")

        # H: lower all hands (two raised)
        for name in ("Alice", "Bob"):
            session = console.guests[name]
            await session.buzz(session.participant_uuid)
        await console.until(lambda: "2 hands" in console.status_text(), "two hands")
        await console.press("H")
        dialog = await confirm_shown(console)
        assert dialog.question == "Lower 2 raised hands?"
        await console.press("y")
        await console.until(
            lambda: all(console.participant(n)["buzz_time"] == 0 for n in ("Alice", "Bob")),
            "hands lowered",
        )

        # A: admit everyone waiting (two, in the locked room)
        await console.add_guest("Dave")
        await console.add_guest("Erin")
        await console.until(lambda: "2 waiting" in console.status_text(), "two waiting")
        await console.press("A")
        dialog = await confirm_shown(console)
        assert dialog.question == "Admit 2 people from the waiting room?"
        assert "Dave" in dialog.detail and "Erin" in dialog.detail
        await console.press("y")
        await console.until(
            lambda: all(
                console.participant(n)["service_type"] == "conference" for n in ("Dave", "Erin")
            ),
            "both admitted",
        )


async def test_at_or_below_the_threshold_bulk_keys_act_at_once_and_x_X_still_ask(
    simulator: SimServer,
) -> None:
    async with running_console(simulator) as console:  # the default threshold (10)
        current = console.app.current
        assert current is not None and current.bulk_confirm_above == 10
        await console.press("G")
        await console.until(lambda: sim_conference(simulator)["status"]["guests_muted"], "muted")
        assert console.app.screen is console.screen  # no question asked
        current.bulk_confirm_above = 2  # two guests: at the threshold, still no question
        await console.press("G")
        await console.until(
            lambda: not sim_conference(simulator)["status"]["guests_muted"], "unmuted"
        )
        assert console.app.screen is console.screen

        current.bulk_confirm_above = 1000
        await console.cursor_on("Alice")
        await console.press("x")
        dialog = await confirm_shown(console)
        assert dialog.question == "Disconnect Alice?"
        await console.press("n")
        await back_on_the_console(console)
        await console.press("X")
        dialog = await confirm_shown(console)
        assert dialog.question.startswith("Disconnect all ")
        await console.press("n")
        await back_on_the_console(console)
        await console.press("L")
        await console.until(lambda: sim_conference(simulator)["status"]["locked"], "locked")
        assert console.participant("Alice") is not None
        assert len(sim_conference(simulator)["participants"]) == 3
