"""KeysFooter: a key that becomes enabled or not is redrawn in place; other changes compose.

Textual's Footer mounts all its keys anew on every bindings change, which lays the whole
screen out again; KeysFooter keeps its key widgets when the same keys are drawn.
"""

from __future__ import annotations

from typing import Any, ClassVar

from textual.app import App, ComposeResult
from textual.binding import Binding, BindingType
from textual.pilot import Pilot
from textual.screen import Screen
from textual.widget import Widget

from pextui.tui.widgets.footer import KeysFooter


class KeysScreen(Screen[None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("v", "video", "Video"),
        Binding("m", "mute", "Mute"),
        Binding("x", "extra", "Extra"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.video_ok = True
        self.extra_shown = False
        self.videos = 0

    def compose(self) -> ComposeResult:
        yield KeysFooter()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "video":
            return True if self.video_ok else None  # None: shown dimmed
        if action == "extra":
            return self.extra_shown  # False: not shown at all
        return True

    def action_video(self) -> None:
        self.videos += 1


class KeysApp(App[None]):
    def on_mount(self) -> None:
        self.push_screen(KeysScreen())


def keys(screen: Screen[Any]) -> dict[str, Widget]:
    return {str(getattr(key, "action", "")): key for key in screen.query("FooterKey")}


async def changed(pilot: Pilot[None], screen: KeysScreen) -> None:
    screen.refresh_bindings()
    for _ in range(3):
        await pilot.pause()


async def test_a_key_dims_in_place_and_a_new_key_composes_the_footer() -> None:
    app = KeysApp()
    async with app.run_test(size=(80, 10)) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, KeysScreen)
        before = keys(screen)
        assert set(before) == {"video", "mute", "command_palette"}
        assert not before["video"].has_class("-disabled")

        screen.video_ok = False
        await changed(pilot, screen)
        dimmed = keys(screen)
        assert all(dimmed[name] is before[name] for name in before)  # the same widgets
        assert dimmed["video"].has_class("-disabled")
        assert not dimmed["mute"].has_class("-disabled")
        await pilot.click(dimmed["video"])  # a dimmed key beeps instead of acting
        assert screen.videos == 0

        screen.video_ok = True
        await changed(pilot, screen)
        again = keys(screen)
        assert again["video"] is before["video"] and not again["video"].has_class("-disabled")
        await pilot.click(again["video"])
        await pilot.pause()
        assert screen.videos == 1

        screen.extra_shown = True  # another key: the footer is composed again
        await changed(pilot, screen)
        composed = keys(screen)
        assert set(composed) == {"video", "mute", "extra", "command_palette"}
        assert composed["video"] is not before["video"]
