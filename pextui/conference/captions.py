"""Live captions with their speakers: interim text replaced by the final one.

`live_captions` events come as interim (`is_final` false, the words so far) and then a
final caption; the log keeps the finals (at most `limit`) and the current interim line
apart, so a view shows the finals and, below them, what is being said now. Speakers are
named from `sources` through the roster at the time the caption arrived.
"""

from __future__ import annotations

import time
from collections import deque
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from pextui.protocol import models as m

DEFAULT_CAPTION_LIMIT = 500


@dataclass(frozen=True, slots=True)
class CaptionLine:
    text: str
    speakers: tuple[str, ...]
    final: bool
    at: float

    @property
    def speaker(self) -> str:
        return ", ".join(self.speakers)

    def to_json(self) -> dict[str, Any]:
        return {
            "text": self.text,
            "speakers": list(self.speakers),
            "final": self.final,
            "at": self.at,
        }


class CaptionLog:
    """Final caption lines (oldest first) and the interim line being spoken now."""

    def __init__(self, limit: int = DEFAULT_CAPTION_LIMIT) -> None:
        self._lines: deque[CaptionLine] = deque(maxlen=limit)
        self.interim: CaptionLine | None = None

    def __iter__(self) -> Iterator[CaptionLine]:
        return iter(self._lines)

    def __len__(self) -> int:
        return len(self._lines)

    @property
    def latest(self) -> CaptionLine | None:
        """What a one-line view shows: the interim line, else the last final one."""
        if self.interim is not None:
            return self.interim
        return self._lines[-1] if self._lines else None

    def add(
        self, caption: m.LiveCaptions, name_of: Callable[[str], str | None], now: float
    ) -> CaptionLine:
        speakers = tuple(
            name_of(source.participant_uuid) or "Unknown speaker" for source in caption.sources
        )
        line = CaptionLine(caption.data, speakers, caption.is_final, now)
        if caption.is_final:
            self._lines.append(line)
            self.interim = None
        else:
            self.interim = line
        return line

    def transcript(self, local_time: Callable[[float], time.struct_time] = time.localtime) -> str:
        """The final lines as text, one `HH:MM:SS Speaker: words` per line."""
        rows = []
        for line in self._lines:
            stamp = time.strftime("%H:%M:%S", local_time(line.at))
            who = f"{line.speaker}: " if line.speakers else ""
            rows.append(f"{stamp} {who}{line.text}")
        return "\n".join(rows) + ("\n" if rows else "")
