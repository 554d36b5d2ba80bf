"""The status bar: conference, role, flags, counts, connection state and meeting duration."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from rich.style import Style
from rich.text import Text
from textual.widget import Widget

from pextui.sanitize import safe_text
from pextui.tui.present import clock_duration


@dataclass(frozen=True, slots=True)
class Connection:
    """The event stream's state as the console shows it."""

    state: str = "connecting"  # connecting | live | reconnecting | ended | token
    attempt: int = 0
    retry_at: float = 0.0  # clock time of the next attempt (reconnecting)
    detail: str = ""


@dataclass(frozen=True, slots=True)
class StatusInfo:
    conference: str = ""
    alias: str = ""  # the conference's own alias
    via: str = ""  # the Virtual Reception joined through, if any
    role: str = ""
    locked: bool = False
    guests_muted: bool = False
    guests_can_unmute: bool = False
    started: bool = True
    presenter: str = ""
    participants: int = 0
    waiting: int = 0
    hands: int = 0
    connection: Connection = Connection()
    since: float = 0.0  # clock time the meeting started (0 = unknown)
    now: float = 0.0


class StatusBar(Widget):
    """Two lines at the top of the conference screen."""

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "status--title",
        "status--role",
        "status--good",
        "status--warn",
        "status--bad",
        "status--dim",
    }
    DEFAULT_CSS = """
    StatusBar { height: 2; }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.info = StatusInfo()

    def show(self, info: StatusInfo) -> None:
        if info != self.info:
            self.info = info
            self.refresh()

    def render(self) -> Text:
        def style(name: str) -> Style:
            return self.get_component_rich_style(name, partial=True)

        info = self.info
        title, dim = style("status--title"), style("status--dim")
        good, warn, bad = style("status--good"), style("status--warn"), style("status--bad")
        text = Text(no_wrap=True, overflow="ellipsis")
        text.append(f" {safe_text(info.conference or info.alias, 60)} ", title)
        if info.alias and info.conference and info.alias != info.conference:
            text.append(f" {safe_text(info.alias, 60)}", dim)
        if info.via:
            text.append(f" via {safe_text(info.via, 40)}", dim)
        text.append("  ")
        text.append(f" {info.role or '?'} ", style("status--role"))
        text.append("  ")
        text.append_text(self._connection(info, good, warn, bad))
        if info.since:
            text.append("  meeting ", dim)
            text.append(clock_duration(info.now - info.since))
        text.append("\n ")
        text.append(f"{info.participants} in", good)
        text.append(" · ", dim)
        text.append(f"{info.waiting} waiting", warn if info.waiting else dim)
        text.append(" · ", dim)
        text.append(f"{info.hands} hands", warn if info.hands else dim)
        text.append(" │ ", dim)
        text.append("locked" if info.locked else "unlocked", bad if info.locked else dim)
        text.append(" · ", dim)
        text.append(
            "guests muted" if info.guests_muted else "guests unmuted",
            bad if info.guests_muted else dim,
        )
        if info.guests_muted:
            text.append(" (can unmute)" if info.guests_can_unmute else " (can't unmute)", dim)
        if not info.started:
            text.append(" · ", dim)
            text.append("not started", warn)
        if info.presenter:
            text.append(" │ ", dim)
            text.append("presenting: ", dim)
            text.append(safe_text(info.presenter, 40), good)
        return text

    @staticmethod
    def _connection(info: StatusInfo, good: Style, warn: Style, bad: Style) -> Text:
        conn = info.connection
        if conn.state == "live":
            return Text("● live", style=good)
        if conn.state == "reconnecting":
            wait = max(0, round(conn.retry_at - info.now))
            label = f"◌ reconnecting (attempt {conn.attempt}, {wait}s)"
            return Text(label, style=warn)
        if conn.state == "ended":
            reason = safe_text(conn.detail, 60) or "disconnected"
            return Text(f"✕ {reason}", style=bad)
        if conn.state == "token":
            return Text(f"◌ token trouble: {safe_text(conn.detail, 50)}", style=warn)
        return Text("◌ connecting", style=warn)
