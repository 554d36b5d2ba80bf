"""The event log: what happened in the meeting and what the host did, with the results."""

from __future__ import annotations

import time
from collections import deque
from pathlib import Path

from rich.text import Text
from textual.widgets import RichLog

from pextui.sanitize import safe_text

KEEP = 2000
LEVEL_STYLES = {"info": "", "ok": "green", "warn": "yellow", "error": "bold red"}


class EventLog(RichLog):
    """A RichLog that also keeps plain lines so the log can be saved to a file."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(
            id=id, wrap=True, markup=False, highlight=False, max_lines=KEEP, min_width=20
        )
        self.lines_plain: deque[str] = deque(maxlen=KEEP)
        self._unsaid = 0  # events neither drawn nor summarised yet

    @property
    def unsaid(self) -> int:
        """Events kept for saving but not yet drawn nor counted in a summary line."""
        return self._unsaid

    def record(self, message: str, level: str = "info", *, at: float | None = None) -> None:
        self.record_batch([(message, level, at)], 1)

    def record_batch(self, items: list[tuple[str, str, float | None]], draw_at_most: int) -> None:
        """Keep every line for saving; draw the errors and the newest ``draw_at_most``,
        summarise the rest. With nothing to draw (``draw_at_most`` 0, no error) the summary
        waits for the next batch that draws something (or an empty batch that may)."""
        drawn: list[Text] = []
        skipped = self._unsaid
        for position, (message, level, at) in enumerate(items):
            stamp = time.strftime("%H:%M:%S", time.localtime(at if at is not None else time.time()))
            clean = safe_text(message, 300)
            self.lines_plain.append(f"{stamp} {level:<5} {clean}")
            if level != "error" and position < len(items) - draw_at_most:
                skipped += 1
                continue
            line = Text(no_wrap=False)
            line.append(f"{stamp} ", "dim")
            line.append(clean, LEVEL_STYLES.get(level, ""))
            drawn.append(line)
        if not drawn and (draw_at_most <= 0 or not skipped):
            self._unsaid = skipped
            return
        self._unsaid = 0
        if skipped:
            self.write(Text(f"… {skipped} more events (kept for saving)", "dim"))
        for line in drawn:
            self.write(line)

    def save(self, path: Path) -> Path:
        """Write the kept lines to `path` (created with mode 0600)."""
        path = path.expanduser()
        path.parent.mkdir(parents=True, exist_ok=True)
        path.touch(mode=0o600, exist_ok=True)
        path.write_text("\n".join(self.lines_plain) + "\n", encoding="utf-8")
        return path
