"""The roster's columns: which fit a given width, and how one participant's row is drawn."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from rich.cells import cell_len, set_cell_size
from rich.style import Style
from rich.text import Text

from pextui.tui import present

# Styles a row may use, resolved from the widget's component classes (so themes apply).
Palette = Callable[[str], Style]


@dataclass(frozen=True, slots=True)
class RowFacts:
    """Everything a row shows besides the participant itself (not part of the record)."""

    now: float
    vad: float
    spotlight_order: int  # 1-based position in the spotlight order, 0 = not spotlighted
    pending: str  # description of a pending host action, '' when none
    hand_order: int = 0  # 1-based place in the raised-hands order (0: none or not tracked)


@dataclass(frozen=True, slots=True)
class Column:
    key: str
    title: str
    width: int
    priority: int  # lower survives longer when the terminal narrows


COLUMNS: tuple[Column, ...] = (
    Column("role", "Role", 5, 1),
    Column("audio", "Aud", 5, 0),
    Column("video", "Vid", 4, 0),
    Column("spot", "Spot", 4, 2),
    Column("hand", "Hand", 7, 1),
    Column("pres", "Pres", 4, 3),
    Column("talk", "Talk", 4, 2),
    Column("proto", "Proto", 6, 5),
    Column("state", "State", 10, 2),
    Column("enc", "Enc", 3, 6),
    Column("time", "Time", 5, 4),
)
MARK_WIDTH = 2  # selection mark + space
MIN_NAME = 20


def columns_for(width: int) -> tuple[Column, ...]:
    """The columns that fit beside a name of at least MIN_NAME cells, dropping low priorities."""
    chosen = list(COLUMNS)
    for priority in range(6, -1, -1):
        used = MARK_WIDTH + MIN_NAME + sum(col.width + 1 for col in chosen)
        if used <= width:
            break
        chosen = [col for col in chosen if col.priority < priority]
    return tuple(chosen)


def name_width(width: int, columns: Sequence[Column]) -> int:
    return max(4, width - MARK_WIDTH - sum(col.width + 1 for col in columns))


def header(width: int, style: Style) -> Text:
    columns = columns_for(width)
    text = Text(" " * MARK_WIDTH, style=style, no_wrap=True)
    text.append("Name".ljust(name_width(width, columns)), style)
    for col in columns:
        text.append(" " + col.title.ljust(col.width), style)
    return text


def _cell(text: Text, value: str, width: int, style: Style | str = "") -> None:
    text.append(" ")
    text.append(value[:width].ljust(width), style)


def row(participant: object, facts: RowFacts, width: int, selected: bool, palette: Palette) -> Text:
    """One participant's row, exactly `width` cells wide (before the cursor style)."""
    columns = columns_for(width)
    text = Text(no_wrap=True, overflow="crop")
    if selected:
        text.append("● ", palette("roster--selected-mark"))
    else:
        text.append("  ")
    name = present.display_name(participant)
    room = name_width(width, columns)
    pending = f" ({facts.pending}…)" if facts.pending else ""
    # measured in terminal cells: an emoji or a CJK character takes two
    name_cells = cell_len(name)
    if name_cells + len(pending) > room:
        name = set_cell_size(name, max(1, room - len(pending) - 1)).rstrip() + "…"
        name_cells = cell_len(name)
    name_style = palette("roster--host") if present.is_host(participant) else Style()
    text.append(name, name_style)
    if pending:
        pending = pending[: max(0, room - name_cells)]
        text.append(pending, palette("roster--pending"))
    text.append(" " * max(0, room - name_cells - len(pending)))
    for col in columns:
        _draw(col, text, participant, facts, palette)
    text.truncate(width, pad=True)
    return text


def _draw(col: Column, text: Text, p: object, facts: RowFacts, palette: Palette) -> None:
    w = col.width
    bad, good, dim = palette("roster--bad"), palette("roster--good"), palette("roster--dim")
    key = col.key
    if key == "role":
        _cell(text, "host" if present.is_host(p) else "guest", w, dim)
    elif key == "audio":
        _cell(
            text,
            "mute" if present.audio_muted(p) else "on",
            w,
            bad if present.audio_muted(p) else good,
        )
    elif key == "video":
        _cell(
            text,
            "off" if present.video_muted(p) else "on",
            w,
            bad if present.video_muted(p) else good,
        )
    elif key == "spot":
        _cell(text, f"#{facts.spotlight_order}" if facts.spotlight_order else "", w, good)
    elif key == "hand":
        hand = present.hand_time(p)
        label = f"↑{present.duration(facts.now - hand)}" if hand > 0 else ""
        _cell(text, label, w, palette("roster--hand"))
    elif key == "pres":
        _cell(text, "▶" if present.presenting(p) else "", w, good)
    elif key == "talk":
        _cell(text, present.vad_bar(facts.vad, w) if facts.vad > 0 else "", w, good)
    elif key == "proto":
        _cell(text, present.protocol_label(p), w, dim)
    elif key == "state":
        _cell(text, present.service_state(p), w, palette("roster--pending"))
    elif key == "enc":
        enc = present.encrypted(p)
        _cell(text, "" if enc is None else ("on" if enc else "off"), w, dim if enc else bad)
    elif key == "time":
        start = float(present.field(p, "start_time", 0) or 0)
        _cell(text, present.duration(facts.now - start) if start else "", w, dim)
