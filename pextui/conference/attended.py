"""Attended transfer: consult the target conference first, then complete, abort or swap.

A PBX's attended transfer (consult the third party, then complete, abort or swap) mapped onto
Pexip conferences. No Textual, no I/O: the console performs the requests and reports back.

States of a :class:`Consult`::

    consulting --complete()--> completing --transfer_requested()--> completed
        |                          '------complete_failed(reason)--> failed
        |--abort()--------------> aborted   (by the host: nothing moves, logged)
        |--participant_left()---> aborted   (the participant left the source)
        '--target_ended()-------> aborted   (the target conference ended)

While consulting (or completing) ``swap()`` puts the other side in front (``front``: source
or target); ``target_locked(alias, locked)`` marks the consult (a guest transferred into a
locked conference waits in its waiting room) without ending it; ``message_sent`` /
``message_failed`` record the note to the target's hosts, and ``message_retry`` puts a
failed note back in line to be sent again (the text kept as typed). ``completed`` hands the outcome
(left, arrived, failed, timed out, rejected) to the transfer tracker: ``transfer_id``.

One live consult per participant: a second ``start`` for a participant whose consult is
still consulting or completing is refused (:class:`ConsultError` names the live one), so the
target's hosts are never told about a move that silently changed; abort it first. A consult
that ended (completed, aborted, failed) does not block a new one.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any, Literal

ConsultState = Literal["consulting", "completing", "completed", "aborted", "failed"]
Side = Literal["source", "target"]
MessageState = Literal["unsent", "sending", "sent", "failed"]

LIVE: frozenset[ConsultState] = frozenset({"consulting", "completing"})
DEFAULT_MESSAGE = "Bringing you {name} in {minutes} minutes — OK?"
_HISTORY = 50
_LOG_LINES = 200


class ConsultError(ValueError):
    """A transition that the consult's state does not allow (the message says why)."""


def default_message(name: str, minutes: int = 2) -> str:
    """The note for the target's hosts, before the host edits it."""
    return DEFAULT_MESSAGE.format(name=name or "a participant", minutes=minutes)


@dataclass(slots=True)
class Consult:
    """One attended transfer of one participant from ``source`` to ``target``."""

    id: int
    participant_uuid: str
    display_name: str
    source: str
    target: str
    role: str
    started_at: float
    message: str = ""
    message_state: MessageState = "unsent"
    message_reason: str = ""
    message_to: str = ""  # who it reached, in words
    state: ConsultState = "consulting"
    front: Side = "source"
    target_locked: bool = False
    reason: str = ""
    transfer_id: int | None = None
    ended_at: float | None = None
    history: list[str] = field(default_factory=list)

    @property
    def live(self) -> bool:
        return self.state in LIVE

    @property
    def in_front(self) -> str:
        """The alias of the conference in front."""
        return self.source if self.front == "source" else self.target

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "participant_uuid": self.participant_uuid,
            "display_name": self.display_name,
            "source": self.source,
            "target": self.target,
            "role": self.role,
            "state": self.state,
            "front": self.front,
            "message_state": self.message_state,
            "target_locked": self.target_locked,
            "reason": self.reason,
            "transfer_id": self.transfer_id,
            "started_at": self.started_at,
            "ended_at": self.ended_at,
        }


