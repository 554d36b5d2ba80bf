"""The transfers list: who moved where, as which role, when, and how it went.

``TransfersScreen(rows)`` shows the transfers of every open conference (``rows`` is called
again twice a second, so states move on while the list is open): who, from, to, role, when
(requested), state and the reason. The columns are cut to the width (:func:`fit_columns`:
on a narrow terminal From and Role give way, long names and reasons end in "…"), and the
line under the table spells out the highlighted transfer in full. Names and reasons come
from the network and are shown literally. Escape (or the key that opened it) closes it.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping, Sequence
from typing import ClassVar

from rich.cells import cell_len, set_cell_size
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import DataTable, Static

from pextui.conference import Transfer
from pextui.sanitize import safe_text
from pextui.tui.literal import literal
from pextui.tui.stylesheets import DIALOG_CSS
from pextui.tui.transfer_report import state_word

COLUMNS = ("Who", "From", "To", "Role", "When", "State", "Reason")
NARROW_COLUMNS = ("Who", "To", "When", "State", "Reason")  # below WIDE cells
WIDE = 100
CELL_PADDING = 2  # the table's padding around each cell
FIXED = {"Role": 5, "When": 8, "State": 9}  # "requested", "timed out": 9
WANTED = {"Who": 28, "From": 16, "To": 16}  # at most; the reason takes the rest
NARROW_WANTED = {"Who": 20, "To": 14}
MIN_WHO, MIN_REASON = 12, 16
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


def fit_columns(width: int, longest: Mapping[str, int] | None = None) -> list[tuple[int, int]]:
    """(index in :data:`COLUMNS`, cells) of the columns shown in ``width`` cells: all of
    them when wide, else who, to, when, state and reason. Who, from and to take what their
    ``longest`` cell needs, up to a limit; the reason gets what is left (the name gives way
    down to MIN_WHO cells so that the reason keeps MIN_REASON)."""
    names = COLUMNS if width >= WIDE else NARROW_COLUMNS
    wanted = WANTED if width >= WIDE else NARROW_WANTED
    needs = longest or {}
    cells = {
        name: FIXED.get(name, min(wanted.get(name, 0), max(len(name), needs.get(name, 99))))
        for name in names
    }
    rest = width - sum(cells.values()) - CELL_PADDING * len(names)
    if rest < MIN_REASON:
        give = min(cells["Who"] - MIN_WHO, MIN_REASON - rest)
        cells["Who"] -= give
        rest += give
    cells["Reason"] = max(MIN_REASON, rest)
    return [(COLUMNS.index(name), cells[name]) for name in names]


def cut(text: Text, cells: int) -> Text:
    """``text`` in at most ``cells`` terminal cells, ending in "…" when cut."""
    if cell_len(text.plain) <= cells:
        return text
    return Text(set_cell_size(text.plain, cells - 1).rstrip() + "…", style=text.style)


def detail(transfer: Transfer, clock_text: Callable[[float], str]) -> Content:
    """The highlighted transfer in full, one sentence (literal text)."""
    who, source, target, role, when, state, reason = (c.plain for c in cells(transfer, clock_text))
    said = f"{who}: {source or '?'} → {target} as {role}, asked at {when}: {state}"
    return Content(said + (f" ({reason})" if reason else ""))


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
        self._transfers: list[Transfer] = []  # in the table's order
        self.laid_out_for = -1  # the table width the columns were fitted to

    def compose(self) -> ComposeResult:
        box = Vertical(id="transfers", classes="dialog-box")
        box.border_title = literal("Transfers")
        box.border_subtitle = literal("Esc closes")
        with box:
            yield DataTable(id="transfer-table", cursor_type="row", zebra_stripes=True)
            yield Static("No transfers yet.", id="no-transfers", classes="hint", markup=False)
            yield Static(id="transfer-detail", markup=False)

    def on_mount(self) -> None:
        self.refresh_rows()
        self.set_interval(REFRESH_S, self.refresh_rows)

    def on_resize(self) -> None:
        self.call_after_refresh(self.refresh_rows)  # the table's new width is known then

    def refresh_rows(self) -> None:
        """Redraw when a transfer was added or changed state, or the width changed."""
        transfers = sorted(self.rows(), key=lambda t: (t.requested_at, t.id), reverse=True)
        shown = tuple((t.id, t.source_alias, len(t.history)) for t in transfers)
        table = self.query_one(DataTable)
        width = table.scrollable_content_region.width or table.size.width
        if shown == self._shown and width == self.laid_out_for:
            return
        self._shown, self._transfers, self.laid_out_for = shown, transfers, width
        rows = [cells(transfer, self.clock_text) for transfer in transfers]
        longest = {
            name: max((cell_len(row[n].plain) for row in rows), default=0)
            for n, name in enumerate(COLUMNS)
        }
        cursor = table.cursor_row  # kept across the redraw
        table.clear(columns=True)
        fitted = fit_columns(width, longest)
        for index, cells_wide in fitted:
            table.add_column(COLUMNS[index], width=cells_wide)
        for row in rows:
            table.add_row(*(cut(row[index], wide) for index, wide in fitted))
        if rows:
            table.move_cursor(row=min(max(cursor, 0), len(rows) - 1))
        self.query_one("#no-transfers").display = not transfers
        self._show_detail(table.cursor_row)

    @on(DataTable.RowHighlighted)
    def _highlighted(self, event: DataTable.RowHighlighted) -> None:
        self._show_detail(event.cursor_row)

    def _show_detail(self, row: int) -> None:
        line = self.query_one("#transfer-detail", Static)
        transfers = self._transfers
        line.display = bool(transfers)
        if transfers:
            line.update(detail(transfers[min(max(row, 0), len(transfers) - 1)], self.clock_text))

    def shown_rows(self) -> list[list[str]]:
        """Every listed transfer's cells in full, in the table's order (tests read it)."""
        return [[c.plain for c in cells(t, self.clock_text)] for t in self._transfers]

    def action_close(self) -> None:
        self.dismiss(None)
