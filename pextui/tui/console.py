"""One joined conference, without widgets: the model every screen of that conference reads.

A :class:`Console` holds the session, the store, the connection state and the activity log of
one conference; it applies the event stream (:meth:`Console.stream`, run by the app in a
worker), follows a transfer (refer) into a fresh store, and runs the host calls: a call is
requested (pending on the participant), run in a worker that raises on failure, and settled
in one place (:meth:`Console.settle`, called from the app's ``on_worker_state_changed``):
confirmed by the server's update or by the request's success, or failed with the server's
reason. See docs/architecture.md.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections import deque
from collections.abc import Awaitable, Callable, Coroutine
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from textual.worker import Worker

from pextui.conference import ConferenceStore, Transfer
from pextui.conference.actions import CONFERENCE_CHECKS, PARTICIPANT_CHECKS
from pextui.conference.transfer_hub import TransferHub
from pextui.config import BULK_CONFIRM_ABOVE
from pextui.protocol.client import JoinParams
from pextui.protocol.errors import PexipError, without_failed_prefix
from pextui.protocol.params import NO_PIN
from pextui.protocol.session import Session
from pextui.sanitize import safe_text
from pextui.tui.stream import StreamConsumer
from pextui.tui.widgets.conference_tabs import TabBadge
from pextui.tui.widgets.status_bar import Connection

if TYPE_CHECKING:
    from pextui.tui.attended import AttendedTransfers

log = logging.getLogger(__name__)

HOST_GROUP = "host-actions"
APPLY_SLICE_S = 0.002  # the longest run of event applies in one loop turn (after the sync)
ACTIVITY_LINES = 500

Call = Callable[[], Awaitable[object]]
Clock = Callable[[], float]
Notify = Callable[..., None]
Runner = Callable[[Coroutine[Any, Any, object], str], Worker[object]]


@dataclass(frozen=True, slots=True)
class Activity:
    """One line for the event log: something that happened, or a host action's result."""

    at: float
    level: str  # info | ok | warn | error
    text: str


@dataclass(slots=True)
class HostCall:
    """One host call in flight: what it is, and how its outcome is recorded."""

    kind: str
    description: str
    store: ConferenceStore
    action_id: int | None = None  # a pending action on the store
    transfer_id: int | None = None  # or a tracked transfer
    observable: bool = False  # confirmed by the server's update rather than by the reply
    on_success: Callable[[], None] | None = None
    on_settled: Callable[[str | None], None] | None = None  # a transfer's request outcome


def describe_error(error: BaseException | None) -> str:
    """A one-line message for the host: the server's reason, never a URL, token or PIN."""
    if error is None:
        return "unknown error"
    if isinstance(error, PexipError):
        return safe_text(str(error), 200) or type(error).__name__
    return safe_text(f"{type(error).__name__}: {error}", 200)


def action_reason(error: BaseException) -> str:
    """The server's reason for a failed host call, once, without "<action> failed:" prefixes."""
    text = error.reason if isinstance(error, PexipError) else describe_error(error)
    return without_failed_prefix(safe_text(text, 200)) or describe_error(error)


