"""How a participant is presented: pure functions from the model to short labels.

The facts (muted, host, hand, waiting, video...) are the ``Participant`` model's own
properties (see docs/protocol.md, "The participant object"); this module only turns them
into text. Nothing here imports Textual.
"""

from __future__ import annotations

from typing import Any

from pextui.names import NAME_MAX, shown_name
from pextui.protocol.models import Participant
from pextui.sanitize import safe_text

__all__ = ["safe_text"]


def yes(value: object) -> bool:
    """A yes/no value ("YES"/"NO", bool, None) as a bool (docs/protocol.md)."""
    if isinstance(value, str):
        return value.strip().upper() in ("YES", "TRUE", "1")
    return bool(value)


def field(participant: object, name: str, default: Any = None) -> Any:
    """A participant field, tolerating models that lack it (v28 payloads, extra fields)."""
    value = getattr(participant, name, default)
    if value is None:
        extra = getattr(participant, "model_extra", None)
        if isinstance(extra, dict):
            value = extra.get(name, default)
    return default if value is None else value


def display_name(participant: object) -> str:
    """The name shown (and sorted and searched): see `pextui.names.shown_name`."""
    return shown_name(
        str(field(participant, "display_name", "") or ""),
        str(field(participant, "uri", "") or ""),
        str(field(participant, "protocol", "") or ""),
        NAME_MAX,
    )


def is_host(participant: Participant | None) -> bool:
    return participant is not None and participant.is_host


def audio_muted(participant: Participant | None) -> bool:
    return participant is not None and participant.audio_muted


def video_muted(participant: Participant | None) -> bool:
    return participant is not None and participant.video_muted


def video_label(participant: Participant) -> str:
    """The roster's video cell: on / off, or nothing without video (audio-only, control)."""
    if not participant.has_video:
        return ""
    return "off" if participant.video_muted else "on"


def rx_presentation_denied(participant: Participant | None) -> bool:
    return participant is not None and participant.rx_presentation_denied


def overlay_text(participant: Participant | None) -> str:
    return participant.overlay_text if participant is not None else ""


def presenting(participant: Participant | None) -> bool:
    return participant is not None and participant.presenting


def hand_time(participant: Participant | None) -> float:
    return float(participant.buzz_time) if participant is not None else 0.0


def spotlight_time(participant: Participant | None) -> float:
    return float(participant.spotlight) if participant is not None else 0.0


def service_state(participant: object) -> str:
    """A short label for the participant's state: waiting, connecting, IVR, or ''."""
    service = str(field(participant, "service_type", "") or "")
    if yes(field(participant, "is_transferring")):
        return "transfer"
    return {
        "waiting_room": "waiting",
        "connecting": "connecting",
        "ivr": "IVR",
        "gateway": "gateway",
        "test_call": "test",
    }.get(service, "")


def is_waiting(participant: Participant | None) -> bool:
    return participant is not None and participant.waiting


def protocol_label(participant: object) -> str:
    return safe_text(field(participant, "protocol", ""), 8)


def encrypted(participant: object) -> bool | None:
    value = str(field(participant, "encryption", "") or "")
    if not value:
        return None
    return value.lower() == "on"


def can(participant: Participant | None, capability: str) -> bool:
    """mute / transfer / disconnect support (absent fields, as from v28, mean supported)."""
    return participant is not None and participant.supports(capability)


def duration(seconds: float) -> str:
    """A compact elapsed time: <1m, 7m, 1h05."""
    seconds = max(0, int(seconds))
    if seconds < 60:
        return "<1m"
    minutes = seconds // 60
    if minutes < 60:
        return f"{minutes}m"
    return f"{minutes // 60}h{minutes % 60:02d}"


def clock_duration(seconds: float) -> str:
    """An elapsed time for the status bar: 0:42, 12:03, 1:02:03."""
    seconds = max(0, int(seconds))
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"


VAD_BARS = " ▁▂▃▄▅▆▇█"


def vad_bar(vad: float, width: int = 4) -> str:
    """Voice activity (0-100) as a bar of block characters."""
    level = max(0.0, min(100.0, float(vad))) / 100.0
    cells = level * width
    full = int(cells)
    bar = "█" * full
    if full < width:
        bar += VAD_BARS[int((cells - full) * (len(VAD_BARS) - 1))]
    return bar.ljust(width)[:width]


# The layouts the console knows, in words (the stage header and the layout dialog).
LAYOUT_DESCRIPTIONS: dict[str, str] = {
    "ac": "Adaptive Composition",
    "1:0": "speaker only",
    "1:7": "1 large + up to 7 small",
    "1:21": "1 large + up to 21 small",
    "2:21": "2 large + up to 21 small",
    "1:33": "1 large + up to 33 small",
    "4:0": "2 x 2 equal",
    "2x2": "2 x 2 (newer nodes)",
    "9:0": "3 x 3 equal",
    "16:0": "4 x 4 equal",
    "25:0": "5 x 5 equal",
    "5:7": "5 large + 7 small",
    "teams": "Teams-like gallery",
}


def layout_words(name: str) -> str:
    """``"ac"`` -> ``"Adaptive Composition (ac)"``; an unknown name as it is (cleaned)."""
    safe = safe_text(name, 30)
    description = LAYOUT_DESCRIPTIONS.get(name)
    return f"{description} ({safe})" if description else safe


def url_lines(url: str, width: int) -> list[str]:
    """``url`` in lines of at most ``width`` cells, broken only before ``?`` / ``&`` / ``#``
    or after ``/`` (never inside a host, a path segment or a value); a piece longer than
    ``width`` keeps a line of its own."""
    if width <= 0 or len(url) <= width:
        return [url]
    pieces: list[str] = []
    current = ""
    for char in url:
        if char in "?&#" and current:
            pieces.append(current)
            current = ""
        current += char
        if char == "/":
            pieces.append(current)
            current = ""
    if current:
        pieces.append(current)
    lines: list[str] = []
    line = ""
    for piece in pieces:
        if line and len(line) + len(piece) > width:
            lines.append(line)
            line = ""
        line += piece
    if line:
        lines.append(line)
    return lines
