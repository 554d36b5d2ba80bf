"""The chat: the conference's messages as they arrive, and an input to send one.

A private (direct) message reads differently from the conference's chat: its heading says
whom it is between (``Alice → you``, ``you → Bob``) and carries a ``private`` tag, so it is
told apart without colour too. A divider (a rule naming a conference) separates the
messages of a conference the console has left from those of the one it is in now.
"""

from __future__ import annotations

import time

from rich.rule import Rule
from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.message import Message
from textual.widgets import Input, RichLog

from pextui.tui.literal import literal_text

MESSAGE_MAX = 1000
NAME_MAX = 24
PRIVATE_TAG = "private"


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

    def add(
        self,
        origin: str,
        payload: str,
        *,
        at: float | None = None,
        own: bool = False,
        private: bool = False,
        recipient: str = "",
    ) -> None:
        """One message: a line with the time and the sender, then the text (wrapped).

        ``private``: a direct message, to us (received) or to ``recipient`` (``own``).
        """
        stamp = time.strftime("%H:%M", time.localtime(at if at is not None else time.time()))
        head = Text(no_wrap=True, overflow="ellipsis")
        head.append(f"{stamp} ", "dim")
        sender = literal_text(origin, NAME_MAX, "bold" if own else "bold cyan")
        head.append_text(sender if sender.plain else Text("?", "bold"))
        if private:
            head.append(" → ", "dim")
            if own:
                head.append_text(literal_text(recipient or "?", NAME_MAX, "bold magenta"))
            else:
                head.append("you", "bold magenta")
            head.append(" ")
            head.append(f" {PRIVATE_TAG} ", "reverse bold magenta")
        log = self.query_one("#chat-log", RichLog)
        log.write(head)
        body = literal_text(payload, MESSAGE_MAX, "italic" if private else "")
        body.no_wrap = False
        log.write(body)

    def add_divider(self, text: str) -> None:
        """A rule across the log, then ``text`` (untrusted: shown literally, wrapped so a
        narrow panel still shows all of it)."""
        log = self.query_one("#chat-log", RichLog)
        log.write(Rule(style="dim"), expand=True)
        title = literal_text(text, 120, "bold")
        title.no_wrap = False
        log.write(title)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        if event.input.id != "chat-input":
            return
        event.stop()
        text = event.value.strip()
        if text:
            self.post_message(self.Send(text))
        event.input.value = ""
