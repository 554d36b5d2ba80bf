"""The rest of the host panel on the conference screen: breakouts, captions, slides, camera
control, presentation in the mix, guests' unmute, silent video detection, a hand raised
for someone, and the newer status fields (end time, classification, guests can present,
breakout rooms, splash screen).

`PanelActions` is mixed into the conference screen: its bindings, its actions and
`panel_tick(changes)`, which the screen's refresh calls once per tick.
"""

from __future__ import annotations

import os
import time
from pathlib import Path
from typing import TYPE_CHECKING

import platformdirs
from textual.binding import Binding, BindingType
from textual.content import Content
from textual.widgets import Static

from pextui.conference import splash_text
from pextui.sanitize import safe_text
from pextui.tui import present
from pextui.tui.frames import FrameFetcher
from pextui.tui.literal import literal
from pextui.tui.screens.breakouts import BreakoutScreen
from pextui.tui.screens.conference_actions import HostActions
from pextui.tui.screens.fecc import FeccDialog
from pextui.tui.widgets.captions import CaptionsLine
from pextui.tui.widgets.roster import Roster
from pextui.tui.widgets.slides import SlidesPane

if TYPE_CHECKING:
    from pextui.conference import Changes


PARTICIPANT_KEYS = frozenset({"camera", "raise_hand", "pres_in_mix"})


def _b(key: str, action: str, label: str, tooltip: str, *, show: bool = False) -> Binding:
    """A binding whose id says its help group (participant.* or conference.*)."""
    group = "participant" if action in PARTICIPANT_KEYS else "conference"
    return Binding(key, action, label, id=f"{group}.{action}", tooltip=tooltip, show=show)


PANEL_BINDINGS: list[BindingType] = [
    _b("b", "breakouts", "Breakouts", "Breakout rooms: open, fill, move, message, close"),
    _b("C", "captions", "Captions", "Show or hide live captions"),
    _b("K", "save_transcript", "Save captions", "Save the captions transcript to a file"),
    _b("w", "slides", "Slides", "Show or hide the presentation as a picture"),
    _b("W", "slides_large", "Large slides", "Show the presentation large (or small again)"),
    _b("z", "camera", "Camera", "Pan, tilt and zoom the participant's camera (FECC)"),
    _b("u", "raise_hand", "Raise hand", "Raise the participant's hand for them"),
    _b("P", "pres_in_mix", "Pres in mix", "Put the presentation in the participant's mix or not"),
    _b("U", "guests_can_unmute", "Guests unmute", "Let guests unmute themselves or not"),
    _b("V", "silent_video", "Silent video", "Turn silent video detection on or off"),
]
PANEL_HOST_ONLY = frozenset(
    {"breakouts", "camera", "raise_hand", "pres_in_mix", "guests_can_unmute", "silent_video"}
)


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
        path = folder / f"{path.stem.split('.')[0]}-{serial}{path.suffix}"
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


