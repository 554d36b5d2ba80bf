"""Small side panels: the stage, the waiting room and the raised hands."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import ClassVar

from rich.text import Text
from textual.widget import Widget

from pextui.tui import present
from pextui.tui.present import duration, vad_bar


@dataclass(frozen=True, slots=True)
class StageView:
    speakers: tuple[tuple[str, float], ...] = ()  # (name, vad) in active-speaker order
    layout: str = ""
    spotlighted: tuple[str, ...] = ()  # names in spotlight order
    overlay: bool = False


@dataclass(frozen=True, slots=True)
class QueueView:
    """People in order with how long they have been there (waiting room, raised hands)."""

    entries: tuple[tuple[str, float], ...] = ()  # (name, since): the first ones only
    now: float = 0.0
    total: int = 0  # how many there are in all


class _Panel(Widget):
    DEFAULT_CSS = """
    _Panel { text-wrap: nowrap; text-overflow: ellipsis; }
    """
    COMPONENT_CLASSES: ClassVar[set[str]] = {"panel--dim", "panel--accent", "panel--good"}
    EMPTY = ""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)


class StagePanel(_Panel):
    """Active-speaker order with voice-activity bars, the layout and the spotlight."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.view = StageView()

    def show(self, view: StageView) -> None:
        if view != self.view:
            self.view = view
            self.refresh()

    def render(self) -> Text:
        dim, accent = (
            self.get_component_rich_style("panel--dim", partial=True),
            self.get_component_rich_style("panel--accent", partial=True),
        )
        good = self.get_component_rich_style("panel--good", partial=True)
        view = self.view
        text = Text(no_wrap=True, overflow="ellipsis")
        text.append("Layout: ", dim)
        text.append(present.layout_words(view.layout) if view.layout else "not known yet", accent)
        if view.overlay:
            text.append(" · name labels on", dim)
        if view.spotlighted:
            text.append("\nspotlight ", dim)
            text.append(", ".join(view.spotlighted), accent)
        room = max(1, self.size.height - text.plain.count("\n") - 1)
        for name, vad in view.speakers[:room]:
            text.append("\n")
            text.append(vad_bar(vad, 4), good)
            text.append(" " + name)
        if not view.speakers:
            text.append("\nnobody on stage", dim)
        return text


class QueuePanel(_Panel):
    """A named queue of participants in order (oldest first)."""

    def __init__(self, empty: str, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.empty = empty
        self.view = QueueView()

    def show(self, view: QueueView) -> None:
        if view != self.view:
            self.view = view
            self.refresh()

    def render(self) -> Text:
        dim = self.get_component_rich_style("panel--dim", partial=True)
        accent = self.get_component_rich_style("panel--accent", partial=True)
        text = Text(no_wrap=True, overflow="ellipsis")
        entries: Sequence[tuple[str, float]] = self.view.entries
        total = max(self.view.total, len(entries))
        if not entries:
            text.append(self.empty, dim)
            return text
        room = max(1, self.size.height)
        shown = entries if total <= room else entries[: room - 1]
        for number, (name, since) in enumerate(shown, start=1):
            if number > 1:
                text.append("\n")
            text.append(f"{number:>2} ", accent)
            text.append(name)
            if since:
                text.append(f" {duration(self.view.now - since)}", dim)
        if len(shown) < total:
            text.append(f"\n   … {total - len(shown)} more", dim)
        return text
