"""The bounded chat log of one conference.

An entry is a message received (``direct``: sent to us alone, a private message), one this
console sent (``local``; ``recipient`` names whom a private one went to), or a divider
(``kind == "divider"``, its text in ``payload``): the console moved to another conference,
and what follows belongs to that one.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from pextui.protocol.models import ChatMessage

DEFAULT_CHAT_LIMIT = 500


DIVIDER = "divider"
MESSAGE = "message"


@dataclass(frozen=True, slots=True)
class ChatEntry:
    """One chat line; ``local`` marks a message this console sent itself."""

    seq: int
    received_at: float
    sender_uuid: str
    origin: str
    content_type: str
    payload: str
    direct: bool = False
    local: bool = False
    recipient: str = ""  # a private message we sent: the name of whom it went to
    kind: str = MESSAGE  # or DIVIDER

    @property
    def is_divider(self) -> bool:
        return self.kind == DIVIDER

    @property
    def is_text(self) -> bool:
        return self.content_type.split(";", 1)[0].strip().lower() == "text/plain"

    def to_json(self) -> dict[str, Any]:
        return {
            "seq": self.seq,
            "received_at": self.received_at,
            "sender_uuid": self.sender_uuid,
            "origin": self.origin,
            "type": self.content_type,
            "payload": self.payload,
            "direct": self.direct,
            "local": self.local,
            "recipient": self.recipient,
            "kind": self.kind,
        }


class ChatLog:
    """The newest ``limit`` chat entries, oldest first; ``seq`` numbers never repeat."""

    __slots__ = ("_entries", "_next_seq")

    def __init__(self, limit: int = DEFAULT_CHAT_LIMIT) -> None:
        self._entries: deque[ChatEntry] = deque(maxlen=max(1, limit))
        self._next_seq = 1

    def __len__(self) -> int:
        return len(self._entries)

    def __iter__(self) -> Iterator[ChatEntry]:
        return iter(self._entries)

    def __getitem__(self, index: int) -> ChatEntry:
        return self._entries[index]

    @property
    def limit(self) -> int:
        limit = self._entries.maxlen
        return 0 if limit is None else limit

    def _append(self, entry: ChatEntry) -> ChatEntry:
        self._entries.append(entry)
        self._next_seq += 1
        return entry

    def add_received(self, message: ChatMessage, now: float) -> ChatEntry:
        return self._append(
            ChatEntry(
                self._next_seq,
                now,
                message.uuid,
                message.origin,
                message.type,
                message.payload,
                message.direct,
            )
        )

    def add_local(
        self,
        sender_uuid: str,
        origin: str,
        payload: str,
        now: float,
        *,
        direct: bool = False,
        recipient: str = "",
    ) -> ChatEntry:
        """Record a message this console sent (the server does not echo it back)."""
        seq = self._next_seq
        return self._append(
            ChatEntry(seq, now, sender_uuid, origin, "text/plain", payload, direct, True, recipient)
        )

    def add_divider(self, text: str, now: float) -> ChatEntry:
        """A divider: what follows belongs to another conference (``text`` says which)."""
        entry = ChatEntry(self._next_seq, now, "", "", "text/plain", text, kind=DIVIDER)
        return self._append(entry)

    def since(self, seq: int) -> list[ChatEntry]:
        """Entries with a sequence number above ``seq`` (for incremental redraws)."""
        return [entry for entry in self._entries if entry.seq > seq]
