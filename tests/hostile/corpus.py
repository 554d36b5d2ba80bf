"""Hostile text: display names, chat messages and overlay texts a console must show
literally and harmlessly.

Each entry has the raw text and the part a host should still read (`visible`): Rich or
Textual markup stays literal text, escape sequences and control characters disappear,
and what is left of the printable text remains.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass


@dataclass(frozen=True)
class Hostile:
    key: str
    text: str
    visible: str  # must appear literally wherever the text is shown (may be truncated)


LONG = "Long" + "L" * 99_996  # 100,000 characters

CORPUS: tuple[Hostile, ...] = (
    Hostile("markup-bold", "[bold]Bold[/bold] Bob", "[bold]Bold[/bold] Bob"),
    Hostile("markup-link", "[link=https://evil.example]Click[/link]", "[link=https://evil"),
    Hostile("markup-action", "[@click=app.quit]Quitter[/]", "[@click=app.quit]Quitter[/]"),
    Hostile("markup-close", "[/] Closer [/bold]", "[/] Closer [/bold]"),
    Hostile("markup-unbalanced", "Open [red on white [[ ]] [", "Open [red on white [[ ]] ["),
    Hostile("ansi-colour", "\x1b[31;1mRed\x1b[0m Rita", "Red Rita"),
    Hostile("osc-title", "\x1b]0;pwned title\x07Eve Title", "Eve Title"),
    Hostile(
        "osc8-hyperlink",
        "\x1b]8;;https://evil.example/x\x1b\\Hyper Link\x1b]8;;\x1b\\",
        "Hyper Link",
    ),
    Hostile("osc52-clipboard", "\x1b]52;c;cm0gLXJmIH4K\x07Mallory Clip", "Mallory Clip"),
    Hostile("c0-controls", "Cee\x01\x02\x07\x08\x7fZero", "CeeZero"),
    Hostile("c1-controls", "Cee\x85One\x9b31m\x9d0;t\x9c", "Cee One"),
    Hostile("nul", "Nul\x00Byte", "NulByte"),
    Hostile("zero-width", "Ze\u200bro\u200d\ufeffWidth", "ZeroWidth"),
    Hostile("bidi", "\u202eRTL\u202c Ri\u2067ght\u2069", "RTL Right"),
    Hostile("emoji", "👩‍💻 Ada 🎉", "Ada 🎉"),
    Hostile("newlines", "Line1\nLine2\r\n\tTab", "Line1 Line2 Tab"),
    Hostile("long", LONG, "LongLLLL"),
)
BY_KEY = {entry.key: entry for entry in CORPUS}

# Sequences that must never reach the terminal from untrusted text.
FORBIDDEN_IN_OUTPUT = (
    "\x07",  # BEL (ends OSC sequences)
    "\x00",
    "\x9b",  # 8-bit CSI
    "\x9d",  # 8-bit OSC
    "\x1b]0;",  # title change
    "\x1b]52;",  # clipboard write
    "\x1b]8;;https://evil",  # hyperlink to the hostile URL
    "pwned title",
    "cm0gLXJmIH4K",
    "\u202e",
    "\u2067",
)


def unsafe_characters(text: str) -> list[str]:
    """Characters that must not be in text shown to the host: controls, bidi, zero-width."""
    found = []
    for char in text:
        category = unicodedata.category(char)
        if category in ("Cc", "Cf", "Cs", "Co"):
            found.append(f"U+{ord(char):04X}")
    return found


# Markup-like strings for every Textual sink: balanced, broken, actions, links, variables.
STEER = "[@click=app.steer('x')]Steer[/]"
MARKUP_LIKE: tuple[str, ...] = (
    "[bold]Balanced[/bold] Bob",
    "[b]unclosed [i]tags",
    "[/] closer first [/b]",
    "[ bold]space [B]upper[/B] [1] [-] [#f00]hash",
    "<!--[if<img src=x onerror=javascript:alert(1)//]> -->",
    STEER,
    "[@click=app.quit]Quit me[/]",
    "[@click=screen.dismiss()]Dismiss[/]",
    "[link=https://evil.example]Evil[/link]",
    "[link='https://evil.example/?a=[b]']quoted[/link]",
    "$name $x ${y} [b]$x[/b] $$",
    "back\\slash \\[b]escaped\\[/b] \\",
    "[on red]red[/on red] [reverse]rev",
    "[[double]] ]] [[",
)


# Names terminals and Rich measure differently unless rewritten (pextui.textwidth), and wide
# ones that must simply stay aligned: modifiers, keycaps, ZWJ sequences, variation selectors,
# fillers, flags, tags, new emoji, combining towers, CJK, fullwidth, Indic, Thai, Arabic.
WIDE_NAMES: tuple[str, ...] = (
    "✋🏿 Raised Dark",
    "👍🏻x Thumbs",
    "✌🏽 Victory",
    "🧑🏾‍🚀 Astronaut",
    "👩‍💻 Coder Ada",
    "👨‍👩‍👧 Family",
    "🏳️‍🌈 Rainbow",
    "1️⃣#️⃣*️⃣ Keycaps",
    "❤️☺️™️ Selectors",
    "\u3164 Hangul filler",
    "Half\uffa0width filler",
    "\u115f\u1160 Jamo fillers",
    "🇩🇪🇯🇵 Flags",
    "🏴\U000e0067\U000e0062\U000e0073\U000e0063\U000e0074\U000e007f Scotland",
    "\U0001fae8\U0001fabb New emoji",
    "Z̤͔ͧ̑̓ͫ̂ Zalgo",
    "漢字の名前 Kanji",
    "Ｆｕｌｌｗｉｄｔｈ",
    "नमस्ते Hindi",
    "ไทย Thai",
    "مرحبا Arabic",
    "e\u0301\u0301\u0301 Combining",
    "x\u20dd Enclosed",
    "[b]wide[/b] 🎉 [link=x]y[/link]",
)
