"""The command palette (ctrl+p), built from the live state each time it is searched.

It offers every action for the participant under the cursor ("Unmute Alice" only when Alice
is muted), every conference action (allowed ones only), "Go to <name>" for everyone, and
the tabs: join another conference, switch to an open one, leave the one in front.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import partial
from typing import TYPE_CHECKING, Any, cast

from textual.command import DiscoveryHit, Hit, Hits, Provider

from pextui.sanitize import safe_text
from pextui.tui import present
from pextui.tui.host.actions import key_of
from pextui.tui.host.consult import CLOSE
from pextui.tui.literal import highlighted, literal

if TYPE_CHECKING:
    from textual.app import App

    from pextui.tui.screens.conference import ConferenceScreen

GO_TO_LIMIT = 20000  # names scanned per search (the matcher is fast; 20k stays interactive)


@dataclass(frozen=True, slots=True)
class PaletteEntry:
    label: str  # plain text (names in it come from the network): never markup
    help: str
    run: Callable[[], object]


def help_text(text: str) -> str:
    """Help for a hit as Content: the palette reads a ``str`` help as markup, Content as is.

    Textual types the field ``str``; its renderer passes Content through unchanged.
    """
    return cast(str, literal(text))


def participant_entries(screen: ConferenceScreen) -> Iterator[PaletteEntry]:
    """Actions for the participant under the cursor, worded from their current state."""
    participant = screen.target_participant()
    if participant is None or not screen.is_host():
        return
    name = present.display_name(participant)

    def entry(action: str, label: str, hint: str) -> PaletteEntry | None:
        if screen.check_action(action, ()) is not True:
            return None
        help_ = f"{hint} ({key_of(action)})"
        return PaletteEntry(label, help_, partial(screen.run_action, action))

    muted, video_off = present.audio_muted(participant), present.video_muted(participant)
    spotlit = present.spotlight_time(participant) > 0
    denied = present.rx_presentation_denied(participant)
    host = present.is_host(participant)
    candidates = (
        entry("mute", f"{'Unmute' if muted else 'Mute'} {name}", "Audio"),
        entry("video", f"{'Start' if video_off else 'Stop'} video of {name}", "Video"),
        entry("spotlight", f"Spotlight {'off' if spotlit else 'on'}: {name}", "Spotlight"),
        entry("role", f"Make {name} {'guest' if host else 'host'}", "Role"),
        entry("transfer", f"Transfer {name}…", "To another conference"),
        entry(
            "attended_transfer",
            f"Attended transfer of {name}…",
            "Consult the target's hosts first, then complete, abort or swap",
        ),
        entry("disconnect", f"Disconnect {name}…", "Asks first"),
        entry("lower_hand", f"Lower the hand of {name}", "Raised hand"),
        entry("overlay", f"Overlay text for {name}…", "Text over their video"),
        entry(
            "presentation",
            f"{'Allow' if denied else 'Deny'} presentation to {name}",
            "Receiving presentation",
        ),
        entry("dtmf", f"Send DTMF to {name}…", "Digits 0-9 * #"),
        entry("private_message", f"Private message to {name}…", "Only they see it"),
    )
    if present.is_waiting(participant):
        admit = entry("admit", f"Admit {name}", "From the waiting room")
        if admit is not None:
            yield admit
    yield from (candidate for candidate in candidates if candidate is not None)


def conference_entries(screen: ConferenceScreen) -> Iterator[PaletteEntry]:
    store = screen.store
    status = store.status
    locked = bool(getattr(status, "locked", False))
    guests_muted = bool(getattr(status, "guests_muted", False))
    rows = (
        ("lock", "Unlock the conference" if locked else "Lock the conference"),
        ("mute_guests", "Unmute all guests" if guests_muted else "Mute all guests"),
        ("lower_all_hands", "Lower all hands"),
        ("admit_all", f"Admit everyone waiting ({len(store.waiting_room)})"),
        ("start", "Start the conference"),
        ("dial_out", "Dial out…"),
        ("layout", "Change layout…"),
        ("invite", "Show invite links…"),
        ("disconnect_all", "Disconnect everyone…"),
        ("sort", f"Sort roster (now: {screen.sort_key})"),
        ("event_log", "Show / hide the event log"),
        ("transfers", f"Transfers ({len(screen.console.all_transfers())})…"),
        ("save_log", "Save the event log to a file"),
        ("filter", "Filter the roster"),
        ("chat", "Chat"),
        ("breakouts", f"Breakout rooms ({len(store.breakouts)})…"),
        ("captions", "Show / hide live captions"),
        ("save_transcript", "Save the captions transcript"),
        ("slides", "Show / hide the slides"),
        ("guests_can_unmute", "Let guests unmute or not"),
        ("silent_video", "Silent video detection on / off"),
        ("consult_complete", "Attended transfer: complete (move them now)"),
        ("consult_abort", f"Attended transfer: {_abort_word(screen)}"),
        ("consult_swap", "Attended transfer: swap to the other conference"),
        ("consult_resend", "Attended transfer: send the message to the target's hosts again"),
    )
    for action, label in rows:
        if action == "admit_all" and not store.waiting_room:
            continue
        if screen.check_action(action, ()) is True:
            help_ = f"Key: {key_of(action)}"
            yield PaletteEntry(label, help_, partial(screen.run_action, action))


def _abort_word(screen: ConferenceScreen) -> str:
    """What ``N`` does now: abort a live consult, or close the panel of one that ended."""
    closing = screen.consult.acting().get("consult_abort") == CLOSE
    return "close the panel (it ended)" if closing else "abort (nothing moves)"


def tab_entries(screen: Any) -> Iterator[PaletteEntry]:
    """Join another conference, switch to an open one, leave the one in front."""
    console = getattr(screen, "console", None)
    yield PaletteEntry(
        "Join another conference…",
        f"Opens a new tab ({key_of('join_another')})",
        partial(screen.run_action, "app.join_another"),
    )
    if console is None:
        return
    for badge in console.tab_badges():
        if not badge.front:
            yield PaletteEntry(
                f"Switch to {safe_text(badge.name, 60)}",
                f"Conference {badge.number} (alt+{badge.number})",
                partial(screen.run_action, f"app.switch_conference({badge.number})"),
            )
    yield PaletteEntry(
        f"Leave {console.title} (close its tab)…",
        "Asks first; the other conferences stay",
        partial(screen.run_action, "app.leave_conference"),
    )


class ConferenceCommands(Provider):
    """Host actions and participants of the conference on screen."""

    def _conference(self) -> ConferenceScreen | None:
        from pextui.tui.screens.conference import ConferenceScreen

        screen = self.screen
        return screen if isinstance(screen, ConferenceScreen) else None

    def _entries(self, screen: ConferenceScreen) -> list[PaletteEntry]:
        return [*participant_entries(screen), *conference_entries(screen), *tab_entries(screen)]

    def _any_entries(self) -> list[PaletteEntry]:
        screen = self._conference()
        if screen is not None:
            return self._entries(screen)
        return list(tab_entries(self.screen)) if hasattr(self.screen, "console") else []

    async def discover(self) -> Hits:
        for item in self._any_entries():
            yield DiscoveryHit(
                literal(item.label), item.run, text=item.label, help=help_text(item.help)
            )

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for item in self._any_entries():
            score = matcher.match(item.label)
            if score > 0:
                yield Hit(
                    score,
                    highlighted(matcher, item.label),
                    item.run,
                    text=item.label,
                    help=help_text(item.help),
                )
        screen = self._conference()
        if screen is None:
            return
        store = screen.store
        for count, (uuid, record) in enumerate(store.roster.items()):
            if count >= GO_TO_LIMIT:
                break
            label = f"Go to {present.display_name(record.participant)}"
            score = matcher.match(label)
            if score > 0:
                yield Hit(
                    score * 0.9,
                    highlighted(matcher, label),
                    partial(screen.go_to_participant, uuid),
                    text=label,
                    help=help_text("Move the roster cursor there"),
                )


def unknown_theme(name: str, app: App[Any]) -> str:
    """The warning for a theme that does not exist (``--theme nosuch``), with the list."""
    names = ", ".join(sorted(app.available_themes))
    return f"Unknown theme {safe_text(name, 40)!r}: using {app.theme}. Themes: {names}."
