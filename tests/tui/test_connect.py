"""The connect screen against the simulator over real loopback HTTP: joining, the PIN and
Virtual Reception prompts, inline errors, a pasted join link and a recent conference."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from textual import events
from textual.pilot import Pilot
from textual.widgets import Button, Checkbox, Input, RadioButton

from pextui.config import RecentConference, load_config
from pextui.protocol.client import JoinParams, connect
from pextui.protocol.session import Session
from pextui.sim.config import SimConfig
from pextui.sim.server import SimServer
from pextui.tui.screens.connect import ConnectScreen
from pextui.tui.screens.extension_prompt import ExtensionPromptScreen
from pextui.tui.screens.help import HelpScreen
from pextui.tui.screens.pin_prompt import PinPromptScreen
from tests.tui.console_helpers import until
from tests.tui.dialog_helpers import HOSTILE, DialogHost


@pytest.fixture(scope="module")
def sim() -> Iterator[SimServer]:
    with SimServer(SimConfig(scenario="quiet", seed=1)) as server:
        yield server


async def wait_until(pilot: Pilot[None], condition: Any, what: str) -> None:
    await until(pilot, condition, what)


def fill(screen: ConnectScreen, **values: str) -> None:
    for field_id, value in values.items():
        screen.query_one(f"#{field_id}", Input).value = value


async def press_join(pilot: Pilot[None], screen: ConnectScreen) -> None:
    screen.query_one("#alias", Input).focus()
    await pilot.press("enter")


def participants_named(sim: SimServer, alias: str, name: str) -> list[dict[str, Any]]:
    state = sim.state()
    found: list[dict[str, Any]] = []
    conferences = state.get("conferences", {})
    items = conferences.values() if isinstance(conferences, dict) else conferences
    for conference in items:
        if alias not in (conference.get("alias"), *conference.get("aliases", ())):
            continue
        found += [p for p in conference.get("participants", []) if p.get("display_name") == name]
    return found


def connect_screen(**kwargs: Any) -> ConnectScreen:
    return ConnectScreen(connector=connect, recent=kwargs.pop("recent", ()), **kwargs)


async def joined_session(pilot: Pilot[None], app: DialogHost) -> Session:
    """The session the connect screen dismissed with (bounded wait)."""
    await wait_until(pilot, lambda: bool(app.results), "the join")
    session = app.results[0]
    assert isinstance(session, Session)
    return session


async def finish(app: DialogHost) -> None:
    for result in app.results:
        if isinstance(result, Session):
            await result.close()


async def test_join_through_the_pin_prompt(
    sim: SimServer, tmp_path: Path, monkeypatch: Any
) -> None:
    monkeypatch.setenv("PEXTUI_CONFIG", str(tmp_path / "config.toml"))
    screen = connect_screen()
    app = DialogHost(screen)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        fill(screen, node=sim.base_url, alias="meet.board", name="Hostess")
        await press_join(pilot, screen)
        await wait_until(pilot, lambda: isinstance(app.screen, PinPromptScreen), "PIN prompt")
        prompt = app.screen
        assert isinstance(prompt, PinPromptScreen)
        assert prompt.host_pin and prompt.guest_pin
        assert not prompt.query("#as-guest")  # guests need a PIN here
        await pilot.press(*"12x", "enter")
        assert prompt.error_text == "A PIN is digits only (0-9)."
        await pilot.press("backspace", "enter")  # "12": a wrong PIN, asked again
        await wait_until(
            pilot,
            lambda: isinstance(app.screen, PinPromptScreen) and app.screen is not prompt,
            "the PIN prompt again",
        )
        assert app.screen.error_text == "Invalid PIN"  # type: ignore[attr-defined]
        await pilot.press(*"1234", "enter")
        assert (await joined_session(pilot, app)).role == "HOST"
        assert participants_named(sim, "meet.board", "Hostess")
        await finish(app)
    saved = load_config(tmp_path / "config.toml")
    assert [(r.alias, r.display_name) for r in saved.recent] == [("meet.board", "Hostess")]
    assert "1234" not in (tmp_path / "config.toml").read_text()


async def test_wrong_pin_shows_inline_error(sim: SimServer) -> None:
    screen = connect_screen(remember_joined=False)
    app = DialogHost(screen)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        fill(screen, node=sim.base_url, alias="meet.board", pin="9999")
        await press_join(pilot, screen)
        await wait_until(pilot, lambda: "Wrong PIN" in screen.error_text, "the error")
        assert screen.error_text == "Wrong PIN: Invalid PIN"
        assert screen.query_one("#pin", Input).value == ""
        assert not screen.busy
        assert app.results == []


async def test_guest_without_pin_from_the_prompt(sim: SimServer) -> None:
    screen = connect_screen(remember_joined=False)
    app = DialogHost(screen)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        fill(screen, node=sim.base_url, alias="meet.demo", name="Visitor")
        await press_join(pilot, screen)
        await wait_until(pilot, lambda: isinstance(app.screen, PinPromptScreen), "PIN prompt")
        assert app.screen.query("#as-guest")
        await pilot.press("ctrl+g")
        assert (await joined_session(pilot, app)).role == "GUEST"
        await finish(app)


async def test_virtual_reception_asks_for_the_target(sim: SimServer) -> None:
    screen = connect_screen(remember_joined=False)
    app = DialogHost(screen)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        fill(screen, node=sim.base_url, alias="reception", name="Lobby host", pin="1234")
        await press_join(pilot, screen)
        await wait_until(
            pilot, lambda: isinstance(app.screen, ExtensionPromptScreen), "extension prompt"
        )
        await pilot.press("enter")
        assert app.screen.error_text == "Target is required."  # type: ignore[attr-defined]
        await pilot.press(*"meet.demo", "enter")
        assert (await joined_session(pilot, app)).role == "HOST"
        assert participants_named(sim, "meet.demo", "Lobby host")
        await finish(app)


async def test_unknown_alias_and_unreachable_node(sim: SimServer) -> None:
    screen = connect_screen(remember_joined=False)
    app = DialogHost(screen)
    with socket.socket() as probe:  # a loopback port with nobody listening
        probe.bind(("127.0.0.1", 0))
        closed_port = probe.getsockname()[1]
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        fill(screen, node=sim.base_url, alias="no.such.room", pin="1234")
        await press_join(pilot, screen)
        await wait_until(pilot, lambda: bool(screen.error_text), "the error")
        assert screen.error_text.startswith("Unknown conference alias: ")
        assert app.focused is screen.query_one("#alias")
        fill(screen, node=f"http://127.0.0.1:{closed_port}", alias="meet.board")
        await press_join(pilot, screen)
        await wait_until(pilot, lambda: "reach" in screen.error_text, "the error")
        assert screen.error_text.startswith("Cannot reach the node: ")
        assert "1234" not in screen.error_text
        assert app.results == []


async def test_form_validation_messages() -> None:
    screen = ConnectScreen(recent=())
    app = DialogHost(screen)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await press_join(pilot, screen)
        assert screen.error_text == "Enter the node URL (or paste a join link)."
        assert app.focused is screen.query_one("#node")
        fill(screen, node="ftp://example.com")
        await press_join(pilot, screen)
        assert screen.error_text.startswith("Node URL: ")
        fill(screen, node="127.0.0.1:8080", alias="meet demo")
        await press_join(pilot, screen)
        assert "spaces" in screen.error_text
        fill(screen, alias="meet.demo", pin="12ab")
        await press_join(pilot, screen)
        assert screen.error_text == "A PIN is digits only (0-9)."
        fill(screen, pin="", **{"ca-bundle": "/nonexistent/ca.pem"})
        await press_join(pilot, screen)
        assert screen.error_text == "The CA bundle is not a readable file."
        assert app.focused is screen.query_one("#ca-bundle")
        await pilot.press("f1")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        assert "Recent" in [entry.description for entry in app.screen.entries]
        await pilot.press("escape")
        await pilot.pause()
        screen.show_error(HOSTILE)
        assert screen.error_text == "[bold]x[/bold]"
        assert app.results == []


async def test_without_connector_dismisses_with_join_params() -> None:
    screen = ConnectScreen(recent=())
    app = DialogHost(screen)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        fill(screen, node="http://127.0.0.1:9", alias="meet.demo", name="Ann")
        screen.query_one("#role-guest", RadioButton).value = True
        screen.query_one("#insecure", Checkbox).value = True
        await pilot.pause()
        assert screen.query_one("#insecure-warning").display
        await press_join(pilot, screen)
        await wait_until(pilot, lambda: bool(app.results), "the dismissal")
    params = app.results[0]
    assert isinstance(params, JoinParams)
    assert (params.node_url, params.alias, params.display_name) == (
        "http://127.0.0.1:9",
        "meet.demo",
        "Ann",
    )
    assert params.pin == "none"  # a guest without PIN
    assert params.verify is False


async def test_pasted_link_fills_the_form() -> None:
    screen = ConnectScreen(recent=())
    app = DialogHost(screen)
    link = "https://vc.example.com/webapp/conference/meet.alice?name=Bob&pin=4321&role=guest"
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        node = screen.query_one("#node", Input)
        node.focus()
        node.post_message(events.Paste(link))
        await wait_until(pilot, lambda: bool(screen.info_text), "the fill")
        assert node.value == "https://vc.example.com"
        assert screen.query_one("#alias", Input).value == "meet.alice"
        assert screen.query_one("#name", Input).value == "Bob"
        assert screen.query_one("#pin", Input).value == "4321"
        assert screen.query_one("#role-guest", RadioButton).value
        assert "4321" not in screen.info_text
        assert app.results == []
        reception = "https://vc.example.com/webapp/conference/lobby?extension=meet.x"
        node.post_message(events.Paste(reception))
        await wait_until(pilot, lambda: screen.extension == "meet.x", "the extension")
        assert node.value == "https://vc.example.com"  # the paste was appended, then parsed
        assert screen.query_one("#alias", Input).value == "lobby"
        assert screen.read_request().conference_extension == "meet.x"
        screen.query_one("#alias", Input).focus()
        await pilot.press("backspace")  # another alias: the old target no longer applies
        assert screen.extension is None


async def test_link_typed_by_hand_is_parsed_on_enter() -> None:
    screen = ConnectScreen(recent=())
    app = DialogHost(screen)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        screen.query_one("#node", Input).focus()
        await pilot.press(*"pexip://m.x?host=v.io", "enter")
        assert screen.query_one("#alias", Input).value == "m.x"
        assert screen.query_one("#node", Input).value == "https://v.io"
        assert app.results == []  # the host reviews, then joins with a second Enter


async def test_recent_conference_fills_the_form() -> None:
    recent = [
        RecentConference(node="https://a.example.com", alias="meet.a", display_name="Ann"),
        RecentConference(node="https://b.example.com", alias="meet.b", role="guest"),
    ]
    screen = ConnectScreen(recent=recent)
    app = DialogHost(screen)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("f2", "down", "enter")
        assert screen.query_one("#node", Input).value == "https://b.example.com"
        assert screen.query_one("#alias", Input).value == "meet.b"
        assert screen.query_one("#role-guest", RadioButton).value
        assert app.focused is screen.query_one("#pin")
        await pilot.press("f2", "up", "enter")
        assert screen.query_one("#alias", Input).value == "meet.a"
        assert screen.query_one("#name", Input).value == "Ann"
        await pilot.press("escape")  # Escape does not leave the connect screen
        assert app.screen is screen
        screen.query_one("#quit", Button).press()
        await wait_until(pilot, lambda: bool(app.results), "the dismissal")
    assert app.results == [None]


async def test_busy_while_joining_then_certificate_problem(sim: SimServer) -> None:
    slow = SimServer(SimConfig(scenario="quiet", seed=1, faults={"latency-ms": 400.0}))
    screen = connect_screen(remember_joined=False)
    app = DialogHost(screen)
    with slow:
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.pause()
            fill(screen, node=slow.base_url, alias="meet.board", pin="1234")
            await press_join(pilot, screen)
            assert screen.busy
            assert screen.query_one("#join").disabled
            await press_join(pilot, screen)  # a second Enter while joining does nothing
            await joined_session(pilot, app)
            assert not screen.busy
            await finish(app)
    # https:// to the simulator's plain-HTTP port: the TLS handshake fails.
    screen = connect_screen(remember_joined=False)
    app = DialogHost(screen)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        tls_node = sim.base_url.replace("http://", "https://")
        fill(screen, node=tls_node, alias="meet.board", pin="1234")
        await press_join(pilot, screen)
        await wait_until(pilot, lambda: bool(screen.error_text), "the error")
        assert screen.error_text.startswith("Certificate problem: "), screen.error_text
        assert app.focused is screen.query_one("#ca-bundle")
