"""The host-action dialogs driven with Pilot in a tiny host app: typing, validation errors,
typed results, Escape, and untrusted names shown literally."""

from __future__ import annotations

from typing import Any

import pytest
from dialog_helpers import HOSTILE, DialogHost, dismissed, screen_text
from textual import events
from textual.widgets import Button, Input, Static

from pextui.tui.forms import FormDialog
from pextui.tui.screens.confirm import ConfirmScreen
from pextui.tui.screens.dial import DialDialog, DialRequest
from pextui.tui.screens.dtmf import DtmfDialog, DtmfRequest
from pextui.tui.screens.layout import DEFAULT_LAYOUTS, LayoutDialog, LayoutRequest
from pextui.tui.screens.overlay import MAX_OVERLAY_CHARS, OverlayTextDialog, OverlayTextRequest
from pextui.tui.screens.role import RoleDialog, RoleRequest
from pextui.tui.screens.transfer import TransferDialog, TransferRequest


def error_of(app: DialogHost) -> str:
    screen = app.screen
    assert isinstance(screen, FormDialog)
    return screen.error_text


# -- transfer ------------------------------------------------------------------------------


async def test_transfer_requires_alias_then_returns_request() -> None:
    app = DialogHost(TransferDialog("Alice"))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("enter")
        assert error_of(app) == "Target alias is required."
        assert app.results == []
        await pilot.press(*"meet.board", "tab", "right", "tab", *"5678", "enter")
        result = await dismissed(pilot, app)
    assert result == TransferRequest(alias="meet.board", role="host", pin="5678")
    assert result.to_body() == {"conference_alias": "meet.board", "role": "host", "pin": "5678"}
    assert "5678" not in repr(result)


async def test_transfer_rejects_non_digit_pin_and_defaults_to_guest() -> None:
    app = DialogHost(TransferDialog("Alice"))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press(*"townhall", "tab", "tab", *"12a", "enter")
        assert error_of(app) == "A PIN is digits only (0-9)."
        assert app.focused is not None and app.focused.id == "pin"
        await pilot.press("backspace", "enter")
        result = await dismissed(pilot, app)
    assert result == TransferRequest(alias="townhall", role="guest", pin="12")


async def test_transfer_rejects_alias_with_spaces() -> None:
    app = DialogHost(TransferDialog("Alice"))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press(*"meet board", "enter")
        assert "spaces" in error_of(app)
        assert app.results == []


async def test_transfer_escape_returns_none() -> None:
    app = DialogHost(TransferDialog("Alice"))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press(*"meet.board", "escape")
        assert await dismissed(pilot, app) is None


async def test_transfer_shows_hostile_name_literally() -> None:
    app = DialogHost(TransferDialog(HOSTILE))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        shown = str(app.screen.query_one("#participant", Static).content)
        svg = app.export_screenshot()
    assert "[bold]x[/bold]" in shown
    assert "\x1b" not in shown and "\x07" not in shown and "pwn" not in shown
    assert "[bold]x[/bold]" in svg.replace("&#160;", " ")


# -- dial ----------------------------------------------------------------------------------


async def test_dial_defaults() -> None:
    app = DialogHost(DialDialog())
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press(*"sip:al@x.io", "enter")
        result = await dismissed(pilot, app)
    assert result == DialRequest(destination="sip:al@x.io")
    assert result.to_body() == {
        "destination": "sip:al@x.io",
        "protocol": "auto",
        "role": "GUEST",
        "call_type": "video",
    }


async def test_dial_rtmp_needs_rtmp_url() -> None:
    app = DialogHost(DialDialog())
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        dialog = app.screen
        await pilot.press("enter")
        assert error_of(app) == "Destination is required."
        await pilot.press(*"stream.example.com")
        dialog.query_one("#protocol").value = "rtmp"  # type: ignore[attr-defined]
        await pilot.pause()
        dialog.query_one("#destination").focus()
        await pilot.press("enter")
        assert error_of(app) == "An RTMP destination is an rtmp:// or rtmps:// URL."
        field = dialog.query_one("#destination", Input)
        field.value = "rtmps://live.example.com/app/key"
        dialog.query_one("#presentation", Input).value = "http://not-rtmp"
        await pilot.press("enter")
        assert error_of(app) == "The presentation URL is an rtmp:// or rtmps:// URL."
        dialog.query_one("#presentation", Input).value = "rtmp://live.example.com/pres"
        dialog.query_one("#dtmf", Input).value = "12,#x"
        await pilot.press("enter")
        assert "DTMF takes only" in error_of(app)
        dialog.query_one("#dtmf", Input).value = "12,#"
        dialog.query_one("#source-name", Input).value = "Studio"
        dialog.query_one("#streaming").value = True  # type: ignore[attr-defined]
        dialog.query_one("#destination").focus()
        await pilot.press("enter")
        result = await dismissed(pilot, app)
    assert result == DialRequest(
        destination="rtmps://live.example.com/app/key",
        protocol="rtmp",
        presentation_url="rtmp://live.example.com/pres",
        dtmf_sequence="12,#",
        source_display_name="Studio",
        streaming=True,
    )
    assert result.to_body()["streaming"] == "yes"


async def test_dial_rtmp_url_with_sip_protocol_is_refused() -> None:
    app = DialogHost(DialDialog(role="HOST", destination="rtmp://x.example.com/live"))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        app.screen.query_one("#protocol").value = "sip"  # type: ignore[attr-defined]
        app.screen.query_one("#destination").focus()
        await pilot.press("enter")
        assert error_of(app) == "An rtmp:// destination needs protocol RTMP (or auto)."
        await pilot.press("escape")
        assert await dismissed(pilot, app) is None


