"""The tab strip: one badge per open conference, the one in front highlighted.

A badge says the conference's number (``alt+N``), its name, the stream's state and the
counts a host watches (participants, waiting, raised hands); a conference that needs the
host while it is not in front is marked with ``!`` and why. Names come from the network:
they go through :func:`pextui.tui.literal.literal`, never markup. The strip is hidden while
only one conference is open.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

from rich.cells import cell_len
from textual.content import Content
from textual.widgets import Static

from pextui.tui.literal import literal

STATE_WORDS = {
    "live": "live",
    "connecting": "joining",
    "reconnecting": "reconnecting",
    "token": "token trouble",
    "ended": "ended",
    "failed": "failed",
    "pin": "needs PIN",
}
STATE_STYLES = {
    "live": "$text-success",
    "reconnecting": "$text-warning",
    "token": "$text-warning",
    "pin": "$text-warning",
    "ended": "$text-error",
    "failed": "$text-error",
}
SEPARATOR = " │ "
MIN_NAME = 6


@dataclass(frozen=True, slots=True)
class TabBadge:
    """What one tab shows."""

    number: int  # 1-based, the alt+N key
    name: str  # untrusted: the conference's name or alias
    state: str  # live | connecting | reconnecting | token | ended | failed | pin
    participants: int = 0
    waiting: int = 0
    hands: int = 0
    attention: str = ""  # why the host is needed there ("" = nothing)
    front: bool = False


def _counts(badge: TabBadge, short: bool) -> str:
    if short:
        parts = [f"{badge.participants}p"]
        if badge.waiting:
            parts.append(f"{badge.waiting}w")
        if badge.hands:
            parts.append(f"{badge.hands}h")
        return " ".join(parts)
    parts = [f"{badge.participants} in"]
    if badge.waiting:
        parts.append(f"{badge.waiting} waiting")
    if badge.hands:
        parts.append(f"{badge.hands} hand{'s' if badge.hands != 1 else ''}")
    return " · ".join(parts)


def _state(badge: TabBadge, short: bool) -> str:
    word = STATE_WORDS.get(badge.state, badge.state)
    if short and badge.state == "live":
        return "●"
    return word


def badge_content(
    badge: TabBadge, name_cells: int, short: bool, reason: bool | None = None
) -> Content:
    """One badge: ``N name state counts [! why]``, the name cut to ``name_cells``; the
    reason after ``!`` only with ``reason`` (by default: unless ``short``)."""
    name = literal(badge.name, 80)
    if cell_len(name.plain) > name_cells:
        name = name.truncate(max(0, name_cells), ellipsis=name_cells > 1)
    parts: list[Content] = [
        Content.styled(f"{badge.number} ", "bold"),
        name.stylize("bold") if badge.front else name,
        Content(" "),
        Content.styled(_state(badge, short), STATE_STYLES.get(badge.state, "$text-muted")),
    ]
    if badge.state not in ("connecting", "failed", "pin"):
        parts.append(Content.styled(f" {_counts(badge, short)}", "$text-muted"))
    if badge.attention:
        why = f" {badge.attention}" if (not short if reason is None else reason) else ""
        parts.append(Content.styled(f" !{why}", "bold $text-warning"))
    content = Content(" ").join([Content(""), Content("").join(parts), Content("")])
    return content.stylize("reverse") if badge.front else content


def strip_content(badges: Sequence[TabBadge], width: int) -> Content:
    """The whole strip fitted to ``width`` cells: full badges if they fit, then without the
    reasons after ``!``, then short ones with the names cut to share what is left."""
    if not badges:
        return Content("")
    width = max(width, 20)
    names = [cell_len(literal(b.name, 80).plain) for b in badges]
    gaps = cell_len(SEPARATOR) * (len(badges) - 1)
    for short, reason in ((False, True), (False, False), (True, False)):
        fixed = [badge_content(replace(b, name=""), 0, short, reason).cell_length for b in badges]
        room = width - sum(fixed) - gaps
        if short or room >= sum(names):
            share = max(MIN_NAME, room // len(badges)) if room < sum(names) else max(names)
            pairs = zip(badges, names, strict=True)
            parts = [badge_content(b, min(share, n), short, reason) for b, n in pairs]
            return Content(SEPARATOR).join(parts).truncate(width)
    raise AssertionError("unreachable")


class ConferenceTabs(Static):
    """One line listing every open conference (hidden with only one)."""

    DEFAULT_CSS = """
    ConferenceTabs { height: 1; background: $panel-darken-1; color: $foreground; }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id, markup=False)
        self._badges: tuple[TabBadge, ...] = ()
        self._width = -1
        self.display = False

    @property
    def badges(self) -> tuple[TabBadge, ...]:
        return self._badges

    def show(self, badges: Sequence[TabBadge]) -> None:
        """Redraw when something shown changed (or the width did)."""
        badges = tuple(badges)
        width = self.size.width or (self.app.size.width if self.is_attached else 80)
        if badges == self._badges and width == self._width:
            return
        self._badges, self._width = badges, width
        shown = len(badges) > 1
        if shown != self.display:
            self.display = shown  # a change of height: the screen is laid out again
            self.update(strip_content(badges, width))
        elif shown:
            # One line, as wide as the screen: new text never changes the layout (laying
            # out the whole screen for each count that changed cost ~50 ms a time).
            self.update(strip_content(badges, width), layout=False)

    def on_resize(self) -> None:
        if self._badges:
            self._width = -1
            self.show(self._badges)
