"""Bulk actions ask first when they touch many people.

``G`` (mute or unmute the guests), ``A`` (admit everyone waiting), ``H`` (lower every hand)
and ``m`` / ``v`` on a selection (space) act at once up to the console's ``bulk_confirm_above``
people (the config file's ``bulk_confirm_above``); above it a :class:`ConfirmScreen` says
how many people and what will happen, and declining sends nothing. ``x`` / ``X`` always ask
(:mod:`pextui.tui.host.dialogs`).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from pextui.tui import present
from pextui.tui.screens.confirm import ConfirmScreen

if TYPE_CHECKING:
    from pextui.tui.host.calls import HostCalls

NAMES_SHOWN = 3


def people(count: int, one: str = "participant", many: str = "participants") -> str:
    return f"{count} {one if count == 1 else many}"


class BulkActions:
    """The bulk keys of one conference screen, each guarded by the threshold."""

    def __init__(self, calls: HostCalls, push: Callable[..., Any]) -> None:
        self.calls = calls
        self.console = calls.console
        self.push = push  # App.push_screen

    @property
    def threshold(self) -> int:
        return max(0, int(self.console.bulk_confirm_above))

    def guard(
        self, count: int, question: str, detail: str, label: str, run: Callable[[], None]
    ) -> bool:
        """Run now when ``count`` is at most the threshold, else ask first; True if asked."""
        if count <= self.threshold:
            run()
            return False

        def done(confirmed: bool | None) -> None:
            if confirmed:
                run()

        screen = ConfirmScreen(question, detail=detail, confirm_label=label, title="Bulk action")
        self.push(screen, callback=done)
        return True

    def _names(self, uuids: list[str]) -> str:
        names = ", ".join(self.calls.name_of(uuid) for uuid in uuids[:NAMES_SHOWN])
        more = len(uuids) - NAMES_SHOWN
        return f"{names} and {more} more" if more > 0 else names

    # -- the keys ---------------------------------------------------------------------------

    def mute(self) -> None:
        if not self.calls.has_selection():  # the cursor's row: one person, no question
            self.calls.mute()
            return
        targets = self.calls.targets()
        participants = self._participants(targets)
        unmute = bool(participants) and all(present.audio_muted(p) for p in participants)
        verb = "Unmute" if unmute else "Mute"
        self.guard(
            len(targets),
            f"{verb} {people(len(targets))}?",
            f"{verb} the selection's audio: {self._names(targets)}.",
            verb,
            self.calls.mute,
        )

    def video(self) -> None:
        if not self.calls.has_selection():
            self.calls.video()
            return
        targets = self.calls.targets()
        participants = self._participants(targets)
        start = bool(participants) and all(present.video_muted(p) for p in participants)
        verb = "Start video of" if start else "Stop video of"
        self.guard(
            len(targets),
            f"{verb} {people(len(targets))}?",
            f"{verb} the selection: {self._names(targets)}.",
            "Start video" if start else "Stop video",
            self.calls.video,
        )

    def mute_guests(self) -> None:
        store = self.calls.store
        guests = sum(1 for rec in store.roster.values() if not present.is_host(rec.participant))
        unmute = bool(getattr(store.status, "guests_muted", False))
        verb = "Unmute" if unmute else "Mute"
        detail = (
            "Guests may unmute themselves again."
            if unmute
            else "Every guest's audio is muted, and guests who join later too."
        )
        self.guard(
            guests,
            f"{verb} all {people(guests, 'guest', 'guests')}?",
            detail,
            f"{verb} guests",
            self.calls.mute_guests,
        )

    def admit_all(self) -> None:
        waiting = list(self.calls.store.waiting_room)
        self.guard(
            len(waiting),
            f"Admit {people(len(waiting), 'person', 'people')} from the waiting room?",
            f"Admit {self._names(waiting)}.",
            "Admit all",
            self.calls.admit_all,
        )

    def lower_all_hands(self) -> None:
        hands = list(self.calls.store.raised_hands)
        self.guard(
            len(hands),
            f"Lower {people(len(hands), 'raised hand', 'raised hands')}?",
            f"Lower the hands of {self._names(hands)}.",
            "Lower all",
            self.calls.lower_all_hands,
        )

    def _participants(self, uuids: list[str]) -> list[Any]:
        roster = self.calls.store.roster
        return [roster[uuid].participant for uuid in uuids if uuid in roster]
