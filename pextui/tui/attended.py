"""Attended transfer across the open conferences: consult, swap, complete, abort.

:class:`AttendedTransfers` (one per app, no widgets) drives the state machine of
:mod:`pextui.conference.attended` with the consoles of the open conferences:

* ``start``: the target conference is reused when it is open, else opened in a tab behind
  the source; a consult starts while the participant stays where they are;
* ``watch`` (a few times a second): once the target's roster is in, its hosts get the
  message (a direct message to each host whose client supports direct chat, else the
  conference chat); the participant leaving the source, the target ending, locking or
  unlocking are applied to the consult;
* ``swap`` brings the other conference to the front; ``complete`` runs the transfer in the
  source console (tracked by its transfer tracker from then on); ``abort`` moves nothing;
* ``resend``: a message that failed (the server's reason shown) goes out again, as typed,
  to the hosts (or the chat) it did not reach.

Every step is a line in both conferences' event logs.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol

from pextui.conference.attended import Consult, ConsultBook, ConsultError, Side
from pextui.protocol.client import JoinParams
from pextui.protocol.errors import PexipError
from pextui.protocol.models import Participant
from pextui.protocol.session import Session
from pextui.sanitize import safe_text
from pextui.tui.console import Console, action_reason
from pextui.tui.present import display_name

log = logging.getLogger(__name__)

Notify = Callable[..., None]


class Tabs(Protocol):
    """What attended transfer needs of the app's open conferences."""

    def find(self, alias: str) -> Console | None: ...

    def switch_to(self, console: Console) -> None: ...

    def open(
        self, params: JoinParams | None, session: Session | None = None, *, front: bool = True
    ) -> Console: ...


@dataclass(slots=True)
class Sides:
    """The consoles of one consult."""

    source: Console
    target: Console | None = None


def target_hosts(console: Console | None) -> list[Participant]:
    """The hosts in a conference, other than ourselves (in roster order)."""
    store = console.store if console is not None else None
    if store is None:
        return []
    return [
        record.participant
        for uuid, record in store.roster.items()
        if uuid != store.self_uuid and record.participant.is_host
    ]


def ready(console: Console | None) -> bool:
    """The console's session is live and its roster synced."""
    return (
        console is not None
        and console.session is not None
        and console.store is not None
        and not console.store.syncing
        and console.connection.state == "live"
    )


