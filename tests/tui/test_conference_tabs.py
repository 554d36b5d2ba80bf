"""The tab strip's badges (pure functions) and the background watch's rules."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from rich.cells import cell_len

from pextui.tui.attention import Seen, watch
from pextui.tui.widgets.conference_tabs import TabBadge, strip_content

HOSTILE = "[@click=app.quit]x[/] \x1b[31mred $var"


def badges() -> list[TabBadge]:
    return [
        TabBadge(1, "Demo Meeting", "live", 14, 0, 0, front=True),
        TabBadge(2, "Board Meeting", "reconnecting", 4, 2, 1, attention="Ben raised a hand"),
        TabBadge(3, HOSTILE, "failed"),
    ]


def test_full_badges_when_they_fit() -> None:
    text = strip_content(badges(), 200).plain
    assert "1 Demo Meeting live 14 in" in text
    assert "2 Board Meeting reconnecting 4 in · 2 waiting · 1 hand ! Ben raised a hand" in text
    assert "3 [@click=app.quit]x[/]" in text and "failed" in text  # literal, no counts
    assert "\x1b" not in text


def test_short_badges_fit_a_narrow_terminal() -> None:
    for width in (80, 60, 40):
        content = strip_content(badges(), width)
        assert content.cell_length <= width
        assert cell_len(content.plain) <= width
    text = strip_content(badges()[:2], 80).plain
    assert "1 Demo Meeting ● 14p" in text and "4p 2w 1h !" in text


def test_the_front_badge_is_highlighted() -> None:
    content = strip_content(badges()[:2], 200)
    styles = [str(span.style) for span in content.spans]
    assert any("reverse" in style for style in styles)


@dataclass
class FakeStore:
    waiting_room: tuple[str, ...] = ()
    raised_hands: tuple[str, ...] = ()
    roster: dict[str, Any] = field(default_factory=dict)
    status: Any = None
    syncing: bool = False
    me: object = object()

    @property
    def waiting_count(self) -> int:
        return len(self.waiting_room)

    @property
    def hands_count(self) -> int:
        return len(self.raised_hands)

    def newest_waiting(self) -> str | None:
        return self.waiting_room[-1] if self.waiting_room else None

    def newest_hand(self) -> str | None:
        return self.raised_hands[-1] if self.raised_hands else None


@dataclass
class FakeConnection:
    state: str = "live"
    detail: str = ""


@dataclass
class FakeConsole:
    store: FakeStore = field(default_factory=FakeStore)
    connection: FakeConnection = field(default_factory=FakeConnection)
    calls: list[tuple[str, str]] = field(default_factory=list)

    def attention(self, message: str, *, title: str = "") -> None:
        self.calls.append((title, message))


@dataclass
class FakeTab:
    console: FakeConsole
    seen: Seen = field(default_factory=Seen)


def test_watch_reports_what_changed_behind_only() -> None:
    front, back = FakeTab(FakeConsole()), FakeTab(FakeConsole())
    tabs: list[Any] = [front, back]
    watch(tabs, front)  # first look: the synced roster's counts are not news
    assert back.console.calls == []
    back.console.store.raised_hands = ("u1",)
    front.console.store.raised_hands = ("u2",)
    watch(tabs, front)
    assert back.console.calls == [("Raised hand", "someone raised a hand")]
    assert front.console.calls == []  # the one in front is on screen already
    back.console.connection.state = "reconnecting"
    watch(tabs, front)
    assert back.console.calls[-1] == ("Stream lost", "Event stream lost, reconnecting")
    back.console.connection.state = "live"
    watch(tabs, front)
    assert back.console.calls[-1] == ("Stream back", "Event stream back (rejoined)")
    # a resync (or a new store) brings people who were there already: no news
    back.console.store = FakeStore(waiting_room=("a", "b"), syncing=True)
    watch(tabs, front)
    back.console.store.syncing = False
    watch(tabs, front)
    assert len(back.console.calls) == 3
