"""The attended-transfer keys of one conference screen and its consult panel.

``T`` asks for the target (:func:`~pextui.tui.screens.consult.consult_dialog`) and starts
a consult (:class:`~pextui.tui.attended.AttendedTransfers`); while one is live, ``Y``
completes, ``N`` aborts and ``O`` swaps (the other conference in front); ``D`` sends a
message to the target's hosts again after it failed. ``N`` also closes the panel of a
consult that ended. :func:`consult_keys` says which of these keys act in the consult's
state, and with which word: the panel's key line, the footer's descriptions,
``check_action`` and the palette all read it. The panel (:class:`ConsultPanel`) is redrawn
from :func:`consult_view` whenever the consults change.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from textual.binding import ActiveBinding

from pextui.conference.attended import Consult, ConsultError
from pextui.tui import present
from pextui.tui.attended import AttendedTransfers, Sides, target_hosts
from pextui.tui.host.actions import BY_ACTION, key_of
from pextui.tui.host.dialogs import transfer_targets
from pextui.tui.screens.consult import consult_dialog
from pextui.tui.screens.transfer import TransferRequest, TransferRole
from pextui.tui.widgets.consult_panel import ConsultPanel, ConsultView

if TYPE_CHECKING:
    from pextui.conference.transfers import Transfer
    from pextui.tui.console import Console
    from pextui.tui.host.calls import HostCalls

CONSULT_ACTIONS = ("consult_complete", "consult_abort", "consult_swap", "consult_resend")
PENDING_WORDS = "transfer pending to "  # the row's mark during a consult
CLOSE = "Close"  # the abort key's word once the consult ended: it closes the panel
ROSTER_NAMES = 6
PANEL_EVERY_S = 0.5
STATE_WORDS = {
    "consulting": "consulting",
    "completing": "completing: transferring…",
    "completed": "completed",
    "aborted": "aborted: nothing moved",
    "failed": "failed at complete",
}


def _transfer_word(transfer: Transfer | None) -> str:
    if transfer is None:
        return ""
    state = str(transfer.state).replace("_", " ")
    reason = f": {transfer.reason}" if transfer.reason else ""
    return f"transfer {state}{reason}"


def _message_word(consult: Consult) -> str:
    if not consult.message:
        return "no message"
    if consult.message_state == "failed":
        return f"message failed: {consult.message_reason}"
    if consult.message_state == "sent":
        return f"message sent to {consult.message_to}"
    return {"unsent": "message waits for the target", "sending": "sending the message"}.get(
        consult.message_state, str(consult.message_state)
    )


def consult_keys(consult: Consult | None) -> dict[str, str]:
    """The consult keys that act in ``consult``'s state: action -> its word (the action
    table's label). A key not in it cannot act now."""
    if consult is None:
        return {}
    acting: dict[str, str] = {}
    if consult.state == "consulting":
        acting = {a: BY_ACTION[a].label for a in CONSULT_ACTIONS[:3]}
    elif consult.live:
        acting = {"consult_swap": BY_ACTION["consult_swap"].label}
    else:
        acting = {"consult_abort": CLOSE}
    if consult.live and consult.message and consult.message_state == "failed":
        acting["consult_resend"] = BY_ACTION["consult_resend"].label
    return acting


def pending_mark(target: str) -> tuple[str, str]:
    """A row's mark while a consult would move the participant to ``target`` (an alias from
    the network, shown literally): the words, and the short form for a narrow row."""
    if not target:
        return "", ""
    alias = present.safe_text(target, 24)
    return f"{PENDING_WORDS}{alias}", f"→{alias}"


def key_line(acting: Mapping[str, str]) -> str:
    """The panel's line of keys: ``Y complete · N abort · O swap``."""
    return " · ".join(f"{key_of(action)} {word.lower()}" for action, word in acting.items())


def consult_view(consult: Consult, sides: Sides | None, here: Console) -> ConsultView:
    """What the panel shows of ``consult`` on the screen of ``here``."""
    target = sides.target if sides is not None else None
    source = sides.source if sides is not None else None
    facts = [STATE_WORDS.get(consult.state, str(consult.state))]
    if consult.reason and consult.state != "completed":
        facts[0] += f" ({consult.reason})"
    if consult.state == "consulting":  # as the participant's row says it
        facts.append(f"{PENDING_WORDS}{consult.target}")
    if consult.live:
        facts.append(_message_word(consult))
    if consult.target_locked:
        facts.append(f"{consult.target} is locked")
    if consult.transfer_id is not None and source is not None and source.store is not None:
        word = _transfer_word(source.store.transfers.get(consult.transfer_id))
        if word:
            facts.append(word)
    store = target.store if target is not None else None
    if store is None:
        about = "joining the target…" if consult.live else ""
        names: tuple[str, ...] = ()
    else:
        waiting = len(store.waiting_room)
        about = f"{len(store.roster)} in {consult.target}" + (
            f", {waiting} waiting" if waiting else ""
        )
        others = [r.participant for u, r in store.roster.items() if u != store.self_uuid]
        names = tuple(present.display_name(p) for p in others[:ROSTER_NAMES])
    hosts = tuple(present.display_name(p) for p in target_hosts(target))
    keys = key_line(consult_keys(consult))
    return ConsultView(
        participant=consult.display_name,
        source=consult.source,
        target=consult.target,
        role=consult.role,
        state=str(consult.state),
        facts=" · ".join(facts),
        target_summary=about,
        hosts=hosts,
        roster=names,
        keys=keys,
        here="source" if here is source else "target",
    )


