"""The hostile corpus as display names, chat messages, stage and presenter names in the real
console, fed by the simulator over loopback: shown literally (markup stays text), no escape
or control character reaches the screen, absurdly long values are truncated."""

from __future__ import annotations

import contextlib

from textual.widgets import RichLog

from pextui.sim.server import SimServer
from pextui.tui.widgets.panels import StagePanel
from pextui.tui.widgets.status_bar import StatusBar
from tests.chaos.chaos_console import Console, running_console
from tests.chaos.chaos_helpers import chaos_config
from tests.hostile.corpus import BY_KEY, CORPUS, FORBIDDEN_IN_OUTPUT, LONG, unsafe_characters
from tests.hostile.hostile_setup import (
    add_hostile_participants,
    hostile_meeting,
    hostile_uuid,
    terminal_output,
)

SIZE = (200, 60)


def chat_lines(console: Console) -> list[str]:
    log = console.screen.query_one("#chat-log", RichLog)
    return [strip.text for strip in log.lines]


def roster_line(console: Console, uuid: str) -> str:
    roster = console.roster
    position = console.store.index.position(uuid)
    assert position is not None, f"{uuid} is not in the roster"
    return roster.render_line(position - int(roster.scroll_offset.y)).text


def assert_clean(where: str, lines: list[str]) -> None:
    for line in lines:
        assert unsafe_characters(line) == [], f"{where}: {line[:80]!r}"
        assert LONG[:400] not in line, f"{where}: a 100,000-character value was not truncated"


async def test_hostile_names_and_chat_are_shown_literally() -> None:
    with SimServer(chaos_config()) as sim:
        async with running_console(sim, size=SIZE) as console:
            uuids = add_hostile_participants(sim)
            hostile_meeting(sim, uuids)
            await console.until(
                lambda: len(chat_lines(console)) >= len(CORPUS) and console.store.presentation,
                10,
                "the hostile chat",
            )

            def everywhere() -> bool:
                """Every hostile entry in its roster row, the chat and the event log."""
                if any(console.store.index.position(uuid) is None for uuid in uuids):
                    return False
                presenter = BY_KEY["markup-bold"].visible[:18]
                if presenter not in console.screen.query_one(StatusBar).render().plain:
                    return False  # the status bar's summaries are redrawn 4x a second
                chat_text = "\n".join(chat_lines(console))
                joined = [line for line in console.log_lines() if line.endswith(" joined")]
                return all(
                    entry.visible[:18] in roster_line(console, uuid)
                    and entry.visible in chat_text
                    and any(entry.visible[:40] in line for line in joined)
                    for entry, uuid in zip(CORPUS, uuids, strict=True)
                )

            with contextlib.suppress(AssertionError):  # the checks below name what is missing
                await console.until(everywhere, 10, "the hostile entries drawn")
            roster_lines = [roster_line(console, uuid) for uuid in uuids]
            chat = chat_lines(console)
            events = console.log_lines()
            stage = console.screen.query_one(StagePanel).render().plain
            status = console.screen.query_one(StatusBar).render().plain
            for where, lines in (
                ("roster", roster_lines),
                ("chat", chat),
                ("event log", events),
                ("stage", stage.splitlines()),
                ("status bar", status.splitlines()),
            ):
                assert_clean(where, lines)
            chat_text = "\n".join(chat)
            for entry, line in zip(CORPUS, roster_lines, strict=True):
                shown = entry.visible[:18]  # the name column is at least 20 cells wide
                assert shown in line, f"roster: {entry.key}: {line[:60]!r}"
                assert entry.visible in chat_text, f"chat: {entry.key}"
                joined = [line for line in events if line.endswith(" joined")]
                assert any(entry.visible[:40] in line for line in joined), f"log: {entry.key}"
            # the 100,000-character name and message were cut with an ellipsis
            assert any("LongLLL" in line and "…" in line for line in roster_lines)
            assert any("LongLLL" in line and "…" in line for line in chat)
            assert BY_KEY["markup-bold"].visible[:18] in stage
            assert BY_KEY["markup-bold"].visible[:18] in status  # the presenter
            output = terminal_output(console.app)
            for sequence in FORBIDDEN_IN_OUTPUT:
                assert sequence not in output, f"{sequence!r} reached the terminal"
            assert hostile_uuid(CORPUS[0]) in console.store.roster
