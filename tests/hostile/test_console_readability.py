"""The conference screen reads well: Escape closes the event log and the chat keeps its
border while it is open; the stage names the layout in words; at 80x24 and 60x20 a waiting
guest is still told apart, invite links break only between their parts, and help entries
stay on one line where they fit."""

from __future__ import annotations

import itertools

import pytest

from pextui.sim.participants import make_participant
from pextui.sim.server import SimServer
from pextui.tui.present import url_lines
from pextui.tui.screens.help import HelpScreen
from pextui.tui.screens.invite import InviteDialog, UrlText
from pextui.tui.widgets.event_log import EventLog
from pextui.tui.widgets.panels import StagePanel
from tests.hostile.hostile_setup import screen_text
from tests.tui.console_helpers import ALIAS, running_console


async def test_escape_closes_the_event_log_and_the_chat_keeps_its_border(
    simulator: SimServer,
) -> None:
    async with running_console(simulator, size=(120, 36)) as console:
        screen = console.screen
        log = screen.query_one(EventLog)
        await console.press("e")
        await console.until(lambda: log.display and log.region.height > 0, "the event log")
        await console.pilot.pause()
        side, chat = screen.query_one("#side").region, screen.query_one("#chat").region
        assert chat.height >= 4 and chat.bottom <= side.bottom, (chat, side)
        lines = screen_text(console.app).splitlines()
        assert "╰" in lines[chat.bottom - 1][chat.x : chat.right], "the chat's bottom border"
        await console.press("escape")
        await console.until(lambda: not log.display, "the event log closed")


async def test_the_stage_names_the_layout_in_words(simulator: SimServer) -> None:
    async with running_console(simulator) as console:
        stage = console.screen.query_one(StagePanel)
        await console.until(lambda: "Layout: " in stage.render().plain, "the stage header")
        await console.until(
            lambda: "Adaptive Composition (ac)" in stage.render().plain, "the layout in words"
        )


@pytest.mark.parametrize("size", [(80, 24), (60, 20)])
async def test_narrow_terminals(simulator: SimServer, size: tuple[int, int]) -> None:
    conference = simulator.node.conferences[ALIAS]
    waiting = make_participant(
        display_name="Wendy Waiting", role="guest", protocol="webrtc",
        service_type="waiting_room", local_alias=ALIAS, start_time=conference.clock(),
    )  # fmt: skip
    simulator.run_on_loop(lambda: conference.add(waiting))
    async with running_console(simulator, guests=("Alice",), size=size) as console:
        await console.until(lambda: "Wendy" in "\n".join(console.roster_lines()), "Wendy")
        wendy = console.roster_row("Wendy")
        alice = console.roster_row("Alice")
        assert "waiting" in wendy and "waiting" not in alice, (wendy, alice)

        await console.press("i")
        dialog = await console.until(
            lambda: isinstance(console.app.screen, InviteDialog) and console.app.screen, "invite"
        )
        await console.until(
            lambda: all(w.size.width and w.size.height for w in dialog.query(UrlText)),
            "the links laid out",
        )
        for widget in dialog.query(UrlText):
            drawn = [
                strip.text.rstrip()
                for strip in (widget.render_line(y) for y in range(widget.size.height))
            ]
            assert "".join(drawn) == widget.url, drawn
            for before, after in itertools.pairwise(drawn):
                assert before.endswith("/") or after[:1] in "?&#", (before, after)
            assert all(len(line) <= widget.size.width for line in drawn)
        await console.press("escape")

        await console.press("question_mark")
        await console.until(lambda: isinstance(console.app.screen, HelpScreen), "help")
        await console.until(
            lambda: (
                "Lower hand" in screen_text(console.app) or "Spotlight" in screen_text(console.app)
            ),
            "the help drawn",
        )
        text = screen_text(console.app)
        if size[0] >= 80:
            assert "Role: Make the participant host or guest" in text
        assert "Lower hand" in text or "Spotlight" in text


def test_url_lines_break_between_parts_only() -> None:
    url = "https://node.example.com/webapp/conference/meet.demo?role=guest&name=Ann"
    assert url_lines(url, 200) == [url]
    lines = url_lines(url, 30)
    assert "".join(lines) == url
    assert lines == [
        "https://node.example.com/",
        "webapp/conference/meet.demo",
        "?role=guest&name=Ann",
    ]