class PanelActions(HostActions):
    """Mixin: the panel's keys and its per-tick work."""

    captions_on = False
    slides_large = False
    silent_video_on = True
    _fetcher: FrameFetcher | None = None
    _facts_drawn = ""

    # -- per tick ----------------------------------------------------------------------------

    def panel_tick(self, changes: Changes, now: float) -> None:
        store = self.host_store
        for request in store.rooms.take_help_requests():
            who = f" ({safe_text(request.requester, 40)})" if request.requester else ""
            text = f"{safe_text(request.room_name, 60)} asks for help{who}"
            self.pextui.note(text, "warn")
            self.notify(text, title="Breakout rooms", severity="warning", timeout=10, markup=False)
        if store.dialouts.calls and (changes.changed or changes.removed):
            store.dialouts.observe(store.roster)
            for call in store.dialouts.take_settled():
                text = f"Call to {safe_text(call.destination, 60)}: {safe_text(call.outcome, 40)}"
                answered = call.outcome == "answered"
                self.pextui.note(text, "ok" if answered else "warn")
                self.notify(
                    text,
                    title="Dial out",
                    severity="information" if answered else "warning",
                    markup=False,
                )
        if self.captions_on and (changes.captions or changes.resynced):
            self.query_one(CaptionsLine).show_line(store.captions.latest)
        splash = splash_text(store.theme, store.splash)
        facts = status_facts(store.status, now, len(store.breakouts), splash)
        if facts != self._facts_drawn:
            self._facts_drawn = facts
            info = self.query_one("#panel-info", Static)
            info.display = bool(facts)
            info.update(Content(facts))
        self._slides_tick(changes)

    def _slides_tick(self, changes: Changes) -> None:
        pane = self.query_one(SlidesPane)
        if not pane.has_class("-on"):
            return
        store = self.host_store
        presenter = store.presentation
        if changes.presentation or changes.resynced:
            pane.caption(presenter.name if presenter else None, None)
        fetcher = self._fetcher
        if fetcher is None:
            return
        if presenter is None:
            if fetcher.shown is not None or fetcher.busy:
                fetcher.stop()
                pane.clear()
            return
        fetcher.want(store.presentation_frame, self.slides_large)

    # -- captions ----------------------------------------------------------------------------

    def action_captions(self) -> None:
        session = self.session
        if session is None:
            return
        line = self.query_one(CaptionsLine)
        self.captions_on = not self.captions_on
        line.set_class(self.captions_on, "-on")
        uuid = session.participant_uuid
        if self.captions_on:
            line.show_line(self.host_store.captions.latest)
            self.perform(
                "show_live_captions", None, "Captions on", lambda: session.show_live_captions(uuid)
            )
        else:
            self.perform(
                "hide_live_captions", None, "Captions off", lambda: session.hide_live_captions(uuid)
            )

    def action_save_transcript(self) -> None:
        captions = self.host_store.captions
        if not len(captions):
            self.notify("No captions yet", timeout=3)
            return
        try:
            stamp = time.strftime("%Y%m%d-%H%M%S")
            path = save_private(
                transcript_dir(), f"pextui-captions-{stamp}.txt", captions.transcript()
            )
        except OSError as exc:
            reason = safe_text(exc.strerror or str(exc), 200)
            self.notify(reason, title="Saving the captions failed", severity="error", markup=False)
            return
        self.pextui.note(f"Captions saved to {path}", "ok")
        self.notify(f"Saved to {path}", title="Captions", timeout=8, markup=False)

    # -- slides ------------------------------------------------------------------------------

    def action_slides(self) -> None:
        pane = self.query_one(SlidesPane)
        on = not pane.has_class("-on")
        pane.set_class(on, "-on")
        session = self.session
        if on and session is not None:
            self._fetcher = FrameFetcher(session.presentation_frame, self._frame_arrived)
            presenter = self.host_store.presentation
            pane.caption(presenter.name if presenter else None, None)
            if presenter is not None:
                self._fetcher.want(self.host_store.presentation_frame, self.slides_large)
        elif self._fetcher is not None:
            self._fetcher.stop()  # hidden: nothing fetched, nothing drawn
            self._fetcher = None
            pane.clear()

    def action_slides_large(self) -> None:
        pane = self.query_one(SlidesPane)
        if not pane.has_class("-on"):
            self.action_slides()
        self.slides_large = not self.slides_large
        pane.set_class(self.slides_large, "-large")

    def _frame_arrived(self, frame_id: str, data: bytes) -> None:
        pane = self.query_one(SlidesPane)
        if not pane.has_class("-on"):
            return
        presenter = self.host_store.presentation
        pane.caption(presenter.name if presenter else None, frame_id)
        pane.show_jpeg(data)

    # -- breakouts ---------------------------------------------------------------------------

    def action_breakouts(self) -> None:
        session = self.session
        if session is None:
            return
        selection = list(self.query_one(Roster).selected)
        self.app.push_screen(BreakoutScreen(self.host_store, session, selection, self.pextui.clock))

    # -- participant and conference controls --------------------------------------------------

    def action_camera(self) -> None:
        session, participant = self.session, self.target_participant()
        if session is None or participant is None:
            return
        if not present.yes(present.field(participant, "fecc_supported", "NO")):
            self.notify("This participant's camera cannot be controlled", timeout=3)
            return
        uuid = str(present.field(participant, "uuid", ""))
        name = present.display_name(participant)
        self.app.push_screen(
            FeccDialog(name, lambda action, moves: session.fecc(uuid, action, moves, 1000))
        )

    def action_raise_hand(self) -> None:
        self._each("buzz", "Raise hand of", lambda s, u: s.buzz(u))

    def action_pres_in_mix(self) -> None:
        participant = self.target_participant()
        if participant is None:
            return
        state = not bool(present.field(participant, "needs_presentation_in_mix", False))
        verb = "Presentation in the mix of" if state else "Presentation out of the mix of"
        self._each("pres_in_mix", verb, lambda s, u: s.set_pres_in_mix(u, state))

    def action_guests_can_unmute(self) -> None:
        session = self.session
        if session is None:
            return
        setting = not bool(getattr(self.host_store.status, "guests_can_unmute", False))
        label = "Guests may unmute" if setting else "Guests may not unmute"
        self.perform(
            "set_guests_can_unmute", None, label, lambda: session.set_guests_can_unmute(setting)
        )

    def action_silent_video(self) -> None:
        session = self.session
        if session is None:
            return
        enable = not self.silent_video_on
        self.silent_video_on = enable
        label = "Silent video detection " + ("on" if enable else "off")
        self.perform(
            "silent_video_detection",
            None,
            label,
            lambda: session.silent_video_detection(enable=enable),
        )


__all__ = ["PANEL_BINDINGS", "PANEL_HOST_ONLY", "PanelActions", "literal"]
