"""The phone panel: the PBX's live calls beside the roster, and the keys that bring one in.

Keys (while the panel has focus): b bring the selected caller into the target conference
(blind); c consult it first (attended: the operator's phone joins the conference), then
o complete, x abort, w swap, 3 threeway; t changes the target conference. Every caller
ID, reason and errmsg is shown through `literal` (never markup). Pure view over a
`YeastarSession`; `roster()` tells it what every open conference's roster holds, so a
transfer settles when the caller appears in its target, whichever conference is in front.
"""

from __future__ import annotations

import time
from collections.abc import Awaitable, Callable, Iterable
from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.content import Content
from textual.widgets import DataTable, Static

from pextui.phone.calls import Call, CallTransfer
from pextui.phone.yeastar.client import AttendedOperation
from pextui.phone.yeastar.desk import ABORTED, DeskError
from pextui.phone.yeastar.errors import YeastarError
from pextui.phone.yeastar.session import YeastarSession
from pextui.sanitize import safe_text
from pextui.tui.literal import literal

# every open conference: (alias, roster entries (uuid, display name, uri)), front first
RosterSource = Callable[[], list[tuple[str, Iterable[tuple[str, str, str]]]]]
TICK_S = 0.25
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


def elapsed(since: float, now: float) -> str:
    seconds = max(0, int(now - since))
    return f"{seconds // 60}:{seconds % 60:02d}"


def outcome_of(call: Call) -> Content:
    transfer = call.transfer
    if transfer is None:
        return Content("")
    if transfer.state == "failed" and transfer.reason == ABORTED:
        return Content("aborted")
    text = OUTCOME_TEXT[transfer.state]
    if transfer.reason and transfer.state in ("failed", "timed_out"):
        return literal(f"{text}: {transfer.reason}", 120, "bold red")
    return Content.styled(text, "green" if transfer.state == "arrived" else "")


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
    ]

    def __init__(
        self,
        phone: YeastarSession,
        roster: RosterSource,
        *,
        clock: Callable[[], float] = time.time,
        id: str | None = "phone-panel",
    ) -> None:
        super().__init__(id=id)
        self.phone = phone
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
        yield Static(KEYS_HELP, id="phone-keys")

    def on_mount(self) -> None:
        self.set_interval(TICK_S, self.tick)
        self.tick()
        self.query_one("#phone-calls", DataTable).focus()

    # ---- targets

    def targets(self) -> list[str]:
        aliases = [alias for alias, _ in self.roster()]
        aliases += [a for a in self.phone.desk.numbers if a not in aliases]
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

    def tick(self) -> None:
        phone = self.phone
        phone.tick()
        for alias, entries in self.roster():
            phone.seen(alias, entries)
        self.query_one("#phone-title", Static).update(self._title())
        self.query_one("#phone-target", Static).update(
            literal(f"target: {self.target or 'none (set [pbx.numbers])'}", 60)
        )
        self.query_one("#phone-outcome", Static).update(self.outcome)
        self._draw_table()

    def _title(self) -> Content:
        phone = self.phone
        state = {"connected": "connected", "reconnecting": "reconnecting…"}.get(
            str(phone.state), str(phone.state)
        )
        text = f"PBX {state}: {len(phone.desk.book.live())} calls"
        if phone.state in ("reconnecting", "refused") and phone.detail:
            text += f" ({phone.detail})"
        return literal(text, 120, "bold" if phone.state == "connected" else "bold yellow")

    def _draw_table(self) -> None:
        table = self.query_one("#phone-calls", DataTable)
        now = self.clock()
        calls = self.phone.desk.book.live()
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
                key=call.id,
            )
        if selected is not None:
            ids = [c.id for c in calls]
            if selected.id in ids:
                table.move_cursor(row=ids.index(selected.id))
        self._drawn = self.phone.version

    def selected_call(self) -> Call | None:
        table = self.query_one("#phone-calls", DataTable)
        if table.row_count == 0:
            return None
        try:
            key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
        except Exception:
            return None
        return self.phone.desk.book.get("yeastar", str(key)) if key is not None else None

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

    def action_bring_in(self) -> None:
        chosen = self._selection()
        if chosen is not None:
            call, target = chosen
            self._say(f"bringing {call.shown_caller()} into {target}…")
            self.run_worker(self._run(self.phone.desk.bring_in(call.id, target)),
                            group="phone-actions")  # fmt: skip

    def action_consult(self) -> None:
        chosen = self._selection()
        if chosen is not None:
            call, target = chosen
            self._say(f"consulting {target} about {call.shown_caller()}…")
            self.run_worker(self._run(self.phone.desk.consult(call.id, target)),
                            group="phone-actions")  # fmt: skip

    def action_operate(self, operation: AttendedOperation) -> None:
        call = self.selected_call()
        if call is None:
            self._say("no call selected", "yellow")
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
