"""Host actions of the conference screen: the key bindings, what each is allowed to do, and
how it runs (a worker per call, shown as pending on the participant until the server's update
confirms it; failures become notifications with the server's reason)."""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING

from textual.binding import Binding, BindingType
from textual.screen import Screen

from pextui.conference.actions import CONFERENCE_CHECKS, PARTICIPANT_CHECKS
from pextui.tui import present
from pextui.tui.widgets.roster import Roster

if TYPE_CHECKING:
    from pextui.conference import ConferenceStore
    from pextui.conference.records import ParticipantRecord
    from pextui.protocol.session import Session
    from pextui.tui.app import PextuiApp

Call = Callable[[], Awaitable[object]]


def _b(key: str, action: str, label: str, tooltip: str, *, show: bool = True) -> Binding:
    return Binding(key, action, label, id=action, tooltip=tooltip, show=show)


# Participant actions act on the selection (space) or, without one, on the cursor's row.
HOST_BINDINGS: list[BindingType] = [
    _b("m", "mute", "Mute", "Mute or unmute the participant's audio (or the selection)"),
    _b("v", "video", "Video", "Mute or unmute the participant's video (or the selection)"),
    _b("s", "spotlight", "Spotlight", "Spotlight the participant on or off"),
    _b("r", "role", "Role", "Make the participant host or guest", show=False),
    _b("t", "transfer", "Transfer", "Transfer the participant to another conference"),
    _b("a", "admit", "Admit", "Admit the participant from the waiting room (first waiting)"),
    _b("A", "admit_all", "Admit all", "Admit everyone in the waiting room", show=False),
    _b("x", "disconnect", "Kick", "Disconnect the participant (asks first)"),
    _b("h", "lower_hand", "Lower hand", "Lower the participant's raised hand", show=False),
    _b("o", "overlay", "Overlay", "Set the participant's overlay text", show=False),
    _b("p", "presentation", "Rx pres", "Allow or deny receiving presentation", show=False),
    _b("d", "dtmf", "DTMF", "Send DTMF digits to the participant", show=False),
    _b("L", "lock", "Lock", "Lock or unlock the conference"),
    _b("G", "mute_guests", "Mute guests", "Mute or unmute all guests", show=False),
    _b("H", "lower_all_hands", "Lower hands", "Lower all raised hands", show=False),
    _b("n", "dial_out", "Dial out", "Dial out to a new participant", show=False),
    _b("y", "layout", "Layout", "Change the conference layout", show=False),
    _b("S", "start", "Start", "Start the conference (let guests in)", show=False),
    _b("X", "disconnect_all", "Kick all", "Disconnect everyone (asks first)", show=False),
    _b("c", "chat", "Chat", "Focus the chat input"),
    _b("i", "invite", "Invite", "Show guest and host invite links", show=False),
    _b("slash", "filter", "Filter", "Filter the roster by name"),
    _b("f", "sort", "Sort", "Cycle the roster's sort order (name, joined, hand, spoken, role)"),
    _b("F", "sort_reverse", "Reverse", "Reverse the roster's sort order", show=False),
    _b("e", "event_log", "Events", "Show or hide the event log", show=False),
    _b("E", "save_log", "Save log", "Save the event log to a file", show=False),
    _b("question_mark", "help", "Help", "Show every key and what it does"),
    _b(
        "escape",
        "clear",
        "Clear",
        "Close the event log, clear the filter, the selection",
        show=False,
    ),
]

PARTICIPANT_ACTIONS = frozenset(
    {"mute", "video", "spotlight", "role", "transfer", "disconnect", "lower_hand", "overlay"}
    | {"presentation", "dtmf"}
)
HOST_ONLY = (
    PARTICIPANT_ACTIONS
    | {"admit", "admit_all", "lock", "mute_guests"}
    | {
        "lower_all_hands",
        "dial_out",
        "layout",
        "start",
        "disconnect_all",
    }
)
PENDING_LABELS = {
    "mute": "muting",
    "unmute": "unmuting",
    "video_muted": "stopping video",
    "video_unmuted": "starting video",
    "spotlighton": "spotlighting",
    "spotlightoff": "unspotlighting",
    "clearbuzz": "lowering hand",
    "role": "changing role",
    "unlock": "admitting",
    "allowrxpresentation": "allowing presentation",
    "denyrxpresentation": "denying presentation",
    "overlaytext": "setting overlay",
    "disconnect": "disconnecting",
    "transfer": "transferring",
    "dtmf": "sending DTMF",
}
CAPABILITY = {"mute": "mute", "transfer": "transfer", "disconnect": "disconnect"}


