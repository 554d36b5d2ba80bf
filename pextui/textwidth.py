"""Rewrite the character sequences terminals disagree on into forms every terminal draws alike.

Rich (and the ``wcwidth`` tables) measure an emoji with a skin-tone modifier, a keycap, a
ZWJ sequence or a character with a variation selector as one 2-cell cluster; terminals differ
(tmux 3.3 draws ``✋🏿`` in 4 cells, ``1️⃣`` and ``❤️`` in 1, the Hangul filler U+3164 in 2).
A roster row measured one way and drawn the other shifts every column after the name. So
instead of measuring better, untrusted text is rewritten, keeping it recognisable:

* emoji modifiers (skin tones) are dropped: ``✋🏿`` -> ``✋``;
* variation selectors are dropped: ``❤️`` -> ``❤`` (text presentation, one cell everywhere);
* a keycap becomes its key: ``1️⃣`` -> ``1``; other enclosing marks are dropped;
* a ZWJ sequence keeps its first emoji: ``👩‍💻`` -> ``👩``, ``👨‍👩‍👧`` -> ``👨``
  (elsewhere, as in Indic scripts, a lone joiner is dropped);
* a flag (two regional indicators) becomes its two letters: ``🇩🇪`` -> ``DE``;
* Hangul fillers (U+115F, U+1160, U+3164, U+FFA0), blank in one table and 1-2 cells in
  another, are dropped;
* emoji newer than the tables terminals ship (Unicode 15 and later) are dropped;
* at most two combining marks stay on one base character (no "Zalgo" towers).
"""

from __future__ import annotations

import unicodedata

__all__ = ["uniform_width"]

ZWJ = "\u200d"
_KEYCAP = "\u20e3"
_FILLERS = frozenset("\u115f\u1160\u3164\uffa0")
_MODIFIERS = range(0x1F3FB, 0x1F400)
_REGIONAL = range(0x1F1E6, 0x1F200)
MAX_COMBINING = 2

# Emoji added in Unicode 15.0, 15.1 and 16.0: drawn 2 cells by Rich, 0 or 1 by terminals
# whose tables predate them.
_NEW_EMOJI = (
    (0x1F6DC, 0x1F6DC),
    (0x1FA75, 0x1FA77),
    (0x1FA87, 0x1FA89),
    (0x1FA8F, 0x1FA8F),
    (0x1FAAD, 0x1FAAF),
    (0x1FABB, 0x1FABF),
    (0x1FAC6, 0x1FAC6),
    (0x1FACE, 0x1FACF),
    (0x1FADA, 0x1FADC),
    (0x1FADF, 0x1FADF),
    (0x1FAE8, 0x1FAE9),
    (0x1FAF7, 0x1FAF8),
)


def _is_new_emoji(code: int) -> bool:
    return any(low <= code <= high for low, high in _NEW_EMOJI)


def _is_variation_selector(code: int) -> bool:
    return 0xFE00 <= code <= 0xFE0F or 0xE0100 <= code <= 0xE01EF


def _is_pictograph(char: str) -> bool:
    """An emoji-like base a ZWJ sequence starts from (symbols, not letters)."""
    return unicodedata.category(char) == "So" or ord(char) >= 0x1F000


def uniform_width(text: str) -> str:
    """``text`` with the sequences terminals draw at different widths rewritten (see above)."""
    if text.isascii():
        return text
    text = unicodedata.normalize("NFC", text)
    out: list[str] = []
    combining = 0
    index, size = 0, len(text)
    while index < size:
        char = text[index]
        code = ord(char)
        index += 1
        if char == ZWJ:
            joined = index < size and _is_pictograph(text[index])
            if joined and out and _is_pictograph(out[-1]):
                index += 1  # skip the joined emoji (its modifiers go below): keep the first
            continue
        if code in _MODIFIERS or _is_variation_selector(code) or char in _FILLERS:
            continue
        if _is_new_emoji(code):
            continue
        if code in _REGIONAL:
            if index < size and ord(text[index]) in _REGIONAL:
                out.append(chr(code - 0x1F1E6 + ord("A")))
                out.append(chr(ord(text[index]) - 0x1F1E6 + ord("A")))
                index += 1
            continue
        category = unicodedata.category(char)
        if category == "Me":  # enclosing marks, the keycap among them
            continue
        if category == "Mn":
            combining += 1
            if combining > MAX_COMBINING:
                continue
        else:
            combining = 0
        out.append(char)
    return "".join(out)
