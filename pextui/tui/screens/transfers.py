"""The transfers list: who moved where, as which role, when, and how it went.

``TransfersScreen(rows)`` shows the transfers of every open conference (``rows`` is called
again twice a second, so states move on while the list is open): who, from, to, role, when
(requested), state and the reason. Names and reasons come from the network and are shown
literally. Escape (or the key that opened it) closes it.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import DataTable, Static

from pextui.conference import Transfer
from pextui.sanitize import safe_text
from pextui.tui.literal import literal
from pextui.tui.stylesheets import DIALOG_CSS
from pextui.tui.transfer_report import state_word

COLUMNS = ("Who", "From", "To", "Role", "When", "State", "Reason")
REFRESH_S = 0.5
STATE_STYLES = {
    "arrived": "green",
    "left": "",
    "requested": "italic",
    "failed": "bold red",
    "timed_out": "yellow",
    "rejected": "bold red",
}

Rows = Callable[[], Sequence[Transfer]]


def cells(transfer: Transfer, clock_text: Callable[[float], str]) -> tuple[Text, ...]:
    """One row, every cell literal text (never markup)."""
    role = "host" if transfer.role.lower() in ("host", "chair") else "guest"
    return (
        Text(safe_text(transfer.display_name, 40) or "participant"),
        Text(safe_text(transfer.source_alias, 30)),
        Text(safe_text(transfer.target_alias, 30)),
        Text(role),
        Text(clock_text(transfer.requested_at)),
        Text(state_word(transfer), style=STATE_STYLES.get(transfer.state, "")),
        Text(safe_text(transfer.reason, 120)),
    )


def local_time(at: float) -> str:
    return time.strftime("%H:%M:%S", time.localtime(at))


class TransfersScreen(ModalScreen[None]):
    """Every transfer of the open conferences, newest first."""

    CSS_PATH = DIALOG_CSS
    DEFAULT_CLASSES = "dialog"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,R", "close", "Close", tooltip="Back to the console"),
    ]

    def __init__(self, rows: Rows, clock_text: Callable[[float], str] = local_time) -> None:
        super().__init__()
        self.rows = rows
        self.clock_text = clock_text
        self._shown: tuple[tuple[int, str, int], ...] = ()

    def compose(self) -> ComposeResult:
        box = Vertical(id="transfers", classes="dialog-box")
        box.border_title = literal("Transfers")
        box.border_subtitle = literal("Esc closes")
        with box:
            yield DataTable(id="transfer-table", cursor_type="row", zebra_stripes=True)
            yield Static("No transfers yet.", id="no-transfers", classes="hint", markup=False)

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        table.add_columns(*COLUMNS)
        self.refresh_rows()
        self.set_interval(REFRESH_S, self.refresh_rows)

    def refresh_rows(self) -> None:
        """Redraw when a transfer was added or changed state."""
        transfers = sorted(self.rows(), key=lambda t: (t.requested_at, t.id), reverse=True)
        shown = tuple((t.id, t.source_alias, len(t.history)) for t in transfers)
        if shown == self._shown:
            return
        self._shown = shown
        table = self.query_one(DataTable)
        table.clear()
        for transfer in transfers:
            table.add_row(*cells(transfer, self.clock_text))
        self.query_one("#no-transfers").display = not transfers

    def shown_rows(self) -> list[list[str]]:
        """What the table holds, as plain text (tests read it)."""
        table = self.query_one(DataTable)
        return [[str(cell) for cell in table.get_row_at(n)] for n in range(table.row_count)]

    def action_close(self) -> None:
        self.dismiss(None)
