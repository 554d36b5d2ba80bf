"""Every Textual sink that would read a ``str`` as markup or as an action, fed by
`pextui.tui.literal.literal` with markup-like strings: shown literally, no exception, and
clicking it runs nothing.

The sinks: palette hits and their help, notifications and their titles, tooltips, border and
tab titles, option and select labels, screen titles (the header) and the footer."""

from __future__ import annotations

import pytest
from textual import events
from textual.app import ComposeResult
from textual.command import CommandInput, CommandList, CommandPalette, Hit, Hits, Provider
from textual.containers import Vertical
from textual.screen import Screen
from textual.widgets import Footer, Header, OptionList, Select, Static, Tab, Tabs
from textual.widgets.option_list import Option

from pextui.sanitize import safe_text
from pextui.tui.app import PextuiApp
from pextui.tui.commands import help_text
from pextui.tui.literal import highlighted, literal
from tests.hostile.corpus import MARKUP_LIKE
from tests.hostile.hostile_setup import screen_text


class Echo(Provider):
    """Offers one hit per markup-like string, with the string as help as well."""

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for text in MARKUP_LIKE:
            yield Hit(
                1.0, highlighted(matcher, text), self.app.bell, text=text, help=help_text(text)
            )


class SinkScreen(Screen[None]):
    """The sinks, on a screen of their own (the app's home mode screen has no toast rack)."""

    def __init__(self, text: str) -> None:
        super().__init__()
        self.text = text

    def compose(self) -> ComposeResult:
        yield Header()
        box = Vertical(id="box")
        box.border_title = literal(self.text)
        box.border_subtitle = literal(self.text)
        with box:
            tip = Static(literal(self.text), id="tipped")
            tip.tooltip = literal(self.text)
            yield tip
            yield Tabs(Tab(literal(self.text), id="tab"))
            yield OptionList(Option(literal(self.text)), id="options")
            yield Select([(literal(self.text), 1)], value=1, allow_blank=False, id="select")
        yield Footer()


class Sinks(PextuiApp):
    """Each sink shows one untrusted string; `action_steer` records any action it triggers."""

    COMMANDS = {Echo}
    CSS = "#box { border: round $accent; height: auto; } OptionList { height: 3; }"

    def __init__(self, text: str) -> None:
        super().__init__()
        self.text = text
        self.steered: list[str] = []

    async def on_mount(self, event: events.Mount) -> None:
        event.prevent_default()  # not the connect screen of PextuiApp
        await self.push_screen(SinkScreen(self.text))
        self.screen.title = safe_text(self.text)
        self.screen.sub_title = safe_text(self.text)
        self.bind("f9", "bell", description=safe_text(self.text))
        self.notify(self.text, title=self.text, timeout=600)

    def action_steer(self, *args: object) -> None:
        self.steered.append(repr(args))

    async def action_quit(self) -> None:
        self.steered.append("quit")


@pytest.mark.parametrize("text", MARKUP_LIKE)
async def test_every_sink_shows_markup_literally_and_clicks_run_nothing(text: str) -> None:
    app = Sinks(text)
    shown = safe_text(text)
    async with app.run_test(size=(140, 40), tooltips=True) as pilot:
        screen = screen_text(app)
        for _ in range(200):  # the notification's toast arrives a little later
            if screen.count(shown[:30]) >= 9:
                break
            await pilot.pause(0.05)
            screen = screen_text(app)
        # header title + sub-title, border title + subtitle, static, tab, option, select,
        # the footer's description and the notification's title and message
        assert screen.count(shown[:30]) >= 9, screen
        # click wherever an action or link would be drawn: where it starts and mid-way
        for y in range(40 if "@click" in text or "link" in text else 0):
            line = screen_text(app).splitlines()[y]  # read again: focus changes the footer
            start = line.find(shown[:30])
            while start >= 0:
                for x in {start, start + 2, start + min(len(shown), 30) // 2}:
                    await pilot.click(offset=(x, y))
                start = line.find(shown[:30], start + 1)
        await pilot.pause()
        assert app.is_running and app.steered == []
        # the tooltip
        await pilot.hover("#tipped")
        tooltip = app.screen.query_one("#textual-tooltip")
        for _ in range(200):  # it shows after Textual's hover delay
            if tooltip.display:
                break
            await pilot.pause(0.05)
        assert tooltip.display and shown[:30] in str(tooltip.render())
        assert app.is_running and app.steered == []
        # the palette: hits and their help
        await pilot.press("escape")
        app.action_command_palette()
        await pilot.pause()
        palette = app.screen
        assert isinstance(palette, CommandPalette)
        palette.query_one(CommandInput).value = "a"
        hits = palette.query_one(CommandList)
        for _ in range(200):
            if hits.option_count >= len(MARKUP_LIKE):
                break
            await pilot.pause(0.02)
        plains = [str(hits.get_option_at_index(i).prompt) for i in range(hits.option_count)]
        assert any(f"{text}\n{text}" == plain for plain in plains), plains
        await pilot.pause()
        assert app.is_running and app.steered == []


def test_literal_never_parses_markup_or_variables() -> None:
    for text in MARKUP_LIKE:
        content = literal(text)
        assert content.plain == safe_text(text)
        assert content.spans == []
        assert "$" not in text or "$" in content.plain
