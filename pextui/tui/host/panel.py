"""The rest of the host panel of a conference screen: breakouts, captions, slides, camera
control, presentation in the mix, guests' unmute, silent video detection, a hand raised
for someone, dial-out outcomes, help requests, and the newer status fields (end time,
classification, guests may not present, breakout rooms, splash screen).

:class:`HostPanel` is owned by the conference screen (as :class:`HostCalls` is): the
screen's ``action_*`` methods call it, and the painter calls :meth:`HostPanel.tick` once per
refresh with the changes it drained.
"""

from __future__ import annotations

import os
import time
from collections.abc import Awaitable, Callable
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

import platformdirs
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Static

from pextui.conference import splash_text
from pextui.sanitize import safe_text
from pextui.tui import present
from pextui.tui.frames import FrameFetcher
from pextui.tui.screens.breakouts import BreakoutScreen
from pextui.tui.screens.fecc import FeccDialog
from pextui.tui.widgets.captions import CaptionsLine
from pextui.tui.widgets.roster import Roster
from pextui.tui.widgets.slides import SlidesPane

if TYPE_CHECKING:
    from pextui.conference import Changes, ConferenceStore
    from pextui.tui.console import Console
    from pextui.tui.host.calls import HostCalls


def transcript_dir() -> Path:
    return Path(platformdirs.user_state_dir("pextui")) / "transcripts"


def save_private(folder: Path, name: str, text: str) -> Path:
    """Write `text` to a new file in `folder` (0700), the file created 0600."""
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    folder.chmod(0o700)
    path = folder / name
    serial = 1
    while path.exists():
        serial += 1
        path = folder / f"{Path(name).stem}-{serial}{Path(name).suffix}"
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as out:
        out.write(text)
    return path


def status_facts(status: object, now: float, rooms: int, splash: str | None) -> str:
    """The newer status fields a host cares about, as one line ('' when there are none)."""
    facts = []
    end = getattr(status, "end_time", None)
    if end:
        facts.append(f"ends in {present.clock_duration(max(0.0, float(end) - now))}")
    classification = getattr(status, "classification", None)
    if classification is not None and classification.current is not None:
        level = classification.levels.get(str(int(classification.current)), "")
        facts.append(f"classification: {safe_text(level, 30) or int(classification.current)}")
    if not getattr(status, "guests_can_present", True):
        facts.append("guests may not present")  # the default (they may) goes unsaid
    if rooms:
        facts.append(f"{rooms} breakout room{'s' if rooms != 1 else ''}")
    if splash:
        facts.append(f"splash: {safe_text(splash, 60)}")
    return " · ".join(facts)