class HostActions(Screen[None]):
    """Mixin for the conference screen: bindings' rules and implementations."""

    @property
    def pextui(self) -> PextuiApp:
        return self.app  # type: ignore[return-value]

    @property
    def session(self) -> Session | None:
        return self.pextui.session

    @property
    def host_store(self) -> ConferenceStore:
        store = self.pextui.store
        assert store is not None
        return store

    # -- who may do what --------------------------------------------------------------------

    def is_host(self) -> bool:
        session = self.session
        return session is not None and str(getattr(session, "role", "")).upper() in (
            "HOST",
            "CHAIR",
        )

    def targets(self) -> list[str]:
        return self.query_one(Roster).selection_or_cursor()

    def target_participant(self) -> object | None:
        uuid = self.query_one(Roster).cursor_uuid
        record = self.host_store.roster.get(uuid) if uuid else None
        return record.participant if record is not None else None

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action not in HOST_ONLY:
            return True
        if not self.is_host() or self.session is None:
            return None
        if action in PARTICIPANT_ACTIONS:
            participant = self.target_participant()
            if participant is None:
                return None
            capability = CAPABILITY.get(action)
            if capability and not present.can(participant, capability):
                return None
        # Hand and waiting-room state change all the time: those keys stay enabled (and
        # say so when there is nothing to do) so the footer does not flicker.
        return True

    # -- running calls ----------------------------------------------------------------------

    def pending_label(self, record: ParticipantRecord | None) -> str:
        pending = record.pending if record is not None else ()
        for action in pending or ():
            if action.state == "requested":
                return PENDING_LABELS.get(action.kind, "pending")
        return ""

    def expire_actions(self, now: float) -> None:
        store = self.host_store
        for action in store.actions.expire(now):
            self.pextui.note(f"{action.description}: {action.reason}", "warn")
        store.transfers.expire(now)

    def perform(
        self,
        kind: str,
        uuid: str | None,
        description: str,
        call: Call,
        on_success: Callable[[], None] | None = None,
        *,
        value: str | bool | None = None,
    ) -> None:
        """Run one host call in a worker; pending on `uuid` until the server confirms.

        `kind` is the store's action kind (the REST function name): kinds with a visible
        effect are confirmed by the server's update, the others when the request succeeds.
        """
        store = self.host_store
        action_id = store.actions.request(kind, uuid, description, value=value)
        observable = kind in (PARTICIPANT_CHECKS if uuid else CONFERENCE_CHECKS)
        self.pextui.note(f"{description}…")

        async def run() -> None:
            try:
                await call()
            except Exception as exc:
                reason = action_reason(exc)
                store.actions.fail(action_id, reason)
                self.pextui.note(f"{description} failed: {reason}", "error")
                self.notify(reason, title=f"{description} failed", severity="error")
                return
            if not observable:
                store.actions.confirm(action_id, "accepted by the server")
            self.pextui.note(f"{description}: sent", "ok")
            if on_success is not None:
                on_success()

        self.run_worker(run(), name=f"host:{kind}", group="host-actions", exit_on_error=False)

    def name_of(self, uuid: str) -> str:
        record = self.host_store.roster.get(uuid)
        return present.display_name(record.participant) if record is not None else "?"

    def _each(
        self, kind: str, verb: str, call: Callable[[Session, str], Awaitable[object]]
    ) -> None:
        session = self.session
        if session is None:
            return
        for uuid in self.targets():
            self.perform(kind, uuid, f"{verb} {self.name_of(uuid)}", _bind(call, session, uuid))

    # -- participant actions ----------------------------------------------------------------

    def _participants(self) -> list[object]:
        roster = self.host_store.roster
        return [roster[uuid].participant for uuid in self.targets() if uuid in roster]

    def action_mute(self) -> None:
        participants = self._participants()
        if participants and all(present.audio_muted(p) for p in participants):
            self._each("unmute", "Unmute", lambda s, u: s.unmute(u))
        else:
            self._each("mute", "Mute", lambda s, u: s.mute(u))

    def action_video(self) -> None:
        participants = self._participants()
        if participants and all(present.video_muted(p) for p in participants):
            self._each("video_unmuted", "Start video of", lambda s, u: s.unmute_video(u))
        else:
            self._each("video_muted", "Stop video of", lambda s, u: s.mute_video(u))

    def action_spotlight(self) -> None:
        participants = self._participants()
        if participants and all(present.spotlight_time(p) > 0 for p in participants):
            self._each("spotlightoff", "Spotlight off", lambda s, u: s.spotlight_off(u))
        else:
            self._each("spotlighton", "Spotlight", lambda s, u: s.spotlight_on(u))

    def action_lower_hand(self) -> None:
        if not any(present.hand_time(p) > 0 for p in self._participants()):
            self.notify("No raised hand here", timeout=2)
            return
        self._each("clearbuzz", "Lower hand of", lambda s, u: s.clear_buzz(u))

    def action_presentation(self) -> None:
        participant = self.target_participant()
        if participant is None:
            return
        if str(present.field(participant, "rx_presentation_policy", "ALLOW")) == "DENY":
            self._each("allowrxpresentation", "Allow presentation to", _allow_rx)
        else:
            self._each("denyrxpresentation", "Deny presentation to", _deny_rx)

    def action_admit(self) -> None:
        session = self.session
        store = self.host_store
        if session is None:
            return
        cursor = self.query_one(Roster).cursor_uuid
        waiting = list(store.waiting_room)
        uuid = cursor if cursor in waiting else (waiting[0] if waiting else None)
        if uuid is None:
            self.notify("Nobody is waiting", timeout=2)
        else:
            self.perform(
                "unlock", uuid, f"Admit {self.name_of(uuid)}", _bind(_admit, session, uuid)
            )

    def action_admit_all(self) -> None:
        session = self.session
        if session is None:
            return
        for uuid in list(self.host_store.waiting_room):
            self.perform(
                "unlock", uuid, f"Admit {self.name_of(uuid)}", _bind(_admit, session, uuid)
            )

    def _admit(self, session: Session, uuid: str) -> None:
        self.perform("unlock", uuid, f"Admit {self.name_of(uuid)}", _bind(_admit, session, uuid))

    # -- conference actions -----------------------------------------------------------------

    def action_lock(self) -> None:
        session = self.session
        if session is None:
            return
        if bool(getattr(self.host_store.status, "locked", False)):
            self.perform("unlock", None, "Unlock the conference", session.unlock)
        else:
            self.perform("lock", None, "Lock the conference", session.lock)

    def action_mute_guests(self) -> None:
        session = self.session
        if session is None:
            return
        if bool(getattr(self.host_store.status, "guests_muted", False)):
            self.perform("unmuteguests", None, "Unmute all guests", session.unmute_guests)
        else:
            self.perform("muteguests", None, "Mute all guests", session.mute_guests)

    def action_lower_all_hands(self) -> None:
        if self.session is not None:
            self.perform("clearallbuzz", None, "Lower all hands", self.session.clear_all_buzz)

    def action_start(self) -> None:
        if self.session is not None:
            self.perform(
                "start_conference", None, "Start the conference", self.session.start_conference
            )


# "mute failed: " (the client's action name) and "Transfer failed: " (the node's wording):
# the notification already says what failed, so the reason is shown without them.
_FAILED_PREFIX = re.compile(r"^\s*[\w ]{1,40}? failed:\s*", re.IGNORECASE)


def action_reason(error: BaseException) -> str:
    """The server's reason for a failed host call, once, without "<action> failed:" prefixes."""
    from pextui.protocol.errors import PexipError
    from pextui.tui.app import describe_error

    text = error.reason if isinstance(error, PexipError) else describe_error(error)
    text = present.safe_text(text, 200)
    while (stripped := _FAILED_PREFIX.sub("", text, count=1)) != text and stripped:
        text = stripped
    return text or describe_error(error)


def _bind(call: Callable[[Session, str], Awaitable[object]], session: Session, uuid: str) -> Call:
    return lambda: call(session, uuid)


async def _admit(session: Session, uuid: str) -> None:
    await session.admit(uuid)


async def _allow_rx(session: Session, uuid: str) -> None:
    await session.allow_rx_presentation(uuid)


async def _deny_rx(session: Session, uuid: str) -> None:
    await session.deny_rx_presentation(uuid)
