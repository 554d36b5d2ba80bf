"""PIN and Virtual Reception prompts, invite links and the help screen, driven with Pilot."""

from __future__ import annotations

from typing import ClassVar

from dialog_helpers import HOSTILE, DialogHost, dismissed, screen_text
from textual.app import App, ComposeResult
from textual.binding import Binding, BindingType
from textual.screen import Screen
from textual.widgets import Button, Static

from pextui.links import build_links
from pextui.protocol.requests import check_alias, check_dtmf, check_pin
from pextui.tui.screens.extension_prompt import ExtensionAnswer, ExtensionPromptScreen
from pextui.tui.screens.help import HelpScreen, group_of
from pextui.tui.screens.invite import InviteDialog, InviteScreen, mask_pin
from pextui.tui.screens.pin_prompt import NO_PIN, PinAnswer, PinPromptScreen

# -- PIN prompt ----------------------------------------------------------------------------


async def test_pin_prompt_with_guest_pin_requires_digits() -> None:
    app = DialogHost(PinPromptScreen(HOSTILE, host_pin=True, guest_pin=True, error="Invalid PIN"))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        prompt = app.screen
        assert isinstance(prompt, PinPromptScreen)
        assert prompt.error_text == "Invalid PIN"
        assert "[bold]x[/bold] needs a PIN." in screen_text(app)
        assert not prompt.query("#as-guest")
        await pilot.press("ctrl+g")  # not offered: guests need a PIN
        await pilot.press("enter")
        assert prompt.error_text == "Enter the PIN."
        await pilot.press(*"5678", "enter")
        answer = await dismissed(pilot, app)
    assert answer == PinAnswer("5678")
    assert not answer.without_pin
    assert "5678" not in repr(answer)


async def test_pin_prompt_offers_guest_without_pin() -> None:
    app = DialogHost(PinPromptScreen("meet.demo", host_pin=True, guest_pin=False))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        app.screen.query_one("#as-guest", Button).press()
        answer = await dismissed(pilot, app)
    assert answer == PinAnswer(NO_PIN)
    assert answer.without_pin


async def test_pin_prompt_escape() -> None:
    app = DialogHost(PinPromptScreen("meet.demo"))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("1", "escape")
        assert await dismissed(pilot, app) is None


# -- Virtual Reception ---------------------------------------------------------------------


async def test_extension_prompt() -> None:
    app = DialogHost(ExtensionPromptScreen("reception", kind="mssip", error="Not found"))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert app.screen.error_text == "Not found"  # type: ignore[attr-defined]
        assert "Conference ID" in screen_text(app)
        await pilot.press(*"123 456", "enter")
        assert "spaces" in app.screen.error_text  # type: ignore[attr-defined]
        await pilot.press("ctrl+a", "ctrl+k", *"123456", "enter")
        assert await dismissed(pilot, app) == ExtensionAnswer("123456")


# -- invite links --------------------------------------------------------------------------


async def test_invite_links_copy_and_mask_pins() -> None:
    links = build_links("https://vc.example.com", "meet.alice", guest_pin="5678")
    app = DialogHost(InviteDialog(links, conference=HOSTILE))
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        text = screen_text(app)
        assert "Invite to [bold]x[/bold]" in text
        assert "5678" not in text and "pin=****" in text
        await pilot.press("1")
        assert app.clipboard == links.guest_webapp
        assert "pin=5678" in app.clipboard
        app.screen.query_one("#copy-3", Button).press()
        await pilot.pause()
        assert app.clipboard == links.host_pexip
        await pilot.press("escape")
        assert await dismissed(pilot, app) is None


async def test_invite_screen_builds_links_for_the_conference() -> None:
    app = DialogHost(InviteScreen("http://127.0.0.1:8080", "meet.demo"))
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await pilot.press("2")
        assert app.clipboard.startswith("pexip://meet.demo")


def test_mask_pin() -> None:
    assert mask_pin("pexip://a?pin=1234&name=x") == "pexip://a?pin=****&name=x"
    assert mask_pin("https://n/webapp/conference/a?name=x&PIN=99") == (
        "https://n/webapp/conference/a?name=x&PIN=****"
    )
    assert mask_pin("https://n/webapp/conference/a?name=pin") == (
        "https://n/webapp/conference/a?name=pin"
    )


# -- help ----------------------------------------------------------------------------------


class Console(Screen[None]):
    """Stands in for the conference screen: bindings like the host-action table."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("m", "mute", "Mute", id="host.mute", tooltip="Mute or unmute audio"),
        Binding("L", "lock", "Lock", id="host.lock", tooltip="Lock or unlock the conference"),
        Binding("t", "transfer", "Transfer", id="host.transfer", tooltip="Transfer"),
        Binding("X", "disconnect_all", "Kick all", tooltip="Disconnect everyone"),
        Binding("c", "chat", "Chat", id="host.chat", tooltip=f"Focus the chat {HOSTILE}"),
        Binding("question_mark", "help", "Help", tooltip="Show every key"),
        Binding("z", "zoom", "", tooltip="no description: not listed"),
    ]

    def compose(self) -> ComposeResult:
        yield Static("console")

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        return None if action == "transfer" else True  # greyed out, still listed

    def action_help(self) -> None:
        self.app.push_screen(HelpScreen())


class ConsoleApp(App[None]):
    def on_mount(self) -> None:
        self.push_screen(Console())


async def test_help_lists_bindings_grouped() -> None:
    app = ConsoleApp()
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await pilot.press("question_mark")
        await pilot.pause()
        help_screen = app.screen
        assert isinstance(help_screen, HelpScreen)
        entries = {entry.description: entry for entry in help_screen.entries}
        assert entries["Mute"].group == "Participant"
        assert entries["Transfer"].group == "Participant"
        assert not entries["Transfer"].enabled
        assert entries["Lock"].group == "Conference"
        assert entries["Kick all"].group == "Conference"
        assert entries["Chat"].group == "Navigation"
        assert entries["Lock"].key == "L"
        assert entries["Lock"].tooltip == "Lock or unlock the conference"
        assert "" not in entries
        svg = app.export_screenshot().replace("&#160;", " ")
        assert "Participant" in svg and "Conference" in svg and "Navigation" in svg
        assert "Focus the chat [bold]x[/bold]" in svg
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, Console)
        await pilot.press("question_mark")
        await pilot.pause()
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, Console)


def test_group_of_prefers_binding_id() -> None:
    assert group_of(Binding("k", "anything", id="conference.k")) == "Conference"
    assert group_of(Binding("k", "screen.mute", id="host.mute")) == "Participant"
    assert group_of(Binding("k", "quit")) == "Navigation"


# -- validation ----------------------------------------------------------------------------


def test_validation_functions() -> None:
    assert check_alias("  meet.x ") == "meet.x"
    assert check_pin("") is None
    assert check_pin("0042") == "0042"
    assert check_dtmf("1a#") == "1A#"
    assert check_dtmf("1,2", allow_pauses=True) == "1,2"
    for bad in ("", "a b", "x\x1b"):
        try:
            check_alias(bad)
        except ValueError:
            continue
        raise AssertionError(f"{bad!r} accepted")
    for bad_pin in ("١٢٣", "12 3", "1" * 21):
        try:
            check_pin(bad_pin)
        except ValueError:
            continue
        raise AssertionError(f"{bad_pin!r} accepted")
    for bad_dtmf in ("E", "1,2"):
        try:
            check_dtmf(bad_dtmf)
        except ValueError:
            continue
        raise AssertionError(f"{bad_dtmf!r} accepted")