class HostPanel:
    """The panel's actions and its per-tick work for one conference screen."""

    def __init__(self, screen: Screen[Any], console: Console, calls: HostCalls) -> None:
        self.screen = screen
        self.console = console
        self.calls = calls
        self.captions_on = False
        self.slides_large = False
        self.silent_video_on = True
        self.fetcher: FrameFetcher | None = None
        self._facts_drawn = ""
        self._theme_for: ConferenceStore | None = None

    @property
    def store(self) -> ConferenceStore:
        store = self.console.store
        assert store is not None, "the panel needs a store"
        return store

    def notify(self, text: str, **options: Any) -> None:
        self.screen.notify(text, markup=False, **options)

    # -- per tick ----------------------------------------------------------------------------

    def tick(self, changes: Changes, now: float) -> None:
        store = self.store
        if self._theme_for is not store:
            self._theme_for = store
            self._fetch_theme(store)
        for request in store.rooms.take_help_requests():
            who = f" ({safe_text(request.requester, 40)})" if request.requester else ""
            text = f"{safe_text(request.room_name, 60)} asks for help{who}"
            self.console.note(text, "warn")
            self.notify(text, title="Breakout rooms", severity="warning", timeout=10)
        if store.dialouts.calls and (changes.changed or changes.removed):
            self._dial_outcomes()
        if self.captions_on and (changes.captions or changes.resynced):
            self.screen.query_one(CaptionsLine).show_line(store.captions.latest)
        splash = splash_text(store.theme, store.splash)
        facts = status_facts(store.status, now, len(store.breakouts), splash)
        if facts != self._facts_drawn:
            self._facts_drawn = facts
            info = self.screen.query_one("#panel-info", Static)
            info.display = bool(facts)
            info.update(Content(facts))
        self._slides_tick(changes)

    def _fetch_theme(self, store: ConferenceStore) -> None:
        """The theme once per conference joined, for the splash screens' text."""
        session = self.console.session
        if session is None:
            return

        async def fetch() -> None:
            try:
                store.theme = await session.theme()
            except Exception as exc:  # no theme: splash screens show their key
                self.console.note(f"No theme: {safe_text(getattr(exc, 'reason', exc), 100)}")

        self.screen.run_worker(fetch(), group="theme", exit_on_error=False)

    def _dial_outcomes(self) -> None:
        store = self.store
        store.dialouts.observe(store.roster)
        for call in store.dialouts.take_settled():
            text = f"Call to {safe_text(call.destination, 60)}: {safe_text(call.outcome, 40)}"
            answered = call.outcome == "answered"
            self.console.note(text, "ok" if answered else "warn")
            severity = "information" if answered else "warning"
            self.notify(text, title="Dial out", severity=severity)

    def _slides_tick(self, changes: Changes) -> None:
        pane = self.screen.query_one(SlidesPane)
        fetcher = self.fetcher
        if not pane.has_class("-on") or fetcher is None:
            return
        presenter = self.store.presentation
        if changes.presentation or changes.resynced:
            pane.caption(presenter.name if presenter else None, None)
        if presenter is None:
            if fetcher.shown is not None or fetcher.busy:
                fetcher.stop()
                pane.clear()
            return
        fetcher.want(self.store.presentation_frame, self.slides_large)

    # -- captions ----------------------------------------------------------------------------

    def captions(self) -> None:
        session = self.console.session
        if session is None:
            return
        line = self.screen.query_one(CaptionsLine)
        self.captions_on = not self.captions_on
        line.set_class(self.captions_on, "-on")
        uuid = session.participant_uuid
        if self.captions_on:
            line.show_line(self.store.captions.latest)
            call = lambda: session.show_live_captions(uuid)  # noqa: E731
            self.console.perform("show_live_captions", None, "Captions on", call)
        else:
            call = lambda: session.hide_live_captions(uuid)  # noqa: E731
            self.console.perform("hide_live_captions", None, "Captions off", call)

    def save_transcript(self) -> None:
        captions = self.store.captions
        if not len(captions):
            self.notify("No captions yet", timeout=3)
            return
        name = f"pextui-captions-{time.strftime('%Y%m%d-%H%M%S')}.txt"
        try:
            path = save_private(transcript_dir(), name, captions.transcript())
        except OSError as exc:
            reason = safe_text(exc.strerror or str(exc), 200)
            self.notify(reason, title="Saving the captions failed", severity="error")
            return
        self.console.note(f"Captions saved to {path}", "ok")
        self.notify(f"Saved to {path}", title="Captions", timeout=8)

    # -- slides ------------------------------------------------------------------------------

    def slides(self) -> None:
        pane = self.screen.query_one(SlidesPane)
        on = not pane.has_class("-on")
        pane.set_class(on, "-on")
        session = self.console.session
        if on and session is not None:
            self.fetcher = FrameFetcher(session.presentation_frame, self._frame_arrived)
            presenter = self.store.presentation
            pane.caption(presenter.name if presenter else None, None)
            if presenter is not None:
                self.fetcher.want(self.store.presentation_frame, self.slides_large)
        elif self.fetcher is not None:
            self.fetcher.stop()  # hidden: nothing fetched, nothing drawn
            self.fetcher = None
            pane.clear()

    def toggle_large(self) -> None:
        pane = self.screen.query_one(SlidesPane)
        if not pane.has_class("-on"):
            self.slides()
        self.slides_large = not self.slides_large
        pane.set_class(self.slides_large, "-large")

    def _frame_arrived(self, frame_id: str, data: bytes) -> None:
        pane = self.screen.query_one(SlidesPane)
        if not pane.has_class("-on"):
            return
        presenter = self.store.presentation
        pane.caption(presenter.name if presenter else None, frame_id)
        pane.show_jpeg(data)

    # -- breakouts ---------------------------------------------------------------------------

    def breakouts(self) -> None:
        session = self.console.session
        if session is None:
            return
        selection = list(self.screen.query_one(Roster).selected)
        screen = BreakoutScreen(self.store, session, selection, self.console.clock)
        self.screen.app.push_screen(screen)

    # -- participant and conference controls --------------------------------------------------

    def _each(self, kind: str, verb: str, call: Callable[[str], Awaitable[object]]) -> None:
        for uuid in self.calls.targets():
            description = f"{verb} {self.calls.name_of(uuid)}"
            self.console.perform(kind, uuid, description, partial(call, uuid))

    def camera(self) -> None:
        session, participant = self.console.session, self.calls.target_participant()
        if session is None or participant is None:
            return
        if not present.can(participant, "fecc"):
            self.notify("This participant's camera cannot be controlled", timeout=3)
            return
        uuid = str(present.field(participant, "uuid", ""))
        name = present.display_name(participant)

        def send(action: str, moves: Any) -> Any:
            return session.fecc(uuid, action, moves, 1000)

        self.screen.app.push_screen(FeccDialog(name, send))

    def raise_hand(self) -> None:
        session = self.console.session
        if session is not None:
            self._each("buzz", "Raise hand of", session.buzz)

    def pres_in_mix(self) -> None:
        session, participant = self.console.session, self.calls.target_participant()
        if session is None or participant is None:
            return
        state = not bool(present.field(participant, "needs_presentation_in_mix", False))
        verb = "Presentation in the mix of" if state else "Presentation out of the mix of"
        self._each("pres_in_mix", verb, lambda uuid: session.set_pres_in_mix(uuid, state))

    def guests_can_unmute(self) -> None:
        session = self.console.session
        if session is None:
            return
        setting = not bool(getattr(self.store.status, "guests_can_unmute", False))
        label = "Guests may unmute" if setting else "Guests may not unmute"
        call = lambda: session.set_guests_can_unmute(setting)  # noqa: E731
        self.console.perform("set_guests_can_unmute", None, label, call)

    def silent_video(self) -> None:
        session = self.console.session
        if session is None:
            return
        self.silent_video_on = enable = not self.silent_video_on
        label = "Silent video detection " + ("on" if enable else "off")
        call = lambda: session.silent_video_detection(enable=enable)  # noqa: E731
        self.console.perform("silent_video_detection", None, label, call)
