"""The phone panel: the PBX's (and ACS's) live calls beside the roster, and the keys that
bring one in.

Keys (while the panel has focus): b bring the selected caller into the target conference
(blind); c consult it first (attended: the operator's phone joins the conference), then
o complete, x abort, w swap, 3 threeway; t changes the target conference. Every caller
ID, reason and errmsg is shown through `literal` (never markup). Pure view over a
`YeastarSession`; `roster()` tells it what every open conference's roster holds, so a
transfer settles when the caller appears in its target, whichever conference is in front.
With an `AcsSession` (sharing the PBX desk's call book) ACS calls are listed too: a
answers a ringing one, b brings it in.
"""

from __future__ import annotations

import time
from collections.abc import Awaitable, Callable, Iterable
from typing import TYPE_CHECKING, ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.content import Content
from textual.widgets import DataTable, Static

from pextui.phone.acs.errors import AcsError
from pextui.phone.calls import Call, CallBook, CallTransfer
from pextui.phone.yeastar.client import AttendedOperation
from pextui.phone.yeastar.desk import ABORTED, DeskError
from pextui.phone.yeastar.errors import YeastarError
from pextui.phone.yeastar.session import YeastarSession
from pextui.sanitize import safe_text
from pextui.tui.literal import literal

if TYPE_CHECKING:
    from pextui.phone.acs.session import AcsSession

# every open conference: (alias, roster entries (uuid, display name, uri)), front first
RosterSource = Callable[[], list[tuple[str, Iterable[tuple[str, str, str]]]]]
TICK_S = 0.25
HANDED_OVER_S = 60.0
STATE_TEXT = {
    "ringing": "ringing",
    "talking": "talking",
    "on_hold": "on hold",
    "consulting": "consulting",
    "transferring": "transferring",
    "ended": "ended",
}
OUTCOME_TEXT = {
    "requested": "asked the PBX…",
    "accepted": "PBX accepted",
    "left": "left the PBX",
    "arrived": "arrived ✓",
    "failed": "failed",
    "timed_out": "timed out",
}
COLUMNS = (("Caller", 18), ("State", 12), ("Time", 5), ("Trunk", 8), ("To", 10), ("Outcome", 13))
KEYS_HELP = "b bring in · c consult · o complete · x abort · w swap · 3 threeway · t target"
ACS_KEYS_HELP = KEYS_HELP + " · a answer (ACS)"


def elapsed(since: float, now: float) -> str:
    seconds = max(0, int(now - since))
    return f"{seconds // 60}:{seconds % 60:02d}"


def outcome_text(state: str, source: str) -> str:
    text = OUTCOME_TEXT.get(state, state)
    return text.replace("PBX", "ACS") if source == "acs" else text


def outcome_of(call: Call) -> Content:
    transfer = call.transfer
    if transfer is None:
        return Content("")
    if transfer.state == "failed" and transfer.reason == ABORTED:
        return Content("aborted")
    text = outcome_text(transfer.state, call.source)
    if transfer.reason and transfer.state in ("failed", "timed_out"):
        return literal(f"{text}: {transfer.reason}", 120, "bold red")
    return Content.styled(text, "green" if transfer.state == "arrived" else "")


def _acs_trouble(acs: AcsSession) -> str:
    """Why ACS is not working, for the title ("" when it is)."""
    if acs.state == "failed" and acs.detail:
        return f" ({acs.detail})"
    return f" ({acs.warning})" if acs.warning else ""


