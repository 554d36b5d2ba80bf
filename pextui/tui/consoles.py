"""The open conferences: one :class:`Console` per tab, one tab in front.

:class:`Conferences` (the app's ``conferences``) is the app-level API for several
conferences at once:

* :meth:`Conferences.open` opens a tab for a :class:`JoinParams` (or an already connected
  session) and joins in the background; :meth:`switch_to`, :meth:`step` and
  :meth:`switch_number` bring a tab to the front; :meth:`close` leaves one;
* every tab is a Textual *mode* (its own screen stack): a :class:`PendingScreen` at the
  bottom (joining…, or why it failed), the conference screen above it once joined, and the
  tab's own dialogs above that, so a dialog never shows in another conference;
* every tab runs its event stream in its own worker (``session:<n>``, never exclusive, so
  one conference's join or rejoin cannot cancel another's stream); a failure stays in its
  own tab;
* a tab not in front draws nothing; :meth:`watch` (a few times a second) compares its counts
  and stream state with what was last seen and calls for attention
  (:meth:`pextui.tui.console.Console.attention`) when the host is needed there.
"""

from __future__ import annotations

import asyncio
import itertools
import logging
import time
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from textual.screen import Screen
from textual.worker import Worker, WorkerCancelled, WorkerFailed

from pextui.protocol.client import JoinParams
from pextui.sanitize import safe_text
from pextui.tui.attention import Seen, seen, watch
from pextui.tui.console import Console
from pextui.tui.joining.flow import join_with_prompts
from pextui.tui.screens.conference import ConferenceScreen
from pextui.tui.screens.confirm import ConfirmScreen
from pextui.tui.screens.pending import PendingScreen
from pextui.tui.widgets.conference_tabs import TabBadge
from pextui.tui.widgets.status_bar import Connection

if TYPE_CHECKING:
    from pextui.protocol.session import Session
    from pextui.tui.app import PextuiApp

log = logging.getLogger(__name__)

SESSION_GROUP = "session"
MODE_PREFIX = "conference-"
HOME_MODE = "home"  # the app's mode without a conference (the connect screen)
LEAVE_TIMEOUT_S = 3.0
WATCH_EVERY_S = 0.25
QUIET_S = 5.0  # a busy room behind raises one toast of a kind per this many seconds


@dataclass(eq=False)
class Tab:
    """One open conference: its console, its mode and what the strip shows about it."""

    console: Console
    number: int  # stable id (the mode's name), not the position
    worker: Worker[None] | None = None
    screen: ConferenceScreen | None = None
    attention: str = ""  # why the host is needed (shown on the badge until in front)
    ended: str | None = None  # ended while in the background: offer a rejoin in front
    needs_pin: bool = False
    seen: Seen = field(default_factory=Seen)
    in_front: asyncio.Event = field(default_factory=asyncio.Event)
    notified: dict[str, float] = field(default_factory=dict)  # last toast of each kind

    @property
    def mode(self) -> str:
        return f"{MODE_PREFIX}{self.number}"


class TabPrompts:
    """Prompts (PIN, Virtual Reception target) of a tab: shown when the tab is in front,
    so a background join never covers the conference the host is looking at."""

    def __init__(self, conferences: Conferences, tab: Tab) -> None:
        self.conferences = conferences
        self.tab = tab

    async def push_screen_wait(self, screen: Screen[Any]) -> Any:
        tab = self.tab
        if self.conferences.front_tab is not tab:
            tab.needs_pin = True
            tab.console.attention("it needs a PIN to join", title="Joining")
            while self.conferences.front_tab is not tab:
                tab.in_front.clear()
                await tab.in_front.wait()
        tab.needs_pin = False
        return await self.conferences.app.push_screen_wait(screen)


