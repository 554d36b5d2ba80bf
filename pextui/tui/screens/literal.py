"""Show untrusted text (display names, aliases, overlay text, links) literally.

Names and texts come from the network: Rich markup in them must not be interpreted and
terminal escape sequences or control characters must never reach the terminal. Everything
the dialogs show from outside goes through :func:`literal`, which returns a Textual
``Content`` (never parsed as markup) of text cleaned by :func:`pextui.sanitize.safe_text`.
"""

from __future__ import annotations

import re

from textual.content import Content

from pextui.sanitize import safe_text

MAX_LITERAL_CHARS = 200
"""Longest untrusted value shown; longer values are cut and end with an ellipsis."""

# C0 and C1 control characters, DEL, and the bidirectional marks, overrides and isolates.
_UNSAFE = re.compile("[\x00-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def neutralise(text: str, max_chars: int = MAX_LITERAL_CHARS) -> str:
    """``text`` without escape sequences or control characters, cut to ``max_chars``."""
    return safe_text(text, max_chars)


def literal(text: str, max_chars: int = MAX_LITERAL_CHARS, style: str = "") -> Content:
    """Return untrusted ``text`` as Content that is shown exactly, never as markup."""
    return Content.styled(neutralise(text, max_chars), style)


def has_control_chars(text: str) -> bool:
    """True if ``text`` holds a control character or a bidirectional override."""
    return _UNSAFE.search(text) is not None
