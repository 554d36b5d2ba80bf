"""Host actions and how the server confirms them.

``request`` records an action the console has sent; ``apply`` of a matching
server update confirms it; the caller ``fail``s it with the server's reason when
the HTTP request fails; ``expire`` marks those still waiting after their timeout
as unconfirmed. Kinds are the REST function names (docs/protocol.md). A participant
kind is confirmed when the participant's new state satisfies it:

    mute / unmute                   is_muted "YES" / "NO"
    video_muted / video_unmuted     is_video_muted True / False
    client_mute / client_unmute     is_client_muted True / False
    spotlighton / spotlightoff      spotlight > 0 / == 0
    buzz / clearbuzz                buzz_time > 0 / == 0  (raise / lower hand)
    role (value "chair"|"guest")    role == value
    unlock                          service_type leaves "waiting_room" (admit)
    allowrxpresentation / deny...   rx_presentation_policy "ALLOW" / "DENY"
    overlaytext (value)             overlay_text == value
    disconnect, transfer            the participant leaves (participant_delete)

A conference kind (no participant) by the conference state:

    lock / unlock                   status.locked True / False
    muteguests / unmuteguests       status.guests_muted True / False
    set_guests_can_unmute (value)   status.guests_can_unmute == value
    start_conference                status.started
    clearallbuzz                    no raised hands
    transform_layout (value)        layout view or requested layout == value
    disconnect                      nobody left but this console

Kinds with nothing observable (dial, message, dtmf, fecc, ...) are settled by
``confirm`` when the HTTP request succeeds. An action already satisfied when it
is requested is confirmed at once. When a participant leaves, its other pending
actions fail with "participant left the conference".
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any, Literal

from pextui.protocol.models import ConferenceStatus, Layout, Participant

ActionState = Literal["requested", "confirmed", "failed", "unconfirmed"]
ActionValue = str | bool | None

DEFAULT_ACTION_TIMEOUT = 10.0
_HISTORY = 200
LEFT_REASON = "participant left the conference"

ParticipantCheck = Callable[[Participant | None, ActionValue], bool]


def _present(check: Callable[[Participant, ActionValue], bool]) -> ParticipantCheck:
    return lambda p, value: p is not None and check(p, value)


def _gone(p: Participant | None, value: ActionValue) -> bool:
    return p is None


def _role_matches(p: Participant, value: ActionValue) -> bool:
    wanted = "chair" if value in ("chair", "host", "HOST") else "guest"
    return p.role == wanted


PARTICIPANT_CHECKS: dict[str, ParticipantCheck] = {
    "mute": _present(lambda p, v: p.is_muted == "YES"),
    "unmute": _present(lambda p, v: p.is_muted == "NO"),
    "video_muted": _present(lambda p, v: p.is_video_muted),
    "video_unmuted": _present(lambda p, v: not p.is_video_muted),
    "client_mute": _present(lambda p, v: p.is_client_muted),
    "client_unmute": _present(lambda p, v: not p.is_client_muted),
    "spotlighton": _present(lambda p, v: p.spotlight > 0),
    "spotlightoff": _present(lambda p, v: p.spotlight == 0),
    "buzz": _present(lambda p, v: p.buzz_time > 0),
    "clearbuzz": _present(lambda p, v: p.buzz_time == 0),
    "role": _present(_role_matches),
    "unlock": _present(lambda p, v: p.service_type != "waiting_room"),
    "allowrxpresentation": _present(lambda p, v: p.rx_presentation_policy == "ALLOW"),
    "denyrxpresentation": _present(lambda p, v: p.rx_presentation_policy == "DENY"),
    "overlaytext": _present(lambda p, v: p.overlay_text == v),
    "disconnect": _gone,
    "transfer": _gone,
}


@dataclass(frozen=True, slots=True)
class ConferenceView:
    """What conference kinds are checked against."""

    status: ConferenceStatus
    layout: Layout | None
    raised_hands: int
    others_present: int


def _layout_is(view: ConferenceView, value: ActionValue) -> bool:
    layout = view.layout
    if layout is None:
        return False
    requested = layout.requested_layout
    screen = requested.primary_screen if requested is not None else None
    return value in (layout.view, screen.chair_layout if screen else None)


CONFERENCE_CHECKS: dict[str, Callable[[ConferenceView, ActionValue], bool]] = {
    "lock": lambda c, v: c.status.locked,
    "unlock": lambda c, v: not c.status.locked,
    "muteguests": lambda c, v: c.status.guests_muted,
    "unmuteguests": lambda c, v: not c.status.guests_muted,
    "set_guests_can_unmute": lambda c, v: c.status.guests_can_unmute == bool(v),
    "start_conference": lambda c, v: c.status.started,
    "clearallbuzz": lambda c, v: c.raised_hands == 0,
    "transform_layout": _layout_is,
    "disconnect": lambda c, v: c.others_present == 0,
}


@dataclass(slots=True)
class HostAction:
    """One host action and its outcome."""

    id: int
    kind: str
    participant_uuid: str | None
    description: str
    value: ActionValue
    requested_at: float
    timeout: float
    state: ActionState = "requested"
    reason: str = ""
    settled_at: float | None = None

    @property
    def settled(self) -> bool:
        return self.state != "requested"

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "kind": self.kind,
            "participant_uuid": self.participant_uuid,
            "description": self.description,
            "value": self.value,
            "state": self.state,
            "reason": self.reason,
            "requested_at": self.requested_at,
            "settled_at": self.settled_at,
        }


class ActionTracker:
    """Pending and recently settled host actions (``store.actions``)."""

    def __init__(
        self,
        clock: Callable[[], float],
        lookup: Callable[[str], Participant | None],
        conference: Callable[[], ConferenceView],
        on_change: Callable[[str | None], None],
        timeout: float = DEFAULT_ACTION_TIMEOUT,
    ) -> None:
        self._clock = clock
        self._lookup = lookup
        self._conference = conference
        self._on_change = on_change  # called with the participant uuid (None: conference)
        self.timeout = timeout
        self._next_id = 1
        self._pending: dict[int, HostAction] = {}
        # Pending actions by participant uuid, and pending conference actions (read by the store).
        self.watched: dict[str, list[HostAction]] = {}
        self.conference_watched: list[HostAction] = []
        self._settled: deque[HostAction] = deque(maxlen=_HISTORY)

    # --- public API ----------------------------------------------------------------------

    def request(
        self,
        kind: str,
        participant_uuid: str | None,
        description: str,
        *,
        value: ActionValue = None,
        timeout: float | None = None,
    ) -> int:
        """Record a host action about to be sent; returns its id."""
        action = HostAction(
            self._next_id,
            kind,
            participant_uuid,
            description,
            value,
            self._clock(),
            self.timeout if timeout is None else timeout,
        )
        self._next_id += 1
        self._pending[action.id] = action
        if participant_uuid is None:
            self.conference_watched.append(action)
        else:
            self.watched.setdefault(participant_uuid, []).append(action)
        self._on_change(participant_uuid)
        if self._already_satisfied(action):
            self._settle(action, "confirmed", "already in the requested state")
        return action.id

    def confirm(self, action_id: int, reason: str = "") -> None:
        """Settle an action the server acknowledged but that has no observable effect."""
        action = self._pending.get(action_id)
        if action is not None:
            self._settle(action, "confirmed", reason)

    def fail(self, action_id: int, reason: str) -> None:
        action = self._pending.get(action_id)
        if action is not None:
            self._settle(action, "failed", reason)

    def expire(self, now: float | None = None) -> list[HostAction]:
        """Mark actions older than their timeout unconfirmed; returns them."""
        current = self._clock() if now is None else now
        expired = [a for a in self._pending.values() if current - a.requested_at >= a.timeout]
        for action in expired:
            self._settle(action, "unconfirmed", f"no confirmation after {action.timeout:g} s")
        return expired

    def get(self, action_id: int) -> HostAction | None:
        action = self._pending.get(action_id)
        if action is not None:
            return action
        return next((a for a in self._settled if a.id == action_id), None)

    def pending(self) -> list[HostAction]:
        return list(self._pending.values())

    def recent(self) -> list[HostAction]:
        """Settled actions, oldest first (bounded history)."""
        return list(self._settled)

    def __iter__(self) -> Iterator[HostAction]:
        yield from self._settled
        yield from self._pending.values()

    def for_participant(self, uuid: str) -> tuple[HostAction, ...]:
        return tuple(self.watched.get(uuid, ()))

    # --- called by the store ---------------------------------------------------------------

    def participant_changed(self, uuid: str, participant: Participant | None) -> None:
        """Check the participant's pending actions against its new state (None: it left)."""
        for action in list(self.watched.get(uuid, ())):
            check = PARTICIPANT_CHECKS.get(action.kind)
            if check is not None and check(participant, action.value):
                self._settle(action, "confirmed")
            elif participant is None:
                self._settle(action, "failed", LEFT_REASON)

    def conference_changed(self) -> None:
        if not self.conference_watched:
            return
        view = self._conference()
        for action in list(self.conference_watched):
            check = CONFERENCE_CHECKS.get(action.kind)
            if check is not None and check(view, action.value):
                self._settle(action, "confirmed")

    # --- internals ---------------------------------------------------------------------------

    def _already_satisfied(self, action: HostAction) -> bool:
        if action.participant_uuid is None:
            conference_check = CONFERENCE_CHECKS.get(action.kind)
            return conference_check is not None and conference_check(
                self._conference(), action.value
            )
        check = PARTICIPANT_CHECKS.get(action.kind)
        return check is not None and check(self._lookup(action.participant_uuid), action.value)

    def _settle(self, action: HostAction, state: ActionState, reason: str = "") -> None:
        self._pending.pop(action.id, None)
        action.state = state
        action.reason = reason
        action.settled_at = self._clock()
        uuid = action.participant_uuid
        if uuid is None:
            self.conference_watched = [a for a in self.conference_watched if a is not action]
        else:
            waiting = [a for a in self.watched.get(uuid, ()) if a is not action]
            if waiting:
                self.watched[uuid] = waiting
            else:
                self.watched.pop(uuid, None)
        self._settled.append(action)
        self._on_change(uuid)
