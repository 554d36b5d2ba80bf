"""The command palette with hostile names: no crash on markup-like names, nothing in a name
becomes a link or an action, and searching finds names with broken markup."""

from __future__ import annotations

import pytest
from textual.command import CommandInput, CommandList, CommandPalette
from textual.content import Content

from pextui.sim.server import SimServer
from tests.tui.console_helpers import Console, running_console

LINK = "[link=https://evil.example]Evil[/link]"
CLICK = "[@click=app.quit]Click me[/]"
BROKEN = "<!--[if<img src=x onerror=javascript:alert(1)//]> -->"


def prompts(palette: CommandPalette) -> list[Content]:
    """What each hit shows (the palette turns every prompt into Content before showing it)."""
    hits = palette.query_one(CommandList)
    options = [hits.get_option_at_index(i) for i in range(hits.option_count)]
    return [option.prompt for option in options if isinstance(option.prompt, Content)]


async def open_palette(console: Console) -> CommandPalette:
    await console.press("ctrl+p")
    palette = await console.until(
        lambda: isinstance(console.app.screen, CommandPalette) and console.app.screen, "palette"
    )
    assert isinstance(palette, CommandPalette)
    return palette


async def search_done(console: Console, palette: CommandPalette) -> None:
    """The palette's search has finished (its hits arrive in batches from a worker)."""
    await console.until(
        lambda: not [w for w in palette.workers if w.node is palette and not w.is_finished],
        "the search to finish",
    )
    await console.pilot.pause()


async def test_palette_on_a_markup_named_participant_does_not_crash(simulator: SimServer) -> None:
    async with running_console(simulator, guests=(LINK, "Alice")) as console:
        await console.cursor_on(LINK)
        palette = await open_palette(console)
        await console.until(lambda: palette.query_one(CommandList).option_count > 0, "hits")
        await search_done(console, palette)
        texts = [prompt.plain for prompt in prompts(palette)]
        assert any(f"Mute {LINK}" in text for text in texts), texts
        for prompt in prompts(palette):
            for span in prompt.spans:
                assert "link" not in str(span.style), (prompt.plain, span)
        assert console.app.is_running


@pytest.mark.parametrize("name", [CLICK, BROKEN, LINK, "$name [b]$x[/b]"])
async def test_go_to_shows_the_name_literally_and_clicking_it_only_goes_there(
    simulator: SimServer, name: str
) -> None:
    async with running_console(simulator, guests=(name, "Alice")) as console:
        palette = await open_palette(console)
        palette.query_one(CommandInput).value = "go to"
        hits = palette.query_one(CommandList)
        wanted = f"Go to {name}"
        await console.until(
            lambda: any(wanted in p.plain for p in prompts(palette)), f"a hit for {name!r}"
        )
        await search_done(console, palette)
        index = next(i for i, p in enumerate(prompts(palette)) if wanted in p.plain)
        prompt = prompts(palette)[index]
        assert all("@click" not in str(span.style) for span in prompt.spans)
        # a search for the name's own text finds it (broken markup does not hide it)
        palette.query_one(CommandInput).value = name[:12]
        await console.until(
            lambda: any(wanted in p.plain for p in prompts(palette)), f"a search for {name!r}"
        )
        await search_done(console, palette)
        # click the hit on the row where the name is drawn: it goes to the participant
        # (scrolled into view first: with several conferences the palette offers more hits)
        found = [
            i for i in range(hits.option_count) if wanted in str(hits.get_option_at_index(i).prompt)
        ]
        hits.highlighted = found[0]
        hits.scroll_to_highlight()
        await console.pilot.pause()
        rows = [hits.render_line(y).text for y in range(hits.size.height)]
        row = next(y for y, text in enumerate(rows) if wanted in text)
        column = rows[row].index(wanted) + len("Go to ") + 2
        gutter = hits.gutter  # offsets count from the border, rendered lines from inside it
        await console.pilot.click(CommandList, offset=(column + gutter.left, row + gutter.top))
        await console.pilot.pause()
        assert console.app.is_running
        await console.until(
            lambda: console.roster.cursor_uuid == console.uuid(name), "the cursor on the name"
        )
