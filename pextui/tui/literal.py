"""The one way untrusted text (display names, aliases, chat, reasons, layout names) becomes
something Textual shows: a ``Content`` of cleaned text, never parsed as markup.

Every sink that would parse a ``str`` as markup or as an action (palette hits and their help,
notifications, tooltips, border titles, option and select labels, screen titles) gets a
``Content`` from :func:`literal`, so ``[@click=app.quit]``, ``[link=...]``, unbalanced
brackets and ``$variables`` stay plain text. The text itself is cleaned by
:func:`pextui.sanitize.safe_text` (no escape sequences, controls or width-ambiguous sequences).
"""

from __future__ import annotations

from rich.text import Text
from textual.content import Content
from textual.fuzzy import Matcher

from pextui.sanitize import safe_text

__all__ = ["MAX_LITERAL_CHARS", "highlighted", "literal", "literal_lines", "literal_text"]

MAX_LITERAL_CHARS = 200
"""Longest untrusted value shown; longer values are cut and end with an ellipsis."""


def literal(text: object, max_chars: int = MAX_LITERAL_CHARS, style: str = "") -> Content:
    """Return untrusted ``text`` as Content that is shown exactly, never as markup."""
    return Content.styled(safe_text(text, max_chars), style)


def literal_text(text: object, max_chars: int = MAX_LITERAL_CHARS, style: str = "") -> Text:
    """Untrusted ``text`` as a Rich ``Text`` (for Rich sinks such as a ``RichLog``): cleaned
    as :func:`literal` cleans it, never parsed as markup."""
    return Text(safe_text(text, max_chars), style=style)


def highlighted(matcher: Matcher, text: str) -> Content:
    """``text`` as literal Content with the letters ``matcher`` matched highlighted.

    Textual's own ``Matcher.highlight`` parses its candidate as markup; this does not.
    """
    content = Content(text)
    score, offsets = matcher.fuzzy_search.match(matcher.query, text)
    if not score:
        return content
    for offset in offsets:
        if offset < len(text) and not text[offset].isspace():
            content = content.stylize(matcher.match_style, offset, offset + 1)
    return content


def literal_lines(text: object, max_chars: int = 600) -> str:
    """Untrusted multi-line ``text`` cleaned line by line (for sinks that take a plain ``str``
    and are told not to parse markup, such as a notification with ``markup=False``)."""
    lines = str(text if text is not None else "").splitlines() or [""]
    return "\n".join(safe_text(line, max_chars) for line in lines[:12])
