"""Draws roster rows in one look (the widget's base style and its component styles): the
styles are resolved once per look, not per row, and each row has as few segments as its
styles allow."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from rich.console import Console
from rich.segment import Segment
from rich.style import Style
from textual.strip import Strip
from textual.widget import Widget

from pextui.tui.widgets.finished_lines import runs
from pextui.tui.widgets.roster_columns import RowFacts, row

PALETTE = (  # the roster's component classes (themes style them)
    "roster--cursor",
    "roster--selected",
    "roster--selected-mark",
    "roster--host",
    "roster--pending",
    "roster--bad",
    "roster--good",
    "roster--dim",
    "roster--hand",
)


def palette_of(widget: Widget) -> dict[str, Style]:
    """What `RowPainter` draws with, from the widget's component styles."""
    component = widget.get_component_rich_style
    palette = {name: component(name, partial=True) for name in PALETTE}
    palette.update(selected=component("roster--selected"), cursor=component("roster--cursor"))
    return palette


class RowPainter:
    def __init__(self, base: Style, palette: Mapping[str, Style], console: Console) -> None:
        """`palette`: each component class's partial style, and the full styles of
        "roster--selected" and "roster--cursor" under the keys "selected" and "cursor"."""
        self.base = base
        self._palette = dict(palette)
        selected, cursor = _background(palette["selected"]), _background(palette["cursor"])
        self._overlays = {
            (False, False): Style(),
            (True, False): selected,
            (False, True): cursor,
            (True, True): selected + cursor,
        }
        self._styled: dict[tuple[Style | None, Style], Style] = {}
        self._console = console

    def style(self, name: str) -> Style:
        return self._palette[name]

    def draw(
        self, participant: Any, facts: RowFacts, width: int, selected: bool, cursor: bool
    ) -> Strip:
        """One participant's row: exactly `width` cells, the selection and the cursor laid
        over every cell's own style."""
        text = row(participant, facts, width, selected, self.style)
        overlay = self._overlays[selected, cursor]
        styled, base = self._styled, self.base
        segments = []
        for part, style in runs(text, self._console):
            combined = styled.get((style, overlay))
            if combined is None:
                combined = styled[style, overlay] = base + style + overlay
            segments.append(Segment(part, combined))
        return Strip(segments).adjust_cell_length(width, base + overlay)


def _background(style: Style) -> Style:
    """Only the background and emphasis of a component style (the text keeps its colour)."""
    return Style(bgcolor=style.bgcolor, bold=style.bold, reverse=style.reverse)