# -- layout --------------------------------------------------------------------------------


async def test_layout_defaults_and_choice() -> None:
    app = DialogHost(LayoutDialog())
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        select = app.screen.query_one("#layout")
        assert [value for _, value in select._options] == list(DEFAULT_LAYOUTS)  # type: ignore[attr-defined]
        assert select.value == "ac"  # type: ignore[attr-defined]
        select.value = "1:7"  # type: ignore[attr-defined]
        app.screen.query_one("#enable-extended-ac").value = True  # type: ignore[attr-defined]
        app.screen.query_one("#recording-indicator").value = False  # type: ignore[attr-defined]
        app.screen.query_one("#submit", Button).press()
        result = await dismissed(pilot, app)
    assert result == LayoutRequest(layout="1:7", enable_extended_ac=True, recording_indicator=False)
    transforms = result.to_body()["transforms"]
    assert transforms["layout"] == "1:7"
    assert "host_layout" not in transforms
    assert transforms["recording_indicator"] is False


async def test_layout_auditorium_has_host_and_guest_layouts() -> None:
    current = LayoutRequest(host_layout="1:0", guest_layout="9:0", enable_overlay_text=False)
    app = DialogHost(LayoutDialog(["1:0", "9:0", "ac", "ac"], auditorium=True, current=current))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert not app.screen.query("#layout")
        assert app.screen.query_one("#host-layout").value == "1:0"  # type: ignore[attr-defined]
        app.screen.query_one("#submit", Button).press()
        result = await dismissed(pilot, app)
    assert result == current
    assert result.to_body()["transforms"]["guest_layout"] == "9:0"


# -- DTMF, overlay, role, confirm ----------------------------------------------------------


async def test_dtmf_validates_digits() -> None:
    app = DialogHost(DtmfDialog(HOSTILE))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert "[bold]x[/bold]" in screen_text(app)
        await pilot.press(*"12x", "enter")
        assert error_of(app) == "DTMF takes only 0-9, *, #, A-D."
        await pilot.press("backspace", *"*#ab", "enter")
        result = await dismissed(pilot, app)
    assert result == DtmfRequest("12*#AB")
    assert result.to_body() == {"digits": "12*#AB"}


async def test_overlay_text_limit_and_literal_current() -> None:
    app = DialogHost(OverlayTextDialog("Bob", current="[red]Chair[/red]"))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert "Now: [red]Chair[/red]" in screen_text(app)
        field = app.screen.query_one("#text", Input)
        assert field.value == "[red]Chair[/red]"
        field.value = ""
        await pilot.press("enter")
        assert error_of(app) == "Enter the text to show."
        field.post_message(events.Paste("y" * (MAX_OVERLAY_CHARS + 20)))
        await pilot.pause()
        await pilot.press("enter")
        assert error_of(app) == (
            f"At most {MAX_OVERLAY_CHARS} characters (this text has {MAX_OVERLAY_CHARS + 20})."
        )
        field.value = field.value[:MAX_OVERLAY_CHARS]
        await pilot.press("enter")
        result = await dismissed(pilot, app)
    assert result == OverlayTextRequest("y" * MAX_OVERLAY_CHARS)


async def test_role_dialog_proposes_the_other_role() -> None:
    app = DialogHost(RoleDialog("Carol", "HOST"))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert "Carol is a Host now." in screen_text(app)
        await pilot.press("enter")
        assert await dismissed(pilot, app) == RoleRequest("guest")


async def test_role_dialog_arrow_chooses() -> None:
    app = DialogHost(RoleDialog("Carol", "guest"))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("right", "enter")
        result = await dismissed(pilot, app)
    assert result == RoleRequest("guest")
    assert result.to_body() == {"role": "guest"}


@pytest.mark.parametrize(
    ("keys", "expected"),
    [(("enter",), False), (("y",), True), (("escape",), False), (("tab", "enter"), True)],
)
async def test_confirm(keys: tuple[str, ...], expected: bool) -> None:
    app = DialogHost(ConfirmScreen(f"Disconnect {HOSTILE}?", detail="No way back."))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert "Disconnect [bold]x[/bold]?" in screen_text(app)
        await pilot.press(*keys)
        assert await dismissed(pilot, app) is expected


async def test_every_dialog_fits_80x24_without_scrolling() -> None:
    from pextui.tui.screens.extension_prompt import ExtensionPromptScreen
    from pextui.tui.screens.pin_prompt import PinPromptScreen

    dialogs: list[FormDialog[Any]] = [
        TransferDialog(HOSTILE),
        DialDialog(),
        LayoutDialog(auditorium=True),
        DtmfDialog("Alice"),
        OverlayTextDialog("Alice", current="Chair"),
        RoleDialog("Alice"),
        PinPromptScreen("meet.demo", guest_pin=False, error="Invalid PIN"),
        ExtensionPromptScreen("reception"),
    ]
    app = DialogHost(ConfirmScreen("Disconnect everyone?", detail="All 20,000 of them."))
    async with app.run_test(size=(80, 24)) as pilot:
        for dialog in dialogs:
            await app.push_screen(dialog)
            await pilot.pause()
            dialog.show_error("A long error message that wraps " * 3)
            await pilot.pause()
            box = dialog.query_one("#dialog")
            assert box.max_scroll_y == 0, type(dialog).__name__
            submit = dialog.query_one("#submit", Button).region
            assert submit.bottom <= 24 and submit.right <= 80, type(dialog).__name__
            dialog.dismiss(None)
            await pilot.pause()
