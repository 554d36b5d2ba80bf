"""A column whose border title changes often: a new title repaints the top border only."""

from __future__ import annotations

from typing import Self

from textual.containers import Vertical
from textual.content import Content
from textual.geometry import Region


class TitledColumn(Vertical):
    """``Vertical`` with :meth:`set_title`.

    Setting ``border_title`` refreshes the whole widget, and so everything drawn inside it
    (the roster's column: ~50 lines through the compositor). A title that counts
    participants changes a few times a second; :meth:`set_title` repaints its line alone.
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._title_only = False

    def set_title(self, title: Content) -> None:
        self._title_only = True
        try:
            self.border_title = title
        finally:
            self._title_only = False

    def refresh(
        self,
        *regions: Region,
        repaint: bool = True,
        layout: bool = False,
        recompose: bool = False,
    ) -> Self:
        if self._title_only and not (regions or layout or recompose):
            # The top border line, in content coordinates (the gutter is above and left).
            left, top = self.content_offset
            regions = (Region(-left, -top, self.outer_size.width, 1),)
        return super().refresh(*regions, repaint=repaint, layout=layout, recompose=recompose)