def without_idle_consult_keys(
    bindings: Mapping[str, ActiveBinding], acting: Mapping[str, str] | None = None
) -> dict[str, ActiveBinding]:
    """The bindings with the consult keys out of the footer while they cannot act, and
    described by what they do now (``acting``, from :func:`consult_keys`)."""
    fitted: dict[str, ActiveBinding] = {}
    for key, active in bindings.items():
        binding = active.binding
        if binding.action in CONSULT_ACTIONS:
            word = (acting or {}).get(binding.action)
            if binding.show and not active.enabled:
                active = active._replace(binding=replace(binding, show=False))
            elif word is not None and word != binding.description:
                active = active._replace(binding=replace(binding, description=word))
        fitted[key] = active
    return fitted


class ConsultKeys:
    """``T``, ``Y``, ``N`` and ``O`` of one conference screen, and its consult panel."""

    def __init__(
        self,
        console: Console,
        calls: HostCalls,
        push: Callable[..., Any],
        panel: Callable[[], ConsultPanel],
    ) -> None:
        self.console = console
        self.calls = calls
        self.push = push
        self._panel = panel
        self._drawn: tuple[int, int | None] = (-1, None)
        self._drawn_at = -1e9
        self._closed: int | None = None  # the ended consult whose panel the host closed
        self._pending: dict[str, str] = {}

    @property
    def attended(self) -> AttendedTransfers | None:
        return self.console.attended

    def shown(self) -> Consult | None:
        attended = self.attended
        consult = attended.shown_in(self.console) if attended is not None else None
        if consult is not None and not consult.live and consult.id == self._closed:
            return None
        return consult

    def live(self) -> Consult | None:
        consult = self.shown()
        return consult if consult is not None and consult.live else None

    def acting(self) -> dict[str, str]:
        """The consult keys that act now, with their words (:func:`consult_keys`)."""
        return consult_keys(self.shown())

    def allowed(self, action: str) -> bool | None:
        """``check_action`` for the consult keys: enabled only while they can act (None:
        the help lists them dimmed; the footer leaves them out, see
        :func:`without_idle_consult_keys`)."""
        return True if action in self.acting() else None

    # -- the keys ---------------------------------------------------------------------------

    def start(self) -> None:
        """``T``: ask where to, then consult."""
        attended, target = self.attended, self.calls.cursor()
        if attended is None or target is None:
            if attended is None:
                self.calls.notify("Attended transfer needs several conferences open")
            return
        uuid, name = target
        if self.calls.refuse_transfer(uuid, attended=True):
            return
        role: TransferRole = "host" if present.is_host(self.calls.target_participant()) else "guest"

        def done(result: TransferRequest | None) -> None:
            if result is None:
                return
            try:
                attended.start(
                    self.console,
                    uuid,
                    name,
                    result.alias,
                    role=result.role,
                    pin=result.pin,
                    session_pin=result.session_pin,
                    message=result.message or "",
                )
            except ConsultError as exc:
                self.calls.notify(str(exc), title="Attended transfer", severity="warning")
            self.tick(force=True)

        targets = transfer_targets(self.console)
        dialog = consult_dialog(name, role=role, targets=targets, here=self.console.alias)
        self.push(dialog, callback=done)

    def complete(self) -> None:
        self._step(lambda a, c: a.complete(c.id))

    def abort(self) -> None:
        consult = self.shown()
        if consult is not None and not consult.live:
            self._closed = consult.id
            self.tick(force=True)
            return
        self._step(lambda a, c: a.abort(c.id))

    def swap(self) -> None:
        self._step(lambda a, c: a.swap(c.id, self.console))

    def resend(self) -> None:
        """``D``: the message that failed goes out again, as typed."""
        self._step(lambda a, c: a.resend(c.id))

    def _step(self, step: Callable[[AttendedTransfers, Consult], None]) -> None:
        attended, consult = self.attended, self.live()
        if attended is None or consult is None:
            return
        try:
            step(attended, consult)
        except ConsultError as exc:
            self.calls.notify(str(exc), title="Attended transfer", severity="warning")
        self.tick(force=True)

    # -- drawing ----------------------------------------------------------------------------

    def tick(self, force: bool = False) -> set[str]:
        """Redraw the panel when the consults changed; returns the roster rows whose
        "transfer pending" mark changed."""
        attended = self.attended
        if attended is None:
            return set()
        consult = self.shown()
        drawn = (attended.version, consult.id if consult is not None else None)
        now = time.monotonic()
        # the target's counts, hosts and the transfer's outcome move on: redrawn a few
        # times a second at most (a panel costs one pass over the target's roster)
        stale = consult is not None and now - self._drawn_at >= PANEL_EVERY_S
        if force or drawn != self._drawn or stale:
            self._drawn, self._drawn_at = drawn, now
            view = (
                consult_view(consult, attended.sides(consult.id), self.console) if consult else None
            )
            self._panel().show(view)
        before, self._pending = self._pending, attended.pending_in(self.console)
        return {
            uuid
            for uuid in before.keys() | self._pending.keys()
            if before.get(uuid) != self._pending.get(uuid)
        }

    def pending_label(self, uuid: str) -> tuple[str, str]:
        """The row's mark while a consult is about the participant: ("transfer pending to
        X", "→X" for a row too narrow for the words), or ('', ''). Once the transfer runs,
        its own label follows ("→ X: requested", "→ X: left")."""
        return pending_mark(self._pending.get(uuid, ""))
