"""Joining for the first time: the connect screen keeps what was given on the
command line, "Join as: Host" with a guest PIN says so and Recent records the real role, the
PIN prompt offers "guests need no PIN" only when the node said so, --theme is not saved and
an unknown one is named with the list."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot
from textual.widgets import Button, Input, RadioButton

from pextui.config import load_config
from pextui.protocol.client import JoinParams
from pextui.sim.config import SimConfig
from pextui.sim.server import SimServer
from pextui.tui.app import PextuiApp, make_app
from pextui.tui.screens.connect import ConnectScreen
from pextui.tui.screens.pin_prompt import PinPromptScreen
from tests.hostile.hostile_setup import screen_text
from tests.tui.console_helpers import until


@pytest.fixture
def config_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    path = tmp_path / "config.toml"
    monkeypatch.setenv("PEXTUI_CONFIG", str(path))
    yield path


@pytest.fixture(scope="module")
def sim() -> Iterator[SimServer]:
    with SimServer(SimConfig(scenario="quiet", seed=1)) as server:
        yield server


def recording(app: PextuiApp) -> list[str]:
    """Every notification's "title: message" from now on."""
    shown: list[str] = []
    original = app.notify

    def record(message: str, **kwargs: Any) -> None:
        shown.append(f"{kwargs.get('title', '')}: {message}")
        original(message, **kwargs)

    app.notify = record  # type: ignore[method-assign]
    return shown


def on(app: PextuiApp, kind: type) -> Any:
    return isinstance(app.screen, kind) and app.screen


async def test_connect_screen_keeps_the_given_node_and_alias(config_file: Path) -> None:
    join = JoinParams(node_url="http://127.0.0.1:9", alias="x.room", display_name="Ann")
    app = make_app(join=join, load_settings=False)
    async with app.run_test() as pilot:
        screen = await until(pilot, lambda: on(app, ConnectScreen), "the connect screen")
        await pilot.pause()
        assert screen.query_one("#node", Input).value == "http://127.0.0.1:9"
        assert screen.query_one("#alias", Input).value == "x.room"
        assert screen.query_one("#name", Input).value == "Ann"
        assert screen.query_one("#pin", Input).value == ""  # never the PIN
        assert "cannot connect" in str(screen.query_one("#connect-error").render())


async def test_host_with_a_guest_pin_is_told_and_recent_records_guest(
    sim: SimServer, config_file: Path
) -> None:
    app = make_app(load_settings=True)
    shown = recording(app)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await until(pilot, lambda: on(app, ConnectScreen), "the connect screen")
        screen.query_one("#node", Input).value = sim.base_url
        screen.query_one("#alias", Input).value = "meet.board"
        screen.query_one("#pin", Input).value = "5678"  # the guest PIN
        assert screen.query_one("#role-host", RadioButton).value
        screen.query_one("#alias", Input).focus()
        await pilot.press("enter")
        await until(pilot, lambda: app.session is not None, "the join")
        assert app.session is not None and not app.session.is_host
        await until(pilot, lambda: any("Joined as guest" in s for s in shown), "the warning")
        recent = load_config().recent
        assert recent and recent[0].alias == "meet.board" and recent[0].role == "guest"
        await app.leave()


async def test_wrong_env_pin_does_not_offer_guests_without_pin(sim: SimServer) -> None:
    join = JoinParams(node_url=sim.base_url, alias="meet.board", display_name="H", pin="9999")
    app = make_app(join=join, load_settings=False)
    async with app.run_test(size=(120, 40)) as pilot:
        prompt = await until(pilot, lambda: on(app, PinPromptScreen), "the PIN prompt")
        await pilot.pause()
        assert not prompt.guests_without_pin
        assert not prompt.query("#as-guest")
        assert "guests need no PIN" not in screen_words(pilot)
        assert prompt.check_action("join_as_guest", ()) is False


async def test_guests_without_pin_is_offered_when_the_node_says_so(sim: SimServer) -> None:
    join = JoinParams(node_url=sim.base_url, alias="meet.demo", display_name="H", pin=None)
    app = make_app(join=join, load_settings=False)
    async with app.run_test(size=(120, 40)) as pilot:
        prompt = await until(pilot, lambda: on(app, PinPromptScreen), "the PIN prompt")
        await pilot.pause()
        assert prompt.guests_without_pin
        assert isinstance(prompt.query_one("#as-guest"), Button)
        assert "guests need no PIN" in screen_words(pilot)  # what the other test looks for


def screen_words(pilot: Pilot[Any]) -> str:
    """Everything drawn on the screen (the screen's own lines are only its background)."""
    return screen_text(pilot.app)


async def test_theme_from_the_command_line_is_not_saved(config_file: Path) -> None:
    app = make_app(theme="ansi-dark", load_settings=True)
    async with app.run_test() as pilot:
        await until(pilot, lambda: app.theme == "ansi-dark", "the theme")
        await pilot.pause()  # a theme change is saved as it happens (a signal): none did
    assert load_config().theme in (None, "")  # nothing saved (no file, or no theme)
    again = make_app(load_settings=True)
    async with again.run_test() as pilot:
        await pilot.pause()
        assert again.theme != "ansi-dark"


async def test_an_unknown_theme_is_named_with_the_list(config_file: Path) -> None:
    app = make_app(theme="nosuch", load_settings=True)
    shown = recording(app)
    async with app.run_test() as pilot:
        note = await until(pilot, lambda: [s for s in shown if "Unknown theme" in s], "a note")
        assert "Unknown theme 'nosuch'" in note[0]
        assert "ansi-dark" in note[0] and "nord" in note[0]
    assert load_config().theme in (None, "")
