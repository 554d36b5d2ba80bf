"""Show untrusted text (display names, aliases, overlay text, links) literally.

Names and texts come from the network: Rich markup in them must not be interpreted and
terminal escape sequences or control characters must never reach the terminal. Everything
the dialogs show from outside goes through :func:`literal`, which returns a Textual
``Content`` (never parsed as markup) of text cleaned by :func:`pextui.sanitize.safe_text`.
"""

from __future__ import annotations

from textual.content import Content

from pextui.sanitize import safe_text

MAX_LITERAL_CHARS = 200
"""Longest untrusted value shown; longer values are cut and end with an ellipsis."""


def literal(text: str, max_chars: int = MAX_LITERAL_CHARS, style: str = "") -> Content:
    """Return untrusted ``text`` as Content that is shown exactly, never as markup."""
    return Content.styled(safe_text(text, max_chars), style)