class AttendedTransfers:
    """Every consult of the app and the consoles it involves."""

    def __init__(self, clock: Callable[[], float], tabs: Callable[[], Tabs | None]) -> None:
        self.book = ConsultBook(clock, self._changed)
        self._tabs = tabs
        self._sides: dict[int, Sides] = {}
        self._pins: dict[int, str | None] = {}  # the PIN given for the target; never shown
        self._session_pins: dict[int, bool] = {}  # no PIN given: our host session's there
        self._sending: set[int] = set()
        self._delivered: dict[int, set[str]] = {}  # host uuids ('' = the chat) reached
        self.version = 0  # bumped on every change (views redraw when it moves)

    # -- queries ----------------------------------------------------------------------------

    def sides(self, consult_id: int) -> Sides | None:
        return self._sides.get(consult_id)

    def shown_in(self, console: Console) -> Consult | None:
        """The consult a conference screen shows: a live one it is part of, else the last
        one that involved it (until another starts)."""
        mine = [c for c in self.book if self._involves(c.id, console)]
        live = [c for c in mine if c.live]
        if live:
            return live[-1]
        return mine[-1] if mine else None

    def live_in(self, console: Console) -> Consult | None:
        consult = self.shown_in(console)
        return consult if consult is not None and consult.live else None

    def pending_target(self, console: Console, uuid: str) -> str | None:
        """Where a participant of ``console`` is about to go (for the row's mark)."""
        consult = self.book.for_participant(uuid)
        if consult is None:
            return None
        sides = self._sides.get(consult.id)
        return consult.target if sides is not None and sides.source is console else None

    def pending_in(self, console: Console) -> dict[str, str]:
        """uuid -> target of every live consult whose participant is in ``console``."""
        return {
            c.participant_uuid: c.target
            for c in self.book.live()
            if (sides := self._sides.get(c.id)) is not None and sides.source is console
        }

    def _involves(self, consult_id: int, console: Console) -> bool:
        sides = self._sides.get(consult_id)
        return sides is not None and console in (sides.source, sides.target)

    # -- the host's steps -------------------------------------------------------------------

    def start(
        self,
        source: Console,
        uuid: str,
        name: str,
        target: str,
        *,
        role: str = "guest",
        pin: str | None = None,
        session_pin: bool = False,
        message: str = "",
    ) -> Consult:
        """Begin a consult; the target is reused or opened behind the source. Raises
        :class:`ConsultError` when refused (nothing changed then)."""
        tabs = self._tabs()
        session = source.session
        if session is None:
            raise ConsultError(f"{source.alias} is not connected")
        if tabs is None:
            raise ConsultError("only one conference can be open: no consult possible")
        found = tabs.find(target)
        if found is source:
            raise ConsultError("the target must be another conference")
        consult = self.book.start(uuid, name, source.alias, target, role=role, message=message)
        sides = self._sides[consult.id] = Sides(source, found)
        self._pins[consult.id] = pin
        self._session_pins[consult.id] = session_pin
        if found is None:
            params = JoinParams(
                node_url=session.node_url,
                alias=target,
                display_name=session.display_name,
                pin=pin,
                verify=getattr(source.join_params, "verify", True),
            )
            sides.target = tabs.open(params, front=False)
        for console in (source, sides.target):
            if console is not None:
                console.note(f"Attended transfer: {consult.history[0]}")
        return consult

    def swap(self, consult_id: int, looking_at: Console | None = None) -> None:
        """Bring the other side of the consult to the front (from ``looking_at``)."""
        sides, tabs = self._sides.get(consult_id), self._tabs()
        if sides is None or tabs is None or sides.target is None:
            raise ConsultError(f"no consult #{consult_id}")
        to: Side | None = None
        if looking_at is sides.source:
            to = "target"
        elif looking_at is sides.target:
            to = "source"
        front = self.book.swap(consult_id, to)
        tabs.switch_to(sides.target if front == "target" else sides.source)

    def abort(self, consult_id: int) -> None:
        """Nothing moves; the consult is logged in both conferences."""
        self.book.abort(consult_id)

    def resend(self, consult_id: int) -> None:
        """Send a message that failed again (``watch`` sends it once the target is ready)."""
        self.book.message_retry(consult_id)
        self.watch()

    def complete(self, consult_id: int) -> None:
        """Run the transfer from the source; its tracker follows the outcome."""
        consult = self.book.get(consult_id)
        sides = self._sides.get(consult_id)
        if consult is None or sides is None:
            raise ConsultError(f"no consult #{consult_id}")
        session = sides.source.session
        if session is None:
            raise ConsultError(f"{consult.source} is not connected")
        self.book.complete(consult_id)
        uuid, alias, role = consult.participant_uuid, consult.target, consult.role
        pin = self._transfer_pin(consult_id, sides, alias)
        name = safe_text(consult.display_name, 60) or "participant"

        def settled(reason: str | None) -> None:
            try:
                if reason is None:
                    self.book.transfer_requested(consult_id, transfer_id)
                else:
                    self.book.complete_failed(consult_id, reason)
            except ConsultError as exc:  # ended meanwhile
                log.info("attended transfer: %s", exc)

        transfer_id = sides.source.transfer(
            uuid,
            f"Transfer {name} to {safe_text(alias, 60)} (attended)",
            alias,
            role,
            lambda: session.transfer(uuid, alias, role, pin),
            on_settled=settled,
        )
        if not transfer_id:
            self.book.complete_failed(consult_id, f"{consult.source} has no roster")

    def _transfer_pin(self, consult_id: int, sides: Sides, alias: str) -> str | None:
        """The PIN given for the target, else (none typed for a conference we host) the PIN
        the console joined it with, read only here."""
        pin = self._pins.get(consult_id)
        if pin is None and self._session_pins.get(consult_id):
            pin = sides.source.host_pin_for(alias)
        return pin

    # -- what happens around the consults ---------------------------------------------------

    def watch(self) -> None:
        """Apply the source's and the target's changes to every live consult (cheap)."""
        tabs = self._tabs()
        for consult in self.book.live():
            sides = self._sides.get(consult.id)
            if sides is None or consult.state != "consulting":
                continue
            if self._source_gone(consult, sides) or self._target_gone(consult, sides, tabs):
                continue
            target = sides.target
            if ready(target) and target is not None and target.store is not None:
                locked = bool(getattr(target.store.status, "locked", False))
                self.book.target_lock_changed(consult.target, locked)
                if consult.message and consult.message_state == "unsent":
                    self._send_message(consult, target)

    def _source_gone(self, consult: Consult, sides: Sides) -> bool:
        source = sides.source
        if source.session is None and source.connection.state == "ended":
            self.book.abort(consult.id, f"{consult.source} ended during the consult")
            return True
        store = source.store
        if ready(source) and store is not None and consult.participant_uuid not in store.roster:
            self.book.participant_left(consult.participant_uuid, consult.source)
            return True
        return False

    def _target_gone(self, consult: Consult, sides: Sides, tabs: Tabs | None) -> bool:
        target = sides.target
        if target is None or tabs is None or tabs.find(consult.target) is not target:
            self.book.target_ended(consult.target, "was closed")
            return True
        if target.session is None and target.connection.state == "ended":
            detail = safe_text(target.connection.detail, 120)
            self.book.target_ended(consult.target, f"ended ({detail})" if detail else "ended")
            return True
        return False

    def _send_message(self, consult: Consult, target: Console) -> None:
        """Directly to each host whose client takes direct messages; to the conference chat
        as well when a host's does not, or when there is no other host."""
        session, store = target.session, target.store
        if session is None or store is None or consult.id in self._sending:
            return
        consult_id, text = consult.id, consult.message
        hosts = target_hosts(target)
        direct = [(p.uuid, display_name(p)) for p in hosts if p.supports_direct_chat]
        chat = len(direct) < len(hosts) or not hosts
        reached = self._delivered.setdefault(consult_id, set())  # by an earlier try
        self._sending.add(consult_id)
        self.book.message_sending(consult_id)

        async def send() -> None:
            try:
                for uuid, name in direct:
                    if uuid not in reached:
                        await session.send_private_message(uuid, text)
                        reached.add(uuid)
                        store.record_sent_message(text, direct=True, recipient=name)
                if chat and "" not in reached:
                    await session.send_message(text)
                    reached.add("")
                    store.record_sent_message(text)
            except PexipError as exc:
                self._after_message(consult_id, action_reason(exc))
                return
            finally:
                self._sending.discard(consult_id)
            self._after_message(consult_id, None, len(direct), chat)

        target.runner(send(), "attended:message")

    def _after_message(
        self, consult_id: int, reason: str | None, direct: int = 0, chat: bool = False
    ) -> None:
        try:
            if reason is None:
                self.book.message_sent(consult_id, direct, chat)
            else:
                self.book.message_failed(consult_id, reason)
        except ConsultError:  # the consult ended while the message went out
            return
        sides, consult = self._sides.get(consult_id), self.book.get(consult_id)
        if reason is not None and sides is not None and consult is not None:
            sides.source.notify(
                f"The message to the hosts of {safe_text(consult.target, 60)} was not sent: "
                f"{reason}. The consult panel offers to send it again.",
                title="Attended transfer",
                severity="warning",
            )

    # -- the log ----------------------------------------------------------------------------

    def _changed(self, consult: Consult, line: str) -> None:
        self.version += 1
        level = {"completed": "ok", "aborted": "warn", "failed": "error"}.get(consult.state)
        sides = self._sides.get(consult.id)
        if sides is None:
            return  # the first line: noted once the sides are known (see start)
        consoles = [sides.source] + ([sides.target] if sides.target is not None else [])
        for console in consoles:
            console.note(f"Attended transfer: {line}", level or "info")
        if consult.state in ("aborted", "failed") and not consult.reason.startswith("aborted by"):
            sides.source.notify(line, title="Attended transfer", severity="warning")
