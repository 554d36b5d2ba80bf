"""While a consult is about a participant, their row says "transfer pending to X" (the alias
literal), in short ("→X") where the row is too narrow for the words, never shifting the
row's columns; the consult panel says it in full. Rows without a terminal, then the console
against the simulator at 80x24 and on a wide terminal."""

from __future__ import annotations

import pytest
from rich.cells import cell_len
from rich.style import Style
from textual.widgets import Static

from pextui.protocol.models import Participant
from pextui.sim.server import SimServer
from pextui.tui.host.consult import pending_mark
from pextui.tui.widgets.roster import Roster
from pextui.tui.widgets.roster_columns import RowFacts, header, row
from tests.tui.attended_helpers import GREEN, MAIN, SPEAKER, Rooms, names_in, two_rooms

NOW = 1_700_000_000.0
BEN = Participant(uuid="u1", display_name="Ben Tanaka", role="guest", start_time=NOW - 30)


def plain(name: str) -> Style:
    return Style()


def marked(target: str, width: int, participant: Participant = BEN) -> str:
    words, short = pending_mark(target)
    facts = RowFacts(now=NOW, vad=0.0, spotlight_order=0, pending=words, pending_short=short)
    text = row(participant, facts, width, False, plain)
    assert text.cell_len == width
    return text.plain


def column_of(width: int, title: str) -> int:
    return header(width, Style()).plain.index(title)  # the header is ASCII: chars = cells


def from_cell(line: str, cell: int) -> str:
    """What ``line`` shows from terminal cell ``cell`` on (wide characters take two)."""
    used = 0
    for index, char in enumerate(line):
        if used >= cell:
            return line[index:]
        used += cell_len(char)
    return ""


@pytest.mark.parametrize("width", [82, 120])
def test_the_words_where_they_fit(width: int) -> None:
    text = marked("meet.demo", width)
    if width == 120:
        assert "Ben Tanaka (transfer pending to meet.demo)" in text
    else:  # 23 cells of name: the short form, the name kept whole
        assert "Ben Tanaka (→meet.demo)" in text
    assert "…" not in text  # a mark, not an ongoing verb ("muting…")
    assert from_cell(text, column_of(width, "Role")).startswith("guest")


@pytest.mark.parametrize("width", [50, 60, 78, 82])
def test_narrow_rows_keep_their_columns(width: int) -> None:
    for target in ("meet.demo", "a-very-long-conference-alias.example.com", "会議室"):
        text = marked(target, width)
        assert from_cell(text, column_of(width, "Role")).startswith("guest"), (width, target)
        assert "→" in text
    assert "Ben Tanaka (→meet.demo)" in marked("meet.demo", 78)


def test_a_hostile_alias_is_literal_and_bounded() -> None:
    words, short = pending_mark("[b]x[/b]\x1b[31m\u202e" + "y" * 100)
    assert words.startswith("transfer pending to [b]x[/b]") and short.startswith("→[b]x[/b]")
    for mark in (words, short):
        assert "\x1b" not in mark and "\u202e" not in mark
    assert cell_len(short) <= 25
    assert pending_mark("") == ("", "")
    wide = "会議室" * 10  # two cells each: the row still measures its width in cells
    assert from_cell(marked(wide, 78), column_of(78, "Role")).startswith("guest")


def header_line(rooms: Rooms) -> str:
    widget = rooms.screen.query_one("#roster-header", Static)
    return str(widget.render_line(0).text)


def roster_line(rooms: Rooms, name: str) -> str:
    roster = rooms.screen.query_one(Roster)
    lines = [roster.render_line(y).text for y in range(roster.size.height)]
    return next(line for line in lines if name in line)


async def consulting(rooms: Rooms) -> None:
    await rooms.consult_about_speaker()
    consult = await rooms.until(lambda: rooms.consult, "a consult")
    await rooms.until(lambda: consult.message_state == "sent", "message sent")
    assert SPEAKER in names_in(rooms.sim, GREEN) and SPEAKER not in names_in(rooms.sim, MAIN)


async def test_at_80x24_the_row_is_marked_and_the_panel_says_it(simulator: SimServer) -> None:
    async with two_rooms(simulator, size=(80, 24)) as rooms:
        await consulting(rooms)
        await rooms.until(lambda: "(→meet.demo)" in roster_line(rooms, "Ben"), "the mark")
        line, head = roster_line(rooms, "Ben"), header_line(rooms)
        assert line[head.index("Role") :].startswith("guest")  # the columns stay put
        assert line[head.index("Aud") :].startswith("on")
        panel = rooms.panel_text()
        assert "consulting · transfer pending to meet.demo · message sent" in panel
        # swapped: the target's screen says it in its panel too
        await rooms.press("O")
        await rooms.front(MAIN)
        await rooms.until(lambda: "transfer pending to meet.demo" in rooms.panel_text(), "there")


async def test_a_wide_terminal_shows_the_words_on_the_row(simulator: SimServer) -> None:
    async with two_rooms(simulator, size=(200, 40)) as rooms:
        await consulting(rooms)
        await rooms.until(
            lambda: "Ben Tanaka (transfer pending to meet.demo)" in roster_line(rooms, "Ben"),
            "the words on the row",
        )
        line, head = roster_line(rooms, "Ben"), header_line(rooms)
        assert line[head.index("Role") :].startswith("guest")
        await rooms.press("N")  # abort: the mark goes
        await rooms.until(lambda: "pending" not in roster_line(rooms, "Ben"), "no mark")
