"""The roster's columns: which fit a given width, and how one participant's row is drawn."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache

from rich.cells import cell_len, set_cell_size
from rich.style import Style
from rich.text import Text

from pextui.protocol.models import Participant
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
    you: bool = False  # the console's own participant (a guest may call themselves "Host")
    # a mark that is no ongoing verb (no "…"), and its short form for a row too narrow for
    # it beside NAME_KEPT cells of the name: "transfer pending to X" / "→X"
    pending_short: str = ""


@dataclass(frozen=True, slots=True)
class Column:
    key: str
    title: str
    width: int
    priority: int  # lower earns a place first when the terminal narrows


# Display order. Priorities follow what a host watches: who, role, audio, video, hands,
# who is talking and for how long; then state, spotlight, presenting, protocol, encryption.
COLUMNS: tuple[Column, ...] = (
    Column("role", "Role", 5, 0),
    Column("audio", "Aud", 5, 1),
    Column("video", "Vid", 4, 2),
    Column("spot", "Spot", 4, 7),
    Column("hand", "Hand", 7, 3),
    Column("pres", "Pres", 4, 8),
    Column("talk", "Talk", 4, 4),
    Column("proto", "Proto", 6, 9),
    Column("state", "State", 10, 6),
    Column("enc", "Enc", 3, 10),
    Column("time", "Time", 5, 5),
)
MARK_WIDTH = 2  # selection mark + space
YOU = " (you)"  # after the console's own name
MIN_NAME = 16  # the name column never shrinks below this to make room for a column...
ESSENTIAL = 6  # ...of the first ESSENTIAL priorities; later columns wait for PREFERRED_NAME
PREFERRED_NAME = 22
NAME_KEPT = 10  # cells of the name a long pending label ("→ alias: state") leaves visible


@lru_cache(maxsize=64)
def columns_for(width: int) -> tuple[Column, ...]:
    """The columns that fit `width`, by priority: the essential ones beside a name of at least
    MIN_NAME cells, the others only once the name has PREFERRED_NAME cells. Cached per width
    (every row asks)."""
    used = MARK_WIDTH
    chosen: set[str] = set()
    for col in sorted(COLUMNS, key=lambda c: c.priority):
        name = MIN_NAME if col.priority < ESSENTIAL else PREFERRED_NAME
        if used + col.width + 1 + name > width:
            break  # strictly by priority: a later column never takes an earlier one's place
        chosen.add(col.key)
        used += col.width + 1
    return tuple(col for col in COLUMNS if col.key in chosen)


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


def row(
    participant: Participant, facts: RowFacts, width: int, selected: bool, palette: Palette
) -> Text:
    """One participant's row, exactly `width` cells wide (before the cursor style)."""
    columns = columns_for(width)
    text = Text(no_wrap=True, overflow="crop")
    if selected:
        text.append("● ", palette("roster--selected-mark"))
    else:
        text.append("  ")
    name = present.display_name(participant)
    room = name_width(width, columns)
    shown = facts.pending
    # "→ alias: state" (a transfer) and a mark with a short form are no ongoing verb
    if shown and not shown.startswith("→") and not facts.pending_short:
        shown += "…"
    # measured in terminal cells: an emoji or a CJK character takes two
    name_cells = cell_len(name)
    kept = min(name_cells, NAME_KEPT)
    if facts.pending_short and cell_len(shown) + 3 > room - kept:
        shown = facts.pending_short
    pending = (YOU if facts.you else "") + (f" ({shown})" if shown else "")
    if not any(col.key == "state" for col in columns):  # narrow: the state rides on the name
        state = present.service_state(participant)
        pending += f" [{state}]" if state else ""
    pending_cells = cell_len(pending)  # an alias in the mark may hold wide characters too
    if pending_cells > room - kept and room - kept > 2:
        pending = set_cell_size(pending, room - kept - 1).rstrip() + "…"
        pending_cells = cell_len(pending)
    if name_cells + pending_cells > room:
        name = set_cell_size(name, max(1, room - pending_cells - 1)).rstrip() + "…"
        name_cells = cell_len(name)
    name_style = palette("roster--host") if present.is_host(participant) else Style()
    text.append(name, name_style)
    if pending:
        if name_cells + pending_cells > room:
            pending = set_cell_size(pending, max(0, room - name_cells))
            pending_cells = cell_len(pending)
        text.append(pending, palette("roster--pending"))
    text.append(" " * max(0, room - name_cells - pending_cells))
    for col in columns:
        _draw(col, text, participant, facts, palette)
    text.truncate(width, pad=True)
    return text


def _draw(col: Column, text: Text, p: Participant, facts: RowFacts, palette: Palette) -> None:
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
        _cell(text, present.video_label(p), w, bad if present.video_muted(p) else good)
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
        start = float(p.start_time)
        _cell(text, present.duration(facts.now - start) if start else "", w, dim)
