"""The captions line: who is speaking and what they say, interim text replaced by the final.

Everything shown comes from the network (names, words) and goes through `literal`.
"""

from __future__ import annotations

from textual.content import Content
from textual.widgets import Static

from pextui.conference import CaptionLine
from pextui.tui.literal import literal

WAITING = "Captions on · waiting for someone to speak"


class CaptionsLine(Static):
    DEFAULT_CSS = """
    CaptionsLine {
        height: auto;
        max-height: 3;
        padding: 0 1;
        background: $boost;
        display: none;
    }
    CaptionsLine.-on { display: block; }
    """

    def show_line(self, line: CaptionLine | None) -> None:
        if line is None:
            self.update(Content.styled(WAITING, "italic $text-muted"))
            return
        who = literal(line.speaker or "Unknown speaker", 40, style="bold")
        words = literal(line.text, 400, style="" if line.final else "italic $text-muted")
        self.update(Content.assemble("CC ", who, ": ", words))