class Conferences:
    """The tabs of the app, in order, and the one in front."""

    def __init__(self, app: PextuiApp) -> None:
        self.app = app
        self.tabs: list[Tab] = []
        self.front_tab: Tab | None = None
        self._numbers = itertools.count(1)

    # -- reading ----------------------------------------------------------------------------

    @property
    def consoles(self) -> list[Console]:
        return [tab.console for tab in self.tabs]

    @property
    def front(self) -> Console | None:
        return self.front_tab.console if self.front_tab is not None else None

    def tab_of(self, console: Console) -> Tab | None:
        return next((tab for tab in self.tabs if tab.console is console), None)

    def find(self, alias: str) -> Console | None:
        """The open conference joined (or being joined) under ``alias``."""
        wanted = alias.strip().lower()
        return next((c for c in self.consoles if c.alias.lower() == wanted), None)

    def badges(self) -> tuple[TabBadge, ...]:
        return tuple(self._badge(position, tab) for position, tab in enumerate(self.tabs, 1))

    def _badge(self, position: int, tab: Tab) -> TabBadge:
        console, store = tab.console, tab.console.store
        state = console.connection.state
        if tab.needs_pin:
            state = "pin"
        elif state == "ended" and store is None:
            state = "failed"
        return TabBadge(
            number=position,
            name=console.title,
            state=state,
            participants=len(store.roster) if store is not None else 0,
            waiting=store.waiting_count if store is not None else 0,
            hands=store.hands_count if store is not None else 0,
            attention=tab.attention,
            front=tab is self.front_tab,
        )

    # -- opening and switching --------------------------------------------------------------

    def open(
        self, params: JoinParams | None, session: Session | None = None, *, front: bool = True
    ) -> Console:
        """A new tab for ``params`` (or the already connected ``session``): joins in its
        own worker; in front unless ``front`` is False."""
        app = self.app
        console = Console(
            clock=app.clock,
            notify=lambda *args, **kwargs: app.notify(*args, **kwargs),  # looked up each time
            runner=app.run_host_call,
            join=params,
            recent_aliases=app.recent_aliases,
        )
        tab = Tab(console, next(self._numbers))
        console.on_ended = self._ended
        console.bulk_confirm_above = app.bulk_confirm_above
        console.open_aliases = lambda: tuple(other.alias for other in self.consoles)
        console.peers = lambda: tuple(self.consoles)  # transfers are seen arriving there
        console.attended = app.attended  # consults span the tabs (attended transfer)
        console.tab_badges = self.badges
        console.on_attention = lambda title, message: self._attention(tab, title, message)
        self.tabs.append(tab)
        app.add_mode(tab.mode, lambda: PendingScreen(console, retry=self.retry, close=self.close))
        if front or self.front_tab is None:
            self.switch_to(console)
        self.start(console, params, session)
        return console

    def start(
        self, console: Console, params: JoinParams | None, session: Session | None = None
    ) -> None:
        """(Re)join ``console``'s conference in its own worker."""
        tab = self.tab_of(console)
        if tab is None:
            return
        if tab.worker is not None and not tab.worker.is_finished:
            tab.worker.cancel()
        console.join_params = params if params is not None else console.join_params
        console.connection = Connection("connecting")
        tab.ended = None
        tab.worker = self.app.run_worker(
            self._run(tab, params, session),
            name=f"session:{tab.number}",
            group=SESSION_GROUP,
            exit_on_error=False,
        )

    def reusable(self) -> Console | None:
        """The only tab, when it never joined (the connect screen's answer joins there)."""
        front = self.front
        if len(self.tabs) == 1 and front is not None and front.store is None:
            return front
        return None

    def retry(self, console: Console) -> None:
        if console.join_params is not None:
            self.start(console, console.join_params)

    def switch_to(self, console: Console) -> None:
        """Bring ``console``'s tab to the front (its screens and dialogs as it left them)."""
        tab = self.tab_of(console)
        if tab is None:
            return
        self.front_tab = tab
        tab.attention = ""
        self.app.switch_mode(tab.mode)
        tab.in_front.set()
        if console.store is not None and tab.screen is None:
            self._show_conference(tab)
        if tab.ended is not None:
            reason, tab.ended = tab.ended, None
            self._offer_rejoin(tab, reason)

    def step(self, delta: int) -> None:
        """The previous (-1) or next (+1) tab, wrapping around."""
        if len(self.tabs) < 2 or self.front_tab is None:
            return
        position = self.tabs.index(self.front_tab)
        self.switch_to(self.tabs[(position + delta) % len(self.tabs)].console)

    def switch_number(self, number: int) -> bool:
        """The tab at 1-based position ``number`` (alt+N); False when there is none."""
        if not 1 <= number <= len(self.tabs):
            return False
        self.switch_to(self.tabs[number - 1].console)
        return True

    async def close(self, console: Console, reason: str = "User initiated disconnect") -> None:
        """Leave ``console``'s conference and close its tab; the neighbour comes to the
        front, or the connect screen after the last one."""
        tab = self.tab_of(console)
        if tab is None:
            return
        await console.leave(reason)
        await self._finish(tab)
        position = self.tabs.index(tab)
        self.tabs.remove(tab)
        if self.front_tab is tab:
            self.front_tab = None
            if self.tabs:
                self.switch_to(self.tabs[min(position, len(self.tabs) - 1)].console)
            else:
                self.app.switch_mode(HOME_MODE)
                self.app.show_connect()
        await self.app.remove_mode(tab.mode)

    async def leave_all(self, reason: str = "User initiated disconnect") -> None:
        """Leave every conference (releases every token) and let the streams finish."""
        await asyncio.gather(*(tab.console.leave(reason) for tab in self.tabs))
        await asyncio.gather(*(self._finish(tab) for tab in self.tabs))

    @staticmethod
    async def _finish(tab: Tab) -> None:
        """Closing a session ends its stream, so the worker stops by itself; it is cancelled
        only if it does not."""
        worker = tab.worker
        if worker is None or worker.is_finished:
            return
        try:
            await asyncio.wait_for(worker.wait(), LEAVE_TIMEOUT_S)
        except (TimeoutError, WorkerFailed, WorkerCancelled):
            worker.cancel()

    # -- one tab's session ------------------------------------------------------------------

    async def _run(self, tab: Tab, params: JoinParams | None, session: Session | None) -> None:
        """Join (unless given a session), show the conference and apply its events."""
        console, app = tab.console, self.app
        if session is None:
            assert params is not None
            prompts = TabPrompts(self, tab)
            result = await join_with_prompts(prompts, app.connector, params, ask_again=True)
            console.join_params = result.params
            failure = result.failure
            if result.session is None or failure is not None:
                reason = failure.message if failure is not None else "not joined"
                self.join_failed(console, reason, cancelled=failure is None or failure.cancelled)
                return
            session = result.session
            if console.leaving:  # quit or closed while the join was on its way
                console.session = session
                await console.leave()  # releases the token the join just got
                return
        console.begin(session)
        app.joined = True
        tab.seen = seen(console)
        if tab is self.front_tab:
            self._show_conference(tab)
        await console.stream(session)

    def _show_conference(self, tab: Tab) -> None:
        """Push the tab's conference screen (the tab is in front); a rejoin reuses it."""
        if tab.screen is None:
            tab.screen = ConferenceScreen(tab.console)
            self.app.push_screen(tab.screen)

    def join_failed(self, console: Console, reason: str, *, cancelled: bool = False) -> None:
        """Joining (or the stream) failed for good: said in the tab; the only tab that never
        joined goes back to the connect screen, filled with what was given."""
        tab = self.tab_of(console)
        if tab is None:
            return
        tab.needs_pin = False
        if not cancelled:
            console.failed(reason)
            self._attention(tab, "Connection failed", reason, severity="error")
        else:
            console.connection = Connection("ended", detail=safe_text(reason, 200))
            console.note(reason, "warn")
        if console.store is None and len(self.tabs) == 1 and tab is self.front_tab:
            self.app.join_params = console.join_params
            self.app.show_connect(None if cancelled else reason)  # its answer reuses the tab

    def worker_failed(self, worker: Worker[Any], reason: str) -> bool:
        """A session worker raised: the failure of that tab only. False: not a session's."""
        for tab in self.tabs:
            if tab.worker is worker:
                self.join_failed(tab.console, reason)
                return True
        return False

    # -- the session ended: rejoin, or close the tab ----------------------------------------

    def _ended(self, console: Console, reason: str) -> None:
        tab = self.tab_of(console)
        if tab is None:
            return
        if tab is self.front_tab:
            self._offer_rejoin(tab, reason)
        else:
            tab.ended = reason

    def _offer_rejoin(self, tab: Tab, reason: str) -> None:
        """Join again, or (declined) close the tab instead of leaving a dead roster."""
        console = tab.console

        def answered(answer: bool | None) -> None:
            if answer and console.join_params is not None:
                self.start(console, console.join_params)
            else:
                self.app.run_worker(self.close(console, reason), group="tabs")
                if answer:  # joined from an open session: ask where to join again
                    self.app.join_another()

        self.app.push_screen(
            ConfirmScreen(
                f"Disconnected: {reason}",
                detail="Join the conference again?",
                confirm_label="Rejoin",
                title="Disconnected",
            ),
            callback=answered,
        )

    # -- attention from the conferences not in front ----------------------------------------

    def _attention(self, tab: Tab, title: str, message: str, severity: str = "warning") -> None:
        """Notify (naming the conference unless it is in front) and mark its badge."""
        name = tab.console.title
        if tab is self.front_tab:
            self.app.notify(message, title=title, severity=severity)  # type: ignore[arg-type]
            return
        tab.attention = safe_text(message, 40)
        now = time.monotonic()
        if now - tab.notified.get(title, -1e9) < QUIET_S:
            return  # the badge says it; one toast of a kind per conference every few seconds
        tab.notified[title] = now
        heading = f"{name}: {title}" if title else name
        self.app.notify(message, title=heading, severity=severity, timeout=10)  # type: ignore[arg-type]

    def watch(self) -> None:
        """Call for attention where a background conference needs the host (a few times a
        second; see :func:`pextui.tui.attention.watch`)."""
        watch(self.tabs, self.front_tab)
