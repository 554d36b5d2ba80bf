"""The chat: the conference's messages as they arrive, and an input to send one."""

from __future__ import annotations

import time

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.message import Message
from textual.widgets import Input, RichLog

from pextui.sanitize import safe_text

MESSAGE_MAX = 1000


class ChatPanel(Vertical):
    """Message log on top, input below; submitting posts `ChatPanel.Send`."""

    class Send(Message):
        def __init__(self, text: str) -> None:
            super().__init__()
            self.text = text

    def compose(self) -> ComposeResult:
        yield RichLog(
            id="chat-log", wrap=True, markup=False, highlight=False, max_lines=500, min_width=10
        )
        yield Input(placeholder="message (enter to send)", id="chat-input", max_length=MESSAGE_MAX)

    def add(self, origin: str, payload: str, *, at: float | None = None, own: bool = False) -> None:
        """One message: a line with the time and the sender, then the text (wrapped)."""
        stamp = time.strftime("%H:%M", time.localtime(at if at is not None else time.time()))
        head = Text(no_wrap=True, overflow="ellipsis")
        head.append(f"{stamp} ", "dim")
        head.append(safe_text(origin, 24) or "?", "bold" if own else "bold cyan")
        log = self.query_one("#chat-log", RichLog)
        log.write(head)
        log.write(Text(safe_text(payload, MESSAGE_MAX), no_wrap=False))

    def on_input_submitted(self, event: Input.Submitted) -> None:
        if event.input.id != "chat-input":
            return
        event.stop()
        text = event.value.strip()
        if text:
            self.post_message(self.Send(text))
        event.input.value = ""
