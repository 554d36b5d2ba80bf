"""The roster's finished lines: the same strips Textual's own style pass makes (so the screen
is unchanged), kept across frames (a scroll or a frame where nothing changed draws no row
again), and drawn again when focus, a selection, the cursor or the participant changes."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from textual.app import App, ComposeResult
from textual.geometry import Region
from textual.strip import Strip
from textual.widget import Widget
from textual.widgets import Input

from pextui.protocol.models import Participant
from pextui.tui.widgets import roster_paint
from pextui.tui.widgets.roster import Roster
from pextui.tui.widgets.roster_columns import RowFacts

NOW = 1_700_000_000.0
FACTS = RowFacts(now=NOW + 600, vad=0.0, spotlight_order=0, pending="")
SHEET = Path(__file__).resolve().parents[2] / "styles" / "conference.tcss"


@dataclass
class Record:
    participant: Participant
    version: int = 1


class Index:
    def __init__(self, uuids: list[str]) -> None:
        self.uuids = uuids

    def __len__(self) -> int:
        return len(self.uuids)

    def __getitem__(self, i: int) -> str:
        return self.uuids[i]

    def position(self, uuid: str) -> int | None:
        return self.uuids.index(uuid) if uuid in self.uuids else None


def people(count: int) -> tuple[Index, dict[str, Record]]:
    uuids = [f"u{i:04d}" for i in range(count)]
    records = {
        uuid: Record(
            Participant(
                uuid=uuid,
                display_name=f"Person {i}",
                role="chair" if i % 5 == 0 else "guest",
                is_muted="YES" if i % 3 else "NO",
                buzz_time=NOW if i % 4 == 0 else 0,
                protocol="sip",
                encryption="On",
                start_time=NOW,
            )
        )
        for i, uuid in enumerate(uuids)
    }
    return Index(uuids), records


class RosterApp(App[None]):
    CSS_PATH = SHEET

    def __init__(self, count: int = 200) -> None:
        super().__init__()
        self.index, self.records = people(count)
        self.asked: list[str] = []  # whose facts the roster asked for (it does so per row)

    def facts(self, uuid: str) -> RowFacts:
        self.asked.append(uuid)
        return FACTS

    def compose(self) -> ComposeResult:
        yield Roster(self.index, self.records, self.facts, id="roster")
        yield Input(id="other")


def textual_lines(roster: Roster, crop: Region) -> list[Strip]:
    """The lines as Textual's own style pass draws them (what the roster used to hand over)."""
    return Widget.render_lines(roster, crop)


def same(ours: list[Strip], theirs: list[Strip]) -> None:
    assert len(ours) == len(theirs)
    for y, (mine, textual) in enumerate(zip(ours, theirs, strict=True)):
        assert mine.cell_length == textual.cell_length, y
        assert list(mine) == list(textual) or list(mine.simplify()) == list(textual.simplify()), y


def counting_draws(monkeypatch: Any) -> list[str]:
    drawn: list[str] = []
    draw = roster_paint.RowPainter.draw

    def counted(self: Any, participant: Participant, *args: Any) -> Strip:
        drawn.append(participant.uuid)
        return draw(self, participant, *args)

    monkeypatch.setattr(roster_paint.RowPainter, "draw", counted)
    return drawn


async def test_lines_match_textuals_own_style_pass() -> None:
    app = RosterApp()
    async with app.run_test(size=(120, 30)) as pilot:
        roster = app.query_one(Roster)
        roster.focus()
        roster.selected.update({"u0002", "u0003"})
        roster.go_to("u0003")
        await pilot.pause()
        full = Region(0, 0, roster.size.width, roster.size.height)
        for crop in (full, Region(0, 2, roster.size.width, 5), Region(3, 0, 40, 10)):
            same(roster.render_lines(crop), textual_lines(roster, crop))
        app.query_one(Input).focus()  # the cursor's unfocused look
        await pilot.pause()
        same(roster.render_lines(full), textual_lines(roster, full))
        roster.go_to("u0060")
        await pilot.pause()
        assert roster.scroll_offset.y > 0
        same(roster.render_lines(full), textual_lines(roster, full))


