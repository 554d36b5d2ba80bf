"""Show untrusted text (display names, aliases, overlay text, links) literally.

Names and texts come from the network: Rich markup in them must not be interpreted and
terminal escape sequences or control characters must never reach the terminal. Everything
the dialogs show from outside goes through :func:`literal`, which returns a Textual
``Content`` (never parsed as markup) of neutralised, length-bounded text.
"""

from __future__ import annotations

import re

from textual.content import Content

MAX_LITERAL_CHARS = 200
"""Longest untrusted value shown; longer values are cut and end with an ellipsis."""

# C0 and C1 control characters, DEL, and the bidirectional overrides/isolates that can make
# text appear in a different order than it is stored.
_UNSAFE = re.compile("[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\u200e\u200f]")
_REPLACEMENT = "\ufffd"


def neutralise(text: str, max_chars: int = MAX_LITERAL_CHARS) -> str:
    """Return ``text`` with control characters replaced and cut to ``max_chars``."""
    cleaned = _UNSAFE.sub(_REPLACEMENT, text)
    if len(cleaned) > max_chars:
        cleaned = cleaned[: max(0, max_chars - 1)] + "…"
    return cleaned


def literal(text: str, max_chars: int = MAX_LITERAL_CHARS, style: str = "") -> Content:
    """Return untrusted ``text`` as Content that is shown exactly, never as markup."""
    return Content.styled(neutralise(text, max_chars), style)


def has_control_chars(text: str) -> bool:
    """True if ``text`` holds a character that :func:`neutralise` would replace."""
    return _UNSAFE.search(text) is not None