class PhonePanel(Vertical):
    """Live PBX calls; `b` / `c` + `o x w 3` bring the selected caller into a conference."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("b", "bring_in", "Bring in", tooltip="Blind transfer into the target conference"),
        Binding("c", "consult", "Consult", tooltip="Attended: the operator consults first"),
        Binding("o", "operate('complete')", "Complete", tooltip="Complete the attended transfer"),
        Binding("x", "operate('abort')", "Abort", tooltip="Abort the consult"),
        Binding("w", "operate('swap')", "Swap", tooltip="Swap between caller and conference"),
        Binding("3", "operate('threeway')", "Threeway", tooltip="All three together"),
        Binding("t", "next_target", "Target", tooltip="Choose the target conference"),
        Binding("a", "answer", "Answer", tooltip="Answer the selected ringing ACS call"),
    ]

    def __init__(
        self,
        phone: YeastarSession | None,
        roster: RosterSource,
        *,
        clock: Callable[[], float] = time.time,
        id: str | None = "phone-panel",
        acs: AcsSession | None = None,
    ) -> None:
        super().__init__(id=id)
        self.phone = phone
        self.acs = acs
        self.roster = roster
        self.clock = clock
        self.outcome: Content = Content("")
        self.target_index = 0
        self._drawn = -1

    def compose(self) -> ComposeResult:
        yield Static(id="phone-title")
        yield Static(id="phone-target")
        table: DataTable[Content] = DataTable(
            id="phone-calls", cursor_type="row", zebra_stripes=True
        )
        for label, width in COLUMNS:
            table.add_column(label, width=width)
        yield table
        yield Static(id="phone-outcome")
        yield Static(ACS_KEYS_HELP if self.acs else KEYS_HELP, id="phone-keys")

    def on_mount(self) -> None:
        self.set_interval(TICK_S, self.tick)
        self.tick()
        self.query_one("#phone-calls", DataTable).focus()

    # ---- targets

    def targets(self) -> list[str]:
        aliases = [alias for alias, _ in self.roster()]
        if self.phone is not None:
            aliases += [a for a in self.phone.desk.numbers if a not in aliases]
        if self.acs is not None:
            aliases += [a for a in self.acs.desk.numbers if a not in aliases]
        return aliases

    @property
    def target(self) -> str | None:
        targets = self.targets()
        return targets[self.target_index % len(targets)] if targets else None

    def action_next_target(self) -> None:
        self.target_index += 1
        self._drawn = -1
        self.tick()

    # ---- drawing

    @property
    def book(self) -> CallBook:
        """The one call book (the PBX desk's, shared with ACS; ACS's without a PBX)."""
        if self.phone is not None:
            return self.phone.desk.book
        assert self.acs is not None, "a phone panel needs a PBX or ACS"
        return self.acs.desk.book

    def tick(self) -> None:
        phone = self.phone
        if phone is not None:
            phone.tick()
        for alias, roster in self.roster():
            entries = list(roster)  # read once, for both desks
            if phone is not None:
                phone.seen(alias, entries)
            if self.acs is not None:
                self.acs.seen(alias, entries)
        self.query_one("#phone-title", Static).update(self._title())
        self.query_one("#phone-target", Static).update(
            literal(f"target: {self.target or 'none (set [pbx.numbers])'}", 60)
        )
        self.query_one("#phone-outcome", Static).update(self.outcome)
        self._draw_table()

    def _title(self) -> Content:
        phone = self.phone
        if phone is None:
            acs = self.acs
            assert acs is not None
            text = f"ACS {acs.state}: {len(self.book.live())} calls" + _acs_trouble(acs)
            troubled = acs.state == "failed" or bool(acs.warning)
            return literal(text, 120, "bold yellow" if troubled else "bold")
        state = {"connected": "connected", "reconnecting": "reconnecting…"}.get(
            str(phone.state), str(phone.state)
        )
        text = f"PBX {state}: {len(phone.desk.book.live())} calls"
        if phone.state in ("reconnecting", "refused") and phone.detail:
            text += f" ({phone.detail})"
        troubled = phone.state != "connected"
        if self.acs is not None:
            text += f" · ACS {self.acs.state}" + _acs_trouble(self.acs)
            troubled = troubled or bool(self.acs.warning)
        return literal(text, 120, "bold yellow" if troubled else "bold")

    def _draw_table(self) -> None:
        table = self.query_one("#phone-calls", DataTable)
        now = self.clock()
        calls = self.shown_calls(now)
        selected = self.selected_call()
        table.clear()
        for call in calls:
            table.add_row(
                literal(call.shown_caller(COLUMNS[0][1]), COLUMNS[0][1]),
                Content(STATE_TEXT[call.state]),
                Content(elapsed(call.started, now)),
                literal(call.trunk, 12),
                literal(call.heading_for or "", 16),
                outcome_of(call),
                key=f"{call.source}:{call.id}",
            )
        if selected is not None:
            keys = [c.key for c in calls]
            if selected.key in keys:
                table.move_cursor(row=keys.index(selected.key))
        self._drawn = (self.phone.version if self.phone else 0) + (
            self.acs.version if self.acs else 0
        )

    def shown_calls(self, now: float) -> list[Call]:
        """Live calls, and ACS calls handed over in the last minute (an ACS call ends when
        its caller leaves for the conference: the host still sees it arrive)."""
        book = self.book
        recent = [
            c
            for c in book
            if c.source == "acs" and c.state == "ended" and c.transfer is not None
            and now - (c.ended_at or now) < HANDED_OVER_S
        ]  # fmt: skip
        return sorted([*book.live(), *recent], key=lambda c: c.started)

    def selected_call(self) -> Call | None:
        table = self.query_one("#phone-calls", DataTable)
        if table.row_count == 0:
            return None
        try:
            key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
        except Exception:
            return None
        if key is None:
            return None
        source, _, call_id = str(key).partition(":")
        return self.book.get(source, call_id)

    # ---- actions

    def _say(self, text: str, style: str = "") -> None:
        self.outcome = literal(text, 200, style)
        self.query_one("#phone-outcome", Static).update(self.outcome)

    def _selection(self) -> tuple[Call, str] | None:
        call, target = self.selected_call(), self.target
        if call is None:
            self._say("no call selected", "yellow")
            return None
        if target is None:
            self._say("no target conference", "yellow")
            return None
        return call, target

    def _acs_call(self, call: Call) -> AcsSession | None:
        return self.acs if call.source == "acs" else None

    def action_answer(self) -> None:
        call = self.selected_call()
        acs = self._acs_call(call) if call is not None else None
        if call is None or acs is None or call.state != "ringing":
            self._say("select a ringing ACS call to answer", "yellow")
            return
        self._say(f"answering {call.shown_caller()}…")
        self.run_worker(self._run_acs(acs.answer(call.id)), group="phone-actions")

    def action_bring_in(self) -> None:
        chosen = self._selection()
        if chosen is not None:
            call, target = chosen
            self._say(f"bringing {call.shown_caller()} into {target}…")
            acs = self._acs_call(call)
            if acs is not None:
                self.run_worker(self._run_acs(acs.bring_in(call.id, target)),
                                group="phone-actions")  # fmt: skip
                return
            if self.phone is not None:
                self.run_worker(self._run(self.phone.desk.bring_in(call.id, target)),
                                group="phone-actions")  # fmt: skip

    def action_consult(self) -> None:
        chosen = self._selection()
        if chosen is not None:
            call, target = chosen
            if self._acs_call(call) is not None:
                self._say("ACS calls are brought in directly: press b", "yellow")
                return
            if self.phone is not None:
                self._say(f"consulting {target} about {call.shown_caller()}…")
                self.run_worker(self._run(self.phone.desk.consult(call.id, target)),
                                group="phone-actions")  # fmt: skip

    def action_operate(self, operation: AttendedOperation) -> None:
        call = self.selected_call()
        if call is None:
            self._say("no call selected", "yellow")
            return
        if self._acs_call(call) is not None or self.phone is None:
            self._say("ACS calls have no consult: press b", "yellow")
            return
        self._say(f"{operation}…")
        self.run_worker(self._run(self.phone.desk.operate(call.id, operation)),
                        group="phone-actions")  # fmt: skip

    async def _run(self, action: Awaitable[CallTransfer]) -> None:
        try:
            transfer = await action
        except (YeastarError, DeskError) as error:
            self._say(str(error), "bold red")
            self.app.notify(safe_text(str(error), 200), severity="error", title="PBX", markup=False)
        else:
            self._say(OUTCOME_TEXT[transfer.state])
        self.tick()

    async def _run_acs(self, action: Awaitable[object]) -> None:
        try:
            done = await action
        except AcsError as error:
            self._say(str(error), "bold red")
            self.app.notify(safe_text(str(error), 200), severity="error", title="ACS", markup=False)
        else:
            state = done.state if isinstance(done, CallTransfer) else "answered"
            self._say(outcome_text(state, "acs"))
        self.tick()