async def test_a_scroll_draws_only_the_rows_that_come_into_view(monkeypatch: Any) -> None:
    app = RosterApp()
    async with app.run_test(size=(120, 30)) as pilot:
        await pilot.pause()
        roster = app.query_one(Roster)
        full = Region(0, 0, roster.size.width, roster.size.height)
        first = roster.render_lines(full)
        drawn = counting_draws(monkeypatch)
        app.asked.clear()
        assert roster.render_lines(full) == first  # nothing changed: the same strips
        assert drawn == [] and app.asked == []
        height = roster.size.height
        roster.go_to(app.index[height])  # the cursor one past the bottom: a scroll by one
        await pilot.pause()
        assert roster.scroll_offset.y == 1
        lines = roster.render_lines(full)
        # the cursor's new row (it may have been drawn before, at start-up); its old row is
        # out of view now
        assert set(drawn) <= {app.index[height]}
        assert all(a is b for a, b in zip(lines[:-1], first[1:], strict=True))
        assert set(app.asked) == {app.index[height]}  # the rows kept were not looked at
        same(lines, textual_lines(roster, full))


async def test_a_changed_participant_cursor_or_focus_is_drawn_again(monkeypatch: Any) -> None:
    app = RosterApp()
    async with app.run_test(size=(120, 30)) as pilot:
        roster = app.query_one(Roster)
        roster.focus()
        await pilot.pause()
        full = Region(0, 0, roster.size.width, roster.size.height)
        before = roster.render_lines(full)
        drawn = counting_draws(monkeypatch)
        record = app.records["u0004"]
        record.participant = record.participant.model_copy(update={"display_name": "Renamed"})
        record.version += 1
        roster.sync(["u0004"])
        lines = roster.render_lines(full)
        assert drawn == ["u0004"] and "Renamed" in lines[4].text
        drawn.clear()
        roster.action_cursor(1)
        await pilot.pause()
        lines = roster.render_lines(full)
        assert sorted(drawn) == ["u0000", "u0001"]  # the cursor's old and new rows
        drawn.clear()
        focused_cursor = lines[1]
        app.query_one(Input).focus()
        await pilot.pause()
        lines = roster.render_lines(full)
        assert list(lines[1]) != list(focused_cursor)  # the unfocused cursor looks different
        same(lines, textual_lines(roster, full))
        assert lines[5].text == before[5].text


async def test_the_scrollbar_is_repainted_only_when_it_draws_something_else() -> None:
    app = RosterApp(count=5000)
    async with app.run_test(size=(120, 30)) as pilot:
        await pilot.pause()
        roster = app.query_one(Roster)
        bar = roster.vertical_scrollbar
        area = Region(0, 0, bar.size.width, bar.size.height)
        repaints = 0
        refresh = bar.refresh

        def counted(*args: Any, **kwargs: Any) -> Any:
            nonlocal repaints
            repaints += 1
            return refresh(*args, **kwargs)

        bar.refresh = counted  # type: ignore[method-assign]
        steps = 400
        for step in range(steps):
            roster.action_cursor(1)
            if step % 50 == 0 or step == steps - 1:
                await pilot.pause()
                shown = bar.render_lines(area)
                refresh()  # what Textual draws when it repaints the bar now
                assert [list(s) for s in shown] == [list(s) for s in bar.render_lines(area)]
        await pilot.pause()
        assert roster.scroll_offset.y > 300 and bar.position == roster.scroll_offset.y
        assert 0 < repaints < steps // 4  # the thumb moved a few steps, not once per row


async def test_a_key_moves_from_the_participant_even_when_rows_moved_under_it() -> None:
    app = RosterApp()
    async with app.run_test(size=(120, 30)) as pilot:
        roster = app.query_one(Roster)
        roster.focus()
        roster.go_to("u0005")
        await pilot.pause()
        # someone joins above the cursor; the roster has not been told yet (its next tick)
        newcomer = "u0000a"
        app.records[newcomer] = Record(Participant(uuid=newcomer, display_name="Newcomer"))
        app.index.uuids.insert(1, newcomer)
        await pilot.press("down")
        assert roster.cursor_uuid == "u0006"  # the one after u0005, not u0005 again


async def test_a_scroll_after_rows_moved_shows_the_list_as_it_is_now() -> None:
    app = RosterApp()
    async with app.run_test(size=(120, 30)) as pilot:
        await pilot.pause()
        roster = app.query_one(Roster)
        roster.focus()
        height = roster.size.height
        full = Region(0, 0, roster.size.width, height)
        roster.go_to(app.index[height - 1])  # the cursor on the last row in view
        await pilot.pause()
        roster.render_lines(full)
        # a join above the view's rows, not yet drawn (the roster hears of it at its next
        # tick), then a key that scrolls by one
        newcomer = "u0000a"
        app.records[newcomer] = Record(Participant(uuid=newcomer, display_name="Newcomer"))
        app.index.uuids.insert(1, newcomer)
        await pilot.press("down")
        assert roster.scroll_offset.y >= 1
        same(roster.render_lines(full), textual_lines(roster, full))
