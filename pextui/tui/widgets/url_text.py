"""A URL drawn on whole lines, broken only between its parts."""

from __future__ import annotations

from textual.content import Content
from textual.geometry import Size
from textual.widgets import Static

from pextui.sanitize import safe_text
from pextui.tui.present import url_lines


class UrlText(Static):
    """A link drawn on whole lines broken only between its parts (never mid-word), so a
    narrow terminal shows it readably and selecting it copies no stray characters."""

    DEFAULT_CSS = "UrlText { height: auto; }"

    def __init__(self, url: str, *, classes: str = "") -> None:
        self.url = safe_text(url, 400)
        super().__init__(Content(self.url), classes=classes)

    def render(self) -> Content:
        return Content("\n".join(url_lines(self.url, self.size.width)))

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        return len(url_lines(self.url, width))
