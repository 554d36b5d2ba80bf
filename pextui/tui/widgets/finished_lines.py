"""For Line-API widgets that keep their finished lines: when Textual's style pass would hand
a content line through unchanged, a row's text as few segments as its styles allow, and a
scrollbar repainted only when it draws something else."""

from __future__ import annotations

from dataclasses import dataclass
from math import ceil

from rich.console import Console
from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual.color import Color
from textual.filter import LineFilter
from textual.geometry import Spacing
from textual.scrollbar import ScrollBar
from textual.strip import Strip
from textual.widget import Widget

NO_SPACING = Spacing(0, 0, 0, 0)

Run = tuple[str, Style | None]


@dataclass(frozen=True, slots=True)
class Look:
    """What every finished line depends on besides its own content: when it changes (a
    theme, focus, a resize, a style), every line is drawn again."""

    width: int
    height: int
    base: Style
    background: Color
    filters: tuple[LineFilter, ...]
    styles: tuple[object, ...]  # whatever else the widget's lines are drawn with

    def finish(self, strip: Strip) -> Strip:
        """The line as the screen gets it: the app's line filters applied (Textual caches
        each filter's result on the strip, so a kept line is filtered once)."""
        for line_filter in self.filters:
            strip = strip.apply_filter(line_filter, self.background)
        return strip


def plain_box(widget: Widget) -> bool:
    """True when the widget's style pass adds nothing to a content line (no border, padding,
    outline, hatch, tint, opacity or text opacity): its lines can be finished without it.
    (Links are not looked at: rows with links must not rely on this.)"""
    styles = widget.styles
    return (
        styles.gutter == NO_SPACING
        and not any(edge for edge, _ in styles.outline)
        and not styles.tint.a
        and styles.text_opacity == 1.0
        and not (styles.has_rule("hatch") and styles.hatch != "none")
        and widget.opacity == 1.0
    )


def runs(text: Text, console: Console) -> list[Run]:
    """The text's pieces and their styles, neighbours of equal style merged (each segment
    costs the compositor a cut and the terminal an escape sequence). Text built by appending
    (spans in order, none overlapping, Style objects) is read directly; anything else goes
    through Rich's renderer."""
    plain, length = text.plain, len(text.plain)
    out: list[list[object]] = []
    pos = 0

    def add(part: str, style: Style | None) -> None:
        if out and out[-1][1] == style:
            out[-1][0] = str(out[-1][0]) + part
        else:
            out.append([part, style])

    for span in text.spans:
        style = span.style
        if text.style or span.start < pos or not isinstance(style, Style):
            return _rendered(text, console)
        end = min(span.end, length)
        if span.start > pos:
            add(plain[pos : span.start], None)
        if end > span.start:
            add(plain[span.start : end], style)
        pos = max(pos, end)
    if pos < length:
        add(plain[pos:], None)
    return [(str(part), style) for part, style in out]  # type: ignore[misc]


def _rendered(text: Text, console: Console) -> list[Run]:
    merged: list[Run] = []
    for segment in text.render(console):
        if segment.text == "\n":
            continue
        if merged and merged[-1][1] == segment.style:
            merged[-1] = (merged[-1][0] + segment.text, segment.style)
        else:
            merged.append((segment.text, segment.style))
    return merged


def move_scrollbar(bar: ScrollBar, position: float) -> None:
    """Set a vertical scrollbar's position (what ScrollView does on every scroll). Setting
    it repaints the bar (~4 ms for 50 one-cell lines through Textual's pipeline), and in a
    long list a scroll by one row moves the thumb by much less than the bar's 1/8-cell
    steps: the position is set quietly and the bar repainted when what it draws changed."""
    if bar.grabbed:  # being dragged: Textual's own way
        bar.position = position
        return
    before = _drawn_bar(bar)
    bar.set_reactive(ScrollBar.position, bar.validate_position(position))
    if _drawn_bar(bar) != before:
        bar.refresh()


def _drawn_bar(bar: ScrollBar) -> list[Segment]:
    """The cells the vertical scrollbar draws, as its renderer computes them."""
    window = bar.window_size if bar.window_size < bar.window_virtual_size else 0
    drawn = bar.renderer.render_bar(
        size=bar.size.height,
        virtual_size=ceil(bar.window_virtual_size),
        window_size=ceil(window),
        position=bar.position,
        thickness=bar.thickness,
        vertical=True,
    )
    return list(drawn.segments)