class Console:
    """One conference the host has joined (or is joining): state and host calls, no widgets."""

    def __init__(
        self,
        *,
        clock: Clock,
        notify: Notify,
        runner: Runner,
        join: JoinParams | None = None,
        recent_aliases: tuple[str, ...] = (),
    ) -> None:
        self.clock = clock
        self.notify = notify  # shows a literal notification (the app's)
        self.runner = runner  # runs a coroutine in a worker of the host-actions group
        self.join_params = join
        self.recent_aliases = recent_aliases
        self.session: Session | None = None
        self.store: ConferenceStore | None = None
        self.connection = Connection()
        self.activity: deque[Activity] = deque(maxlen=ACTIVITY_LINES)
        self.leaving = False
        self.on_ended: Callable[[Console, str], None] | None = None  # the app offers a rejoin
        self.open_aliases: Callable[[], tuple[str, ...]] = tuple  # the app's open conferences
        self.attended: AttendedTransfers | None = None  # the app's consults (attended transfer)
        self.tab_badges: Callable[[], tuple[TabBadge, ...]] = tuple  # every open conference
        self.on_attention: Callable[[str, str], None] | None = None  # the app's tabs
        # Every open console (the app's list) and the hub linking their transfers to their
        # rosters; alone, a console links its transfers to nothing but itself.
        self.peers: Callable[[], tuple[Console, ...]] = lambda: (self,)
        self.hub = TransferHub(
            lambda: [(c.alias, c.store) for c in self.peers()],
            lambda: [c.store for c in self.peers()],
        )
        self.bulk_confirm_above = BULK_CONFIRM_ABOVE  # bulk actions above this many ask first
        self.hub.listeners.append(self._transfer_arrived)  # someone arrived here
        self._calls: dict[Worker[object], HostCall] = {}
        self._layouts: tuple[Session, tuple[str, ...]] | None = None
        self._name = ""  # the conference's name, kept after the session ends

    # -- state ------------------------------------------------------------------------------

    def note(self, text: str, level: str = "info") -> None:
        """Record a line for the event log (shown by the conference screen)."""
        self.activity.append(Activity(self.clock(), level, safe_text(text, 300)))

    def begin(self, session: Session) -> ConferenceStore:
        """A session is open: a fresh store for it."""
        self.session = session
        self._name = str(getattr(session, "conference_name", "") or "")
        self.store = self._new_store(session.participant_uuid)
        self.leaving = False
        self.hub.opened(self.alias)  # transfers waiting for this conference now see it
        return self.store

    def _new_store(self, self_uuid: str) -> ConferenceStore:
        store = ConferenceStore(clock=self.clock)
        store.self_uuid = self_uuid
        self.hub.attach(store, lambda: self.alias)
        return store

    def attention(self, message: str, *, title: str = "") -> None:
        """Something here needs the host (a guest waiting, a hand, the stream lost, a
        transfer arriving): a notification naming this conference when it is not in front,
        and its tab's badge is marked until the host looks at it."""
        self.note(f"{title}: {message}" if title else message, "warn")
        if self.on_attention is not None:
            self.on_attention(title, message)
        else:
            self.notify(message, title=title, severity="warning")

    def _transfer_arrived(self, transfer: Transfer) -> None:
        name = safe_text(transfer.display_name, 60) or "a participant"
        source = safe_text(transfer.source_alias, 60)
        self.attention(f"{name} arrived from {source}", title="Transfer arrived")

    @property
    def title(self) -> str:
        """The conference's name (from the node once joined), else its alias; untrusted."""
        return safe_text(self._name or self.alias, 80)

    @property
    def alias(self) -> str:
        """The conference's alias (a Virtual Reception's target, not the reception's)."""
        session = self.session
        if session is not None:
            return str(getattr(session, "conference_alias", "") or session.alias)
        params = self.join_params
        if params is None:
            return ""
        return params.conference_extension or params.alias

    def transfer_targets(self) -> tuple[str, ...]:
        """Where a transfer may go: the other open conferences, then the recent ones."""
        names = (*self.open_aliases(), *self.recent_aliases)
        return tuple(dict.fromkeys(n for n in names if n and n != self.alias))

    def host_console(self, alias: str) -> Console | None:
        """An open console joined to `alias` as host (its PIN may serve a transfer there)."""
        folded = alias.casefold()
        for console in self.peers():
            if console is not self and console.alias.casefold() == folded and console.is_host():
                return console
        return None

    def host_pin_for(self, alias: str) -> str | None:
        """The PIN this app joined `alias` with as host, for a transfer there; never shown."""
        console = self.host_console(alias)
        params = None if console is None else console.join_params
        pin = None if params is None else params.pin
        return None if pin in (None, "", NO_PIN) else pin

    def all_transfers(self) -> list[Transfer]:
        """The transfers of every open conference (this one's and the others')."""
        return [t for c in self.peers() if c.store is not None for t in c.store.transfers]

    @property
    def role(self) -> str:
        return str(getattr(self.session, "role", "") or "")

    def is_host(self) -> bool:
        return self.session is not None and self.role.upper() in ("HOST", "CHAIR")

    async def available_layouts(self) -> tuple[str, ...] | None:
        """The layouts the node offers (asked once per session); None when it cannot say."""
        session = self.session
        if session is None:
            return None
        if self._layouts is None or self._layouts[0] is not session:
            try:
                names = tuple(await session.available_layouts())
            except PexipError as exc:
                log.info("available_layouts: %s", describe_error(exc))
                return None
            self._layouts = (session, names)
        return self._layouts[1] or None

    # -- the event stream -------------------------------------------------------------------

    async def stream(self, session: Session) -> None:
        """Apply the session's events to the store until the stream ends (run in a worker)."""
        consumer = StreamConsumer(self)
        clock = time.perf_counter
        try:
            turn = clock()
            async for batch in session.batches():
                done = consumer.consume_all(batch, 0, turn + APPLY_SLICE_S)
                while done < len(batch):
                    # After the sync a read's batch is applied in slices: between them the
                    # loop draws a frame or takes a key press instead of waiting behind it.
                    await asyncio.sleep(0)
                    turn = clock()
                    done = consumer.consume_all(batch, done, turn + APPLY_SLICE_S)
                if consumer.finished:
                    break
        finally:
            # Ended by the server, by us, or the worker was cancelled: stop its tasks.
            consumer.gc_policy.restore()  # the consumer tunes the collector for big rosters
            await session.close()

    def follow_transfer(self, participant_uuid: str) -> None:
        """We were moved to another conference (refer): start from a fresh store there.

        Screens notice the new store on their next refresh and rebind to it. The new store's
        chat starts with a divider naming the conference: the chat panel keeps the old
        conference's messages above it (see docs/architecture.md, "Chat").
        """
        self.store = self._new_store(participant_uuid)
        self._name = str(getattr(self.session, "conference_name", "") or "")
        self.store.chat_divider(f"Moved to {self.conference_label()}")

    def conference_label(self) -> str:
        """The conference's name and, when it differs, its alias ("Board Room · meet.board")."""
        session, alias = self.session, self.alias
        name = str(getattr(session, "conference_name", "") or "") or alias
        return name if name == alias or not alias else f"{name} · {alias}"

    def session_ended(self, reason: str) -> None:
        """The server (or token loss) ended the session: say why and offer to rejoin."""
        self.session = None
        if self.leaving:
            return
        several = len(self.tab_badges()) > 1
        title = f"{self.title}: Disconnected" if several else "Disconnected"
        self.notify(reason, title=title, severity="error", timeout=15)
        if self.on_ended is not None:
            self.on_ended(self, reason)

    def failed(self, reason: str) -> None:
        """Joining or the stream failed for good."""
        self.connection = Connection("ended", detail=reason)
        self.note(f"Connection failed: {reason}", "error")

    async def leave(self, reason: str = "User initiated disconnect") -> None:
        """Release the token (idempotent); the stream worker then ends by itself."""
        self.leaving = True
        session, self.session = self.session, None
        if session is not None:
            try:
                await session.close(reason=reason)
            except Exception as exc:  # leaving must never fail loudly
                log.warning("closing the session failed: %s", describe_error(exc))

    # -- host calls -------------------------------------------------------------------------

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
        store = self.store
        if store is None:
            return
        host_call = HostCall(
            kind,
            description,
            store,
            action_id=store.actions.request(kind, uuid, description, value=value),
            observable=kind in (PARTICIPANT_CHECKS if uuid else CONFERENCE_CHECKS),
            on_success=on_success,
        )
        self.note(f"{description}…")
        self._run(host_call, call)

    def transfer(
        self,
        uuid: str,
        description: str,
        target: str,
        role: str,
        call: Call,
        *,
        on_settled: Callable[[str | None], None] | None = None,
    ) -> int:
        """A transfer, tracked in the store (docs/architecture.md, "Transfers"): requested,
        left, then arrived when the target is open here; failed, timed out or rejected.
        Returns the transfer's id in ``store.transfers`` (0 without a store);
        ``on_settled`` hears the request's outcome: None when the server accepted it, else
        the reason."""
        store = self.store
        if store is None:
            return 0
        transfer_id = store.transfers.request(
            uuid, target, role, source_alias=self.alias, watched=self.hub.watching(target)
        )
        self.note(f"{description}…")
        host_call = HostCall("transfer", description, store, transfer_id=transfer_id)
        host_call.on_settled = on_settled
        self._run(host_call, call)
        return transfer_id

    def _run(self, host_call: HostCall, call: Call) -> None:
        async def run() -> object:
            return await call()

        worker = self.runner(run(), f"host:{host_call.kind}")
        self._calls[worker] = host_call

    def owns(self, worker: Worker[Any]) -> bool:
        return worker in self._calls

    def settle(self, worker: Worker[Any], error: BaseException | None, cancelled: bool) -> None:
        """A host call's worker finished: record the outcome (the one place that does)."""
        host_call = self._calls.pop(worker, None)
        if host_call is None or cancelled:
            return
        store, description = host_call.store, host_call.description
        if error is not None:
            reason = action_reason(error)
            if host_call.transfer_id is not None:
                # The outcome (one log line, one notification) is shown by the screen when
                # the store settles the transfer.
                store.transfers.fail(host_call.transfer_id, reason)
                if host_call.on_settled is not None:
                    host_call.on_settled(reason)
                return
            if host_call.action_id is not None:
                store.actions.fail(host_call.action_id, reason)
            self.note(f"{description} failed: {reason}", "error")
            self.notify(reason, title=f"{description} failed", severity="error")
            return
        if host_call.transfer_id is not None:
            self.note(f"{description}: accepted by the server", "ok")
            if host_call.on_settled is not None:
                host_call.on_settled(None)
            return
        if not host_call.observable and host_call.action_id is not None:
            store.actions.confirm(host_call.action_id, "accepted by the server")
        self.note(f"{description}: sent", "ok")
        if host_call.on_success is not None:
            host_call.on_success()

    def expire(self, now: float) -> None:
        """Calls the server never confirmed time out (one warning line each)."""
        store = self.store
        if store is None:
            return
        for action in store.expire(now):
            self.note(f"{action.description}: {action.reason}", "warn")