class ConsultBook:
    """Every consult of the app, live and recent, across all open conferences."""

    def __init__(
        self, clock: Callable[[], float], on_change: Callable[[Consult, str], None] | None = None
    ) -> None:
        self._clock = clock
        self._on_change = on_change  # (consult, log line) after every transition
        self._next_id = 1
        self._live: dict[int, Consult] = {}
        self._ended: deque[Consult] = deque(maxlen=_HISTORY)
        self.log: deque[str] = deque(maxlen=_LOG_LINES)

    # -- queries ----------------------------------------------------------------------------

    def get(self, consult_id: int) -> Consult | None:
        consult = self._live.get(consult_id)
        if consult is not None:
            return consult
        return next((c for c in self._ended if c.id == consult_id), None)

    def live(self) -> list[Consult]:
        return list(self._live.values())

    def recent(self) -> list[Consult]:
        return list(self._ended)

    def __iter__(self) -> Iterator[Consult]:
        yield from self._ended
        yield from self._live.values()

    def for_participant(self, uuid: str) -> Consult | None:
        """The live consult of a participant, if any."""
        return next((c for c in self._live.values() if c.participant_uuid == uuid), None)

    def pending_target(self, uuid: str) -> str | None:
        """Where a participant's live consult would move them (for the row's mark)."""
        consult = self.for_participant(uuid)
        return consult.target if consult is not None else None

    # -- transitions ------------------------------------------------------------------------

    def start(
        self,
        participant_uuid: str,
        display_name: str,
        source: str,
        target: str,
        *,
        role: str = "guest",
        message: str = "",
    ) -> Consult:
        """idle -> consulting. Refused for a participant with a live consult, or to itself."""
        if not participant_uuid:
            raise ConsultError("no participant to consult about")
        if not target or target == source:
            raise ConsultError("the target must be another conference")
        if role not in ("host", "guest"):
            raise ConsultError(f"unknown role {role!r}")
        existing = self.for_participant(participant_uuid)
        if existing is not None:
            raise ConsultError(
                f"{display_name or 'the participant'} is already in a consult with "
                f"{existing.target} ({existing.state}): complete or abort it first"
            )
        consult = Consult(
            self._next_id,
            participant_uuid,
            display_name,
            source,
            target,
            role,
            self._clock(),
            message=message,
        )
        self._next_id += 1
        self._live[consult.id] = consult
        self._record(consult, f"Consult {target} about moving {display_name} from {source}")
        return consult

    def message_sending(self, consult_id: int) -> None:
        consult = self._need(consult_id, LIVE)
        consult.message_state = "sending"
        self._record(consult, f"Message to the hosts of {consult.target}: sending")

    def message_sent(self, consult_id: int, direct: int, chat: bool = False) -> None:
        """Sent: directly to ``direct`` hosts and/or to the conference chat."""
        consult = self._need(consult_id, LIVE)
        consult.message_state, consult.message_reason = "sent", ""
        to = [f"{direct} host{'s' if direct != 1 else ''} directly"] if direct else []
        if chat or not direct:
            to.append("the conference chat")
        consult.message_to = " and ".join(to)
        self._record(consult, f"Message to {consult.target} sent to {consult.message_to}")

    def message_failed(self, consult_id: int, reason: str) -> None:
        """The note did not reach the target's hosts: the consult goes on, marked."""
        consult = self._need(consult_id, LIVE)
        consult.message_state, consult.message_reason = "failed", reason
        self._record(consult, f"Message to {consult.target} failed: {reason}")

    def message_retry(self, consult_id: int) -> None:
        """failed -> unsent: the same note goes out again (to whom it did not reach)."""
        consult = self._need(consult_id, LIVE)
        if consult.message_state != "failed":
            raise ConsultError(f"the message to {consult.target} did not fail")
        consult.message_state = "unsent"
        self._record(consult, f"Message to the hosts of {consult.target}: trying again")

    def swap(self, consult_id: int, to: Side | None = None) -> Side:
        """Put the other conference (or side ``to``) in front; returns the side in front."""
        consult = self._need(consult_id, LIVE)
        if to is None:
            to = "target" if consult.front == "source" else "source"
        consult.front = to
        self._record(consult, f"Swap: {consult.in_front} in front")
        return consult.front

    def complete(self, consult_id: int) -> Consult:
        """consulting -> completing: the console now requests the transfer."""
        consult = self._need(consult_id, ("consulting",))
        consult.state = "completing"
        self._record(consult, f"Complete: transferring {consult.display_name} to {consult.target}")
        return consult

    def transfer_requested(self, consult_id: int, transfer_id: int) -> None:
        """completing -> completed: the transfer tracker follows the outcome from here."""
        consult = self._need(consult_id, ("completing",))
        consult.transfer_id = transfer_id
        self._end(consult, "completed", "", f"Completed: the transfer to {consult.target} started")

    def complete_failed(self, consult_id: int, reason: str) -> None:
        """completing -> failed: the transfer was refused (wrong PIN, unknown alias, ...)."""
        consult = self._need(consult_id, ("completing",))
        self._end(consult, "failed", reason, f"Complete failed: {reason}")

    def abort(self, consult_id: int, reason: str = "aborted by the host") -> None:
        """consulting -> aborted: nothing moves."""
        consult = self._need(consult_id, ("consulting",))
        self._end(consult, "aborted", reason, f"Aborted ({reason}): {consult.display_name} stays")

    # -- what happens around a consult (applied to every matching live consult) -------------

    def participant_left(self, uuid: str, source: str | None = None) -> list[Consult]:
        """The participant left the source while consulting: the consult ends, aborted.
        While completing, leaving is the transfer working: nothing changes."""
        hit = [
            c
            for c in self._live.values()
            if c.participant_uuid == uuid
            and c.state == "consulting"
            and (source is None or c.source == source)
        ]
        for consult in hit:
            reason = f"{consult.display_name} left {consult.source} during the consult"
            self._end(consult, "aborted", reason, f"Aborted: {reason}")
        return hit

    def target_ended(self, alias: str, why: str = "ended") -> list[Consult]:
        """The target conference ended (or its session did) while consulting: aborted."""
        hit = [c for c in self._live.values() if c.target == alias and c.state == "consulting"]
        for consult in hit:
            reason = f"{alias} {why} during the consult"
            self._end(consult, "aborted", reason, f"Aborted: {reason}")
        return hit

    def target_lock_changed(self, alias: str, locked: bool) -> list[Consult]:
        """The target locked or unlocked while consulting: marked, not ended."""
        hit = [
            c
            for c in self._live.values()
            if c.target == alias and c.state == "consulting" and c.target_locked != locked
        ]
        for consult in hit:
            consult.target_locked = locked
            if locked and consult.role == "guest":
                line = f"{alias} locked: {consult.display_name} would wait in its waiting room"
            else:
                line = f"{alias} {'locked' if locked else 'unlocked'}"
            self._record(consult, line)
        return hit

    # -- internals --------------------------------------------------------------------------

    def _need(self, consult_id: int, states: tuple[ConsultState, ...] | frozenset[str]) -> Consult:
        consult = self.get(consult_id)
        if consult is None:
            raise ConsultError(f"no consult #{consult_id}")
        if consult.state not in states:
            raise ConsultError(f"the consult with {consult.target} is {consult.state}")
        return consult

    def _end(self, consult: Consult, state: ConsultState, reason: str, line: str) -> None:
        self._live.pop(consult.id, None)
        consult.state, consult.reason, consult.ended_at = state, reason, self._clock()
        self._ended.append(consult)
        self._record(consult, line)

    def _record(self, consult: Consult, line: str) -> None:
        consult.history.append(line)
        self.log.append(line)
        if self._on_change is not None:
            self._on_change(consult, line)
