"""Make untrusted text (display names, chat, overlay text, reasons) safe to show in a terminal.

`safe_text` removes terminal escape sequences (CSI, OSC, DCS, ...), C0/C1 control characters,
null bytes, bidirectional overrides and zero-width characters, rewrites the sequences terminals
draw at different widths (`pextui.textwidth`), collapses line breaks and tabs into spaces and
truncates with an ellipsis. The result is plain text: show it through
`rich.text.Text` / `Content`, never through markup parsing, so `[bold]` stays literal.
"""

from __future__ import annotations

import json
import re
import unicodedata

from pextui.textwidth import uniform_width

__all__ = ["ELLIPSIS", "has_control_chars", "json_text", "safe_text"]

ELLIPSIS = "…"

# ESC-introduced sequences: CSI (ESC [ ... final), OSC / DCS / SOS / PM / APC (terminated by
# BEL or ST, or unterminated up to the end), and two-character escapes (ESC + one char).
_ESCAPE_SEQUENCE = re.compile(
    r"""
    \x1b\[[0-?]*[ -/]*[@-~]?                    # CSI
    | \x1b[\]PX^_].*?(?:\x07|\x1b\\|\x9c|$)     # OSC, DCS, SOS, PM, APC
    | \x9b[0-?]*[ -/]*[@-~]?                    # 8-bit CSI
    | [\x90\x98\x9d\x9e\x9f].*?(?:\x07|\x1b\\|\x9c|$)  # 8-bit OSC/DCS/SOS/PM/APC
    | \x1b[ -~]?                                # two-character escapes, lone ESC
    """,
    re.VERBOSE | re.DOTALL,
)

# Bidirectional marks, embeddings, overrides and isolates: they can reorder what is shown.
_BIDI_CONTROLS = (
    "\u200e\u200f"  # LRM, RLM
    "\u202a\u202b\u202c\u202d\u202e"  # LRE, RLE, PDF, LRO, RLO
    "\u2066\u2067\u2068\u2069"  # LRI, RLI, FSI, PDI
)
# ... and the zero-width and other invisible characters that safe_text drops as well.
_INVISIBLE = frozenset(
    _BIDI_CONTROLS
    + "\u200b\u200c\u200d"  # zero-width space/non-joiner/joiner
    + "\u2060\u2061\u2062\u2063\u2064"  # word joiner, invisible operators
    + "\u061c\u180e\ufeff\u00ad"  # Arabic letter mark, Mongolian vowel sep, BOM, soft hyphen
)
# What input fields refuse outright: C0 and C1 controls, DEL and the bidirectional controls.
_CONTROL_CHARS = re.compile(f"[\x00-\x1f\x7f-\x9f{_BIDI_CONTROLS}]")
_WHITESPACE_CONTROLS = frozenset("\t\n\r\x0b\x0c\u2028\u2029\x85")
_SPACES = re.compile(r" {2,}")
# Below U+0300 (Latin-1, Latin Extended, IPA, spacing modifiers) a printable character is
# never combining, never an emoji part, never invisible and unchanged by NFC: a printable
# name made only of them ("Émile Søgaard") needs no cleaning either.
_FIRST_COMBINING = "\u0300"


def _keep(char: str) -> str:
    if char in _WHITESPACE_CONTROLS:
        return " "
    if char in _INVISIBLE:
        return ""
    category = unicodedata.category(char)
    if category in ("Cc", "Cf", "Cs", "Co", "Cn"):
        return ""
    return char


def safe_text(value: object, max_len: int = 200) -> str:
    """`value` as one line of printable text, at most `max_len` characters (ellipsis included).

    Non-string values are converted with `str()`; `None` becomes the empty string.
    """
    if value is None:
        return ""
    text = value if isinstance(value, str) else str(value)
    if (  # the common case, a short plain name: nothing to clean
        len(text) <= max_len
        and text.isprintable()
        and (text.isascii() or max(text) < _FIRST_COMBINING)
        and "  " not in text
        and text[:1] != " " != text[-1:]
    ):
        return text
    return _clean(text, max_len)


def _clean(text: str, max_len: int) -> str:
    """The full cleaning ``safe_text`` skips for text that needs none."""
    text = _ESCAPE_SEQUENCE.sub("", text)
    text = "".join(_keep(char) for char in uniform_width(text))
    text = _SPACES.sub(" ", text).strip()
    if max_len <= 0:
        return ""
    if len(text) > max_len:
        return text[: max_len - 1].rstrip() + ELLIPSIS
    return text


def has_control_chars(text: str) -> bool:
    """True if `text` holds a control character or a bidirectional control (input check)."""
    return _CONTROL_CHARS.search(text) is not None


# In JSON text meant for a terminal: C0/C1 controls, DEL, bidirectional controls, line and
# paragraph separators and lone surrogates, escaped as \uXXXX (outside strings JSON is ASCII).
_JSON_UNSAFE = re.compile(f"[\x7f-\x9f\u2028\u2029\ud800-\udfff{_BIDI_CONTROLS}\u061c]")


def json_text(value: object, *, indent: int | None = None) -> str:
    """``value`` as JSON that is safe to print: same data when decoded, but no character in it
    can steer a terminal (controls, BiDi overrides) or fail to encode (lone surrogates)."""
    text = json.dumps(value, ensure_ascii=False, indent=indent)
    return _JSON_UNSAFE.sub(lambda match: f"\\u{ord(match.group()):04x}", text)
