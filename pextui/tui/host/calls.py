"""Host calls that need no dialog: mute, video, spotlight, hands, admit, lock, start...

:class:`HostCalls` turns a key press into :meth:`Console.perform` calls on the participants
the roster points at (the selection, or the cursor's row). It also says which actions are
allowed now (:meth:`HostCalls.allowed`, the screen's ``check_action``).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any

from pextui.tui import present
from pextui.tui.host.actions import BY_ACTION, HOST_ONLY, ON_CURSOR, PENDING_LABELS

if TYPE_CHECKING:
    from textual.binding import ActiveBinding

    from pextui.conference import ConferenceStore
    from pextui.conference.records import ParticipantRecord
    from pextui.protocol.session import Session
    from pextui.tui.console import Call, Console
    from pextui.tui.widgets.roster import Roster

CAPABILITY_VERBS = {
    "mute": "muted",
    "transfer": "transferred",
    "disconnect": "disconnected",
    "fecc": "camera-controlled (no far-end camera control)",
}
"""How a refusal names what a participant's call lacks (its ``<capability>_supported``)."""

SessionCall = Callable[["Session", str], Awaitable[object]]


class HostCalls:
    """The direct host actions of one conference screen."""

    def __init__(
        self, console: Console, roster: Callable[[], Roster], notify: Callable[..., None]
    ) -> None:
        self.console = console
        self._roster = roster
        self.notify = notify

    @property
    def store(self) -> ConferenceStore:
        store = self.console.store
        assert store is not None, "host calls need a store"
        return store

    # -- who and what -----------------------------------------------------------------------

    def targets(self) -> list[str]:
        return self._roster().selection_or_cursor()

    def has_selection(self) -> bool:
        """Rows are selected (space): the participant actions act on all of them."""
        return bool(self._roster().selected)

    def target_participant(self) -> Any:
        uuid = self._roster().cursor_uuid
        record = self.store.roster.get(uuid) if uuid else None
        return record.participant if record is not None else None

    def cursor(self) -> tuple[str, str] | None:
        """The cursor's participant as (uuid, name), or None."""
        uuid = self._roster().cursor_uuid
        if uuid is None or uuid not in self.store.roster:
            return None
        return uuid, self.name_of(uuid)

    def name_of(self, uuid: str) -> str:
        record = self.store.roster.get(uuid)
        return present.display_name(record.participant) if record is not None else "?"

    def _participants(self) -> list[Any]:
        roster = self.store.roster
        return [roster[uuid].participant for uuid in self.targets() if uuid in roster]

    def allowed(self, action: str) -> bool | None:
        """``check_action``: True, or None (shown dimmed) when not possible now."""
        if action not in HOST_ONLY:
            return True
        if not self.console.is_host():
            return None
        if action in ON_CURSOR:
            participant = self.target_participant()
            if participant is None:
                return None
            capability = BY_ACTION[action].capability
            if capability and not present.can(participant, capability):
                return None
        # Hand and waiting-room state change all the time: those keys stay enabled (and
        # say so when there is nothing to do) so the footer does not flicker.
        return True

    def refusal(self, action: str) -> str | None:
        """Why :meth:`allowed` dims ``action`` now, in words for the host; None if it does not."""
        if self.allowed(action) is not None:
            return None
        label = BY_ACTION[action].label
        if not self.console.is_host():
            return f"Only a host can use {label}: this console joined as a guest."
        participant = self.target_participant()
        if participant is None:
            return f"{label} acts on the participant under the cursor: nobody is there."
        capability = BY_ACTION[action].capability
        name = present.safe_text(present.display_name(participant), 60)
        protocol = present.protocol_label(participant) or "this kind of"
        verb = CAPABILITY_VERBS.get(capability, capability)
        return f"{name}'s call ({protocol}) cannot be {verb}: the node does not support it."

    def explain_disabled(self, active: ActiveBinding | None) -> bool:
        """A key pressed whose binding is dimmed: say why (True), if it is one of ours."""
        if active is None or active.enabled or active.binding.action not in HOST_ONLY:
            return False
        reason = self.refusal(active.binding.action)
        if reason is not None:
            self.notify(reason, title="Not possible", severity="warning")
        return reason is not None

    def transfer_refusal(self, uuid: str, *, attended: bool = False) -> str | None:
        """Why ``t`` (or ``T``: ``attended``) makes no sense for this participant, in words
        for the host; None when it does. The console's own participant is its control
        connection: moved, the console would leave the conference it hosts."""
        store = self.store
        if uuid == store.self_uuid:
            key = "the attended transfer (T)" if attended else "the transfer (t)"
            return (
                f"That is you (this console): {key} moves someone else. To be in another "
                "conference as well, join it (J)."
            )
        name = present.safe_text(self.name_of(uuid), 60)
        record = store.roster.get(uuid)
        if record is None:
            return f"{name} is no longer in the conference."
        running = store.transfers.latest_for(uuid)
        if running is not None and running.state == "requested":
            alias = present.safe_text(running.target_alias, 60)
            return f"{name} is already being transferred to {alias}."
        if record.participant.is_transferring:
            return f"{name} is already being transferred."
        consults = self.console.attended
        consult = consults.book.for_participant(uuid) if consults is not None else None
        if consult is not None and not attended:  # T says so itself, naming the consult
            alias = present.safe_text(consult.target, 60)
            return (
                f"{name} is in an attended transfer to {alias}: complete (Y) or abort (N) it first."
            )
        return None

    def refuse_transfer(self, uuid: str, *, attended: bool = False) -> bool:
        """Say why the transfer makes no sense (True), or nothing (False: go ahead)."""
        reason = self.transfer_refusal(uuid, attended=attended)
        if reason is not None:
            title = "Attended transfer" if attended else "Transfer"
            self.notify(reason, title=f"{title} not possible", severity="warning")
        return reason is not None

    @staticmethod
    def pending_label(record: ParticipantRecord | None) -> str:
        for action in (record.pending if record is not None else ()) or ():
            if action.state == "requested":
                return PENDING_LABELS.get(action.kind, "pending")
        return ""

    def _each(self, kind: str, verb: str, call: SessionCall) -> None:
        session = self.console.session
        if session is None:
            return
        for uuid in self.targets():
            self.console.perform(
                kind, uuid, f"{verb} {self.name_of(uuid)}", bind(call, session, uuid)
            )

    # -- participant actions ----------------------------------------------------------------

    def mute(self) -> None:
        participants = self._participants()
        if participants and all(present.audio_muted(p) for p in participants):
            self._each("unmute", "Unmute", lambda s, u: s.unmute(u))
        else:
            self._each("mute", "Mute", lambda s, u: s.mute(u))

    def video(self) -> None:
        participants = self._participants()
        if participants and all(present.video_muted(p) for p in participants):
            self._each("video_unmuted", "Start video of", lambda s, u: s.unmute_video(u))
        else:
            self._each("video_muted", "Stop video of", lambda s, u: s.mute_video(u))

    def spotlight(self) -> None:
        participants = self._participants()
        if participants and all(present.spotlight_time(p) > 0 for p in participants):
            self._each("spotlightoff", "Spotlight off", lambda s, u: s.spotlight_off(u))
        else:
            self._each("spotlighton", "Spotlight", lambda s, u: s.spotlight_on(u))

    def lower_hand(self) -> None:
        if not any(present.hand_time(p) > 0 for p in self._participants()):
            self.notify("No raised hand here", timeout=2)
            return
        self._each("clearbuzz", "Lower hand of", lambda s, u: s.clear_buzz(u))

    def presentation(self) -> None:
        participant = self.target_participant()
        if participant is None:
            return
        if present.rx_presentation_denied(participant):
            self._each("allowrxpresentation", "Allow presentation to", _allow_rx)
        else:
            self._each("denyrxpresentation", "Deny presentation to", _deny_rx)

    def admit(self) -> None:
        if self.console.session is None:
            return
        cursor = self._roster().cursor_uuid
        waiting = list(self.store.waiting_room)
        uuid = cursor if cursor in waiting else (waiting[0] if waiting else None)
        if uuid is None:
            self.notify("Nobody is waiting", timeout=2)
        else:
            self._admit(uuid)

    def admit_all(self) -> None:
        if self.console.session is None:
            return
        for uuid in list(self.store.waiting_room):
            self._admit(uuid)

    def _admit(self, uuid: str) -> None:
        session = self.console.session
        if session is not None:
            self.console.perform(
                "unlock", uuid, f"Admit {self.name_of(uuid)}", bind(_admit, session, uuid)
            )

    # -- conference actions -----------------------------------------------------------------

    def lock(self) -> None:
        session = self.console.session
        if session is None:
            return
        if bool(getattr(self.store.status, "locked", False)):
            self.console.perform("unlock", None, "Unlock the conference", session.unlock)
        else:
            self.console.perform("lock", None, "Lock the conference", session.lock)

    def mute_guests(self) -> None:
        session = self.console.session
        if session is None:
            return
        if bool(getattr(self.store.status, "guests_muted", False)):
            self.console.perform("unmuteguests", None, "Unmute all guests", session.unmute_guests)
        else:
            self.console.perform("muteguests", None, "Mute all guests", session.mute_guests)

    def lower_all_hands(self) -> None:
        session = self.console.session
        if session is not None:
            self.console.perform("clearallbuzz", None, "Lower all hands", session.clear_all_buzz)

    def start(self) -> None:
        session = self.console.session
        if session is not None:
            self.console.perform(
                "start_conference", None, "Start the conference", session.start_conference
            )

    def send_chat(self, text: str, redraw: Callable[[], None]) -> None:
        session = self.console.session
        if session is None:
            return
        store = self.store

        def sent() -> None:
            store.record_sent_message(text)
            redraw()

        self.console.perform(
            "message", None, "Send chat message", lambda: session.send_message(text), sent
        )


def bind(call: SessionCall, session: Session, uuid: str) -> Call:
    return lambda: call(session, uuid)


async def _admit(session: Session, uuid: str) -> None:
    await session.admit(uuid)


async def _allow_rx(session: Session, uuid: str) -> None:
    await session.allow_rx_presentation(uuid)


async def _deny_rx(session: Session, uuid: str) -> None:
    await session.deny_rx_presentation(uuid)
