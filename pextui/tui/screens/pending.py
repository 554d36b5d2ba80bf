"""The bottom screen of a conference's tab: joining…, or why it failed or ended.

``PendingScreen(console, retry=..., close=...)`` is what a tab shows until its conference
screen is up (and again if that tab's join fails for good): the tab strip, the conference,
the state and the reason in words. ``r`` joins again with what was given, ``w`` closes the
tab; the keys to switch conferences work here as on the conference screen.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Static

from pextui.tui.host.actions import TAB_BINDINGS
from pextui.tui.literal import literal
from pextui.tui.stylesheets import CONFERENCE_CSS
from pextui.tui.visible import in_view
from pextui.tui.widgets.conference_tabs import ConferenceTabs
from pextui.tui.widgets.footer import KeysFooter

if TYPE_CHECKING:
    from pextui.tui.console import Console

TICK_S = 0.25


class PendingScreen(Screen[None]):
    """A tab whose conference is not (or no longer) joined."""

    CSS_PATH = CONFERENCE_CSS
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("r", "retry", "Retry", tooltip="Join this conference again"),
        Binding("w", "close_tab", "Close tab", tooltip="Close this conference's tab"),
        *TAB_BINDINGS,
    ]

    def __init__(
        self,
        console: Console,
        *,
        retry: Callable[[Console], None],
        close: Callable[[Console], Awaitable[None]],
    ) -> None:
        super().__init__()
        self.console = console
        self._retry = retry
        self._close = close
        self._drawn: tuple[str, ...] = ()

    def compose(self) -> ComposeResult:
        yield ConferenceTabs(id="tabs")
        yield Static(id="pending-message")
        yield KeysFooter()

    def on_mount(self) -> None:
        self.set_interval(TICK_S, self.redraw, name="pending-refresh")
        self.redraw()

    def message(self) -> tuple[str, ...]:
        """What the tab says: joining, or the reason it failed (and what to do)."""
        connection = self.console.connection
        name = self.console.title or "the conference"
        if connection.state == "ended":
            why = connection.detail or "failed"
            return (f"Not joined to {name}: {why}", "", "r: try again · w: close this tab")
        return (f"Joining {name}…",)

    def redraw(self) -> None:
        if not in_view(self):
            return  # under its conference screen: nothing to draw until it is back
        self.query_one(ConferenceTabs).show(self.console.tab_badges())
        lines = self.message()
        if lines != self._drawn:
            self._drawn = lines
            text = Content("\n").join([literal(line, 300) for line in lines])
            self.query_one("#pending-message", Static).update(text)
            self.refresh_bindings()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "retry":
            can = self.console.connection.state == "ended" and self.console.join_params
            return True if can else None
        return True

    def action_retry(self) -> None:
        self._retry(self.console)

    async def action_close_tab(self) -> None:
        await self._close(self.console)
