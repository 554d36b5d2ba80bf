"""The roster: a virtual Line-API list over the store's sorted and filtered index.

Only visible rows are drawn; each participant's drawn row is cached with what it was drawn
from (version, selected, cursor, width, facts), so a burst of updates redraws just the
changed, visible lines. The cursor
follows a participant (by uuid), not a row number, while the list changes under it.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable, Mapping
from typing import Any, ClassVar, Protocol, Self

from rich.style import Style
from textual.binding import Binding, BindingType
from textual.geometry import Region, Size
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip

from pextui.tui.widgets.finished_lines import Look, move_scrollbar, plain_box
from pextui.tui.widgets.roster_columns import RowFacts
from pextui.tui.widgets.roster_paint import PALETTE, RowPainter, palette_of

CACHE_LIMIT = 1000  # participants whose drawn row is kept (a few screens' worth)
EXACT_BELOW = 500  # lists up to this size get an exact scrollable height
SIZE_STEP = 256
BULK_CHANGES = 256  # more changed participants than this (+ the view's height): redraw all


class RosterIndex(Protocol):
    def __len__(self) -> int: ...
    def __getitem__(self, i: int) -> str: ...
    def position(self, uuid: str) -> int | None: ...


class RosterRecord(Protocol):
    @property
    def participant(self) -> Any: ...
    @property
    def version(self) -> int: ...


FactsFor = Callable[[str], RowFacts]


class Roster(ScrollView, can_focus=True):
    """Participants, one line each, with a cursor and a multi-selection."""

    COMPONENT_CLASSES: ClassVar[set[str]] = set(PALETTE)
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("up,k", "cursor(-1)", "Up", show=False),
        Binding("down,j", "cursor(1)", "Down", show=False),
        Binding("pageup", "page(-1)", "Page up", show=False),
        Binding("pagedown", "page(1)", "Page down", show=False),
        Binding("home,g", "edge(0)", "First", show=False),
        Binding("end", "edge(1)", "Last", show=False),
        Binding(
            "space",
            "toggle_select",
            "Select",
            id="select",
            tooltip="Select or unselect the participant under the cursor (for bulk actions)",
        ),
    ]

    class CursorMoved(Message):
        """The participant under the cursor changed."""

        def __init__(self, uuid: str | None) -> None:
            super().__init__()
            self.uuid = uuid

    # repaint=False: a move redraws the two rows it touches (`watch_cursor_row`), not the view
    cursor_row: reactive[int] = reactive(0, always_update=True, init=False, repaint=False)

    def __init__(
        self,
        index: RosterIndex,
        records: Mapping[str, RosterRecord],
        facts_for: FactsFor,
        *,
        id: str | None = None,
    ) -> None:
        # position -> (whose row, the finished row), while in view and not refreshed
        self._lines: dict[int, tuple[str | None, Strip]] = {}
        self._lines_top = 0
        self._scrolling = False
        self._drawn_look: Look | None = None
        self._restyled = 0  # bumped when the CSS gives the roster new styles
        self._palette_for: tuple[object, ...] = ()
        self._palette_now: dict[str, Style] = {}
        self._painter: RowPainter | None = None
        super().__init__(id=id)
        self._index = index
        self._records = records
        self._facts_for = facts_for
        self.cursor_uuid: str | None = None
        self._count = len(index)
        self._shown: tuple[str, ...] = ()  # the uuids drawn from the top row down
        self._shown_top = -1
        self.selected: set[str] = set()
        # uuid -> (what the row was drawn from, the row): one row per participant, so a
        # participant's older looks are dropped as they change (every strip kept is
        # dozens of objects the garbage collector walks; a cache by look held thousands)
        self._row_cache: dict[str, tuple[tuple[object, ...], Strip]] = {}

    @property
    def row_count(self) -> int:
        """Participants the roster shows (its scrollable height may be rounded up)."""
        return self._count

    # -- data -------------------------------------------------------------------------------

    def rebind(self, index: RosterIndex, records: Mapping[str, RosterRecord]) -> None:
        """Point at another store's index (after following a transfer)."""
        self._index, self._records = index, records
        self._count = -1
        self._shown_top = -1
        self.selected.clear()
        self.sync(reordered=True)

    def sync(self, changed: Iterable[str] = (), *, reordered: bool = False) -> None:
        """Apply one batch of store changes: redraw changed visible rows, keep the cursor.

        A reorder redraws only the lines that show another participant than before.
        """
        count = len(self._index)
        if count != self._count:
            self._count = count
            self._fit_virtual_size()
        if reordered:
            self._restore_cursor(count)  # may scroll
            self._redraw_moved_rows(int(self.scroll_offset.y))
        top, height = int(self.scroll_offset.y), self.size.height
        if isinstance(changed, Collection) and len(changed) > BULK_CHANGES + height:
            self.refresh()  # a sync's worth: redrawing the view beats finding each row
            return
        shown = self._shown
        if self._shown_top == top and len(shown) == max(0, min(count, top + height) - top):
            # The rows in view are known (read at the last reorder or scroll, and nothing
            # moved since): no search of the sorted list per changed participant.
            in_view = {uuid: top + y for y, uuid in enumerate(shown)}.get
            for uuid in changed:
                pos = in_view(uuid)
                if pos is not None:
                    self.refresh_line(pos)
            return
        for uuid in changed:
            pos = self._index.position(uuid)
            if pos is not None and top <= pos < top + height:
                self.refresh_line(pos)

    def _window(self, top: int) -> tuple[str, ...]:
        end = min(len(self._index), top + self.size.height)
        return tuple(self._index[i] for i in range(top, end))

    def _redraw_moved_rows(self, top: int) -> None:
        """Redraw the visible lines that now show another participant (or none); the
        cursor's lines are redrawn when it moves (``watch_cursor_row``)."""
        window, shown = self._window(top), self._shown
        if window == shown and top == self._shown_top:
            return
        if top != self._shown_top:
            self.refresh()
        else:
            for y in range(max(len(window), len(shown))):
                if y >= len(window) or y >= len(shown) or window[y] != shown[y]:
                    self.refresh_line(top + y)
        self._shown, self._shown_top = window, top

    def _restore_cursor(self, count: int) -> None:
        if count == 0:
            self.cursor_row = 0
            self._set_cursor_uuid(None)
            return
        pos = self._index.position(self.cursor_uuid) if self.cursor_uuid else None
        if pos is None:
            pos = min(self.cursor_row, count - 1)
            self._set_cursor_uuid(self._index[pos])
        if pos != self.cursor_row:
            self.cursor_row = pos
        if self.selected:
            self.selected = {uuid for uuid in self.selected if uuid in self._records}

    def _set_cursor_uuid(self, uuid: str | None) -> None:
        if uuid != self.cursor_uuid:
            self.cursor_uuid = uuid
            self.post_message(self.CursorMoved(uuid))

    def go_to(self, uuid: str) -> bool:
        """Move the cursor to `uuid` if it is in the (filtered) list."""
        pos = self._index.position(uuid)
        if pos is None:
            return False
        self._move_to(pos)
        return True

    def selection_or_cursor(self) -> list[str]:
        """The selected participants, or the one under the cursor when nothing is selected."""
        if self.selected:
            return [uuid for uuid in self.selected if uuid in self._records]
        uuid = self.cursor_uuid
        return [uuid] if uuid is not None and uuid in self._records else []

    # -- cursor -----------------------------------------------------------------------------

    def _move_to(self, pos: int) -> None:
        count = len(self._index)
        if count == 0:
            return
        pos = max(0, min(count - 1, pos))
        self.cursor_row = pos
        self._set_cursor_uuid(self._index[pos])

    def watch_scroll_y(self, old: float, new: float) -> None:
        # ScrollView's, but the scrollbar is repainted only when it draws something else
        if self.show_vertical_scrollbar:
            move_scrollbar(self.vertical_scrollbar, new)
        if round(old) != round(new):
            self._scrolling = True  # the rows kept stay right: they are kept by position
            try:
                self.refresh(self.size.region)
            finally:
                self._scrolling = False
        top = int(self.scroll_offset.y)
        window, lines = self._window(top), self._lines
        for pos in range(top, top + self.size.height):  # rows may have moved since they
            kept = lines.get(pos)  # were drawn: a kept row stays if it shows who is there now
            if kept is not None and kept[0] != (
                window[pos - top] if pos - top < len(window) else None
            ):
                del lines[pos]
        self._shown, self._shown_top = window, top

    def watch_cursor_row(self, old: int, new: int) -> None:
        self.refresh_line(old)
        self.refresh_line(new)
        self.scroll_to_region(Region(0, new, 1, 1), animate=False, force=True)

    def _cursor_pos(self) -> int:
        """Where the cursor's participant is now: rows may have moved since the last redraw
        (a join above it), and a key moves from the participant, not from a stale row."""
        uuid = self.cursor_uuid
        pos = self._index.position(uuid) if uuid is not None else None
        return self.cursor_row if pos is None else pos

    def action_cursor(self, delta: int) -> None:
        self._move_to(self._cursor_pos() + delta)

    def action_page(self, direction: int) -> None:
        self._move_to(self._cursor_pos() + direction * max(1, self.size.height - 1))

    def action_edge(self, end: int) -> None:
        self._move_to(len(self._index) - 1 if end else 0)

    def action_toggle_select(self) -> None:
        uuid = self.cursor_uuid
        if uuid is None:
            return
        if uuid in self.selected:
            self.selected.discard(uuid)
        else:
            self.selected.add(uuid)
        self.refresh_line(self.cursor_row)
        self._move_to(self.cursor_row + 1)

    def on_click(self, event: Any) -> None:
        offset = event.get_content_offset(self)
        if offset is not None:
            self._move_to(int(self.scroll_offset.y) + offset.y)

    # -- drawing ----------------------------------------------------------------------------

    def refresh(
        self,
        *regions: Region,
        repaint: bool = True,
        layout: bool = False,
        recompose: bool = False,
    ) -> Self:
        if repaint and not self._scrolling:  # the rows these regions cover are drawn again
            lines, top = self._lines, int(self.scroll_offset.y)
            if not regions:
                lines.clear()
            for region in regions:
                for y in range(max(0, region.y), region.bottom):
                    lines.pop(top + y, None)
        return super().refresh(*regions, repaint=repaint, layout=layout, recompose=recompose)

    def render_lines(self, crop: Region) -> list[Strip]:
        """The visible lines, finished (styled and filtered) as Textual's style pass would.

        That pass makes a new strip of every line it redraws, so after a scroll every row
        was filtered and cut up by the compositor again. Here the finished rows in view are
        kept by their position in the list until refreshed (a row's content changed, the
        cursor or the order moved), and a participant's finished row rides with its drawn
        row: a scroll draws only the rows that come into view, and the compositor's caches
        (which ride on the strip) are hit. A widget styled with borders, padding, tint or
        opacity takes Textual's own path.
        """
        if not plain_box(self):
            return super().render_lines(crop)
        look = self._look()
        lines = self._lines
        if look != self._drawn_look:
            self._drawn_look = look
            self._painter = None
            self._row_cache.clear()
            lines.clear()
        top = int(self.scroll_offset.y)
        if top != self._lines_top:  # rows that left the view are not kept (nor refreshed)
            self._lines_top, bottom = top, top + look.height
            for pos in [pos for pos in lines if not top <= pos < bottom]:
                del lines[pos]
        strips = []
        for pos in range(top + crop.y, top + crop.bottom):
            kept = lines.get(pos)
            if kept is None:
                uuid = self._index[pos] if pos < len(self._index) else None
                kept = lines[pos] = (uuid, look.finish(self._row(pos, look.width, look.base)))
            strips.append(kept[1])
        x1, x2 = crop.column_span
        if (x1, x2) != (0, look.width):
            strips = [strip.crop(x1, x2) for strip in strips]
        return strips

    def _look(self) -> Look:
        base = self.rich_style
        _, background = self.background_colors
        width, height = self.size
        # Resolving the component styles costs ~0.3 ms (Textual drops its cache of them at
        # every refresh): only when something they follow changed.
        signature = (base, background, self.has_focus, self.app.theme, self._restyled)
        if signature != self._palette_for:
            self._palette_for, self._palette_now = signature, palette_of(self)
        filters = tuple(self.get_line_filters())
        return Look(width, height, base, background, filters, signature)

    def notify_style_update(self) -> None:
        self._restyled += 1
        super().notify_style_update()

    def _painter_for(self, base: Style) -> RowPainter:
        painter = self._painter
        if painter is None or painter.base != base:
            palette = self._palette_now if self._drawn_look else palette_of(self)
            painter = self._painter = RowPainter(base, palette, self.app.console)
        return painter

    def render_line(self, y: int) -> Strip:
        return self._row(int(self.scroll_offset.y) + y, self.size.width, self.rich_style)

    def _row(self, pos: int, width: int, base: Style) -> Strip:
        if pos >= len(self._index) or width <= 0:
            return Strip.blank(width, base)
        uuid = self._index[pos]
        record = self._records.get(uuid)
        if record is None:
            return Strip.blank(width, base)
        facts = self._facts_for(uuid)
        selected = uuid in self.selected
        is_cursor = pos == self.cursor_row
        key = (record.version, selected, is_cursor, width, facts)
        cached = self._row_cache.get(uuid)
        if cached is not None and cached[0] == key:
            return cached[1]
        if cached is None and len(self._row_cache) >= CACHE_LIMIT:
            self._row_cache.clear()
        painter = self._painter_for(base)
        strip = painter.draw(record.participant, facts, width, selected, is_cursor)
        self._row_cache[uuid] = (key, strip)
        return strip

    def on_resize(self) -> None:
        self._fit_virtual_size(force=True)

    def _fit_virtual_size(self, force: bool = False) -> None:
        """Set the scrollable height. Changing it re-lays out the whole screen, so big lists
        grow and shrink it in steps (the rows past the end are blank)."""
        count = self._count
        height = count if count <= EXACT_BELOW else -(-count // SIZE_STEP) * SIZE_STEP
        current = self.virtual_size
        too_big = current.height - count >= 2 * SIZE_STEP
        needed = (
            force
            or current.height < count
            or too_big
            or (count <= EXACT_BELOW and current.height != count)
        )
        if needed and Size(self.size.width, height) != current:
            self.virtual_size = Size(self.size.width, height)
