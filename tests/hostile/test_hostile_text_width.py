"""pextui.textwidth: the sequences terminals draw at different widths are rewritten into forms
every terminal draws alike, and names stay recognisable."""

from __future__ import annotations

import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pextui.sanitize import safe_text
from pextui.textwidth import uniform_width
from tests.hostile.corpus import WIDE_NAMES


@pytest.mark.parametrize(
    ("raw", "shown"),
    [
        ("✋🏿", "✋"),
        ("👍🏻 Bo", "👍 Bo"),
        ("1️⃣2️⃣", "12"),
        ("#️⃣", "#"),
        ("❤️", "❤"),
        ("👩‍💻 Ada", "👩 Ada"),
        ("🧑🏾‍🚀", "🧑"),
        ("👨‍👩‍👧‍👦", "👨"),
        ("🏳️‍🌈", "🏳"),
        ("🇩🇪 Berlin", "DE Berlin"),
        ("\u3164", ""),
        ("A\uffa0B", "AB"),
        ("e\u0301", "é"),
        ("x\u20dd", "x"),
        ("Z\u0324\u0354\u0367\u0311", "Z\u0324\u0354"),
        ("\U0001fae8 shaking", " shaking"),
        ("漢字", "漢字"),
        ("Plain", "Plain"),
    ],
)
def test_rewrites(raw: str, shown: str) -> None:
    assert uniform_width(raw) == shown


SEQUENCE_PARTS = "\u200d\ufe0f\ufe0e\u20e3\u3164\uffa0\u115f\u1160"


@given(st.text(alphabet=st.characters(codec="utf-8"), max_size=40))
def test_no_width_ambiguous_part_survives_safe_text(text: str) -> None:
    shown = safe_text(text)
    assert not any(char in SEQUENCE_PARTS for char in shown)
    assert not any(0x1F3FB <= ord(char) <= 0x1F3FF for char in shown)  # skin tones
    assert not any(0x1F1E6 <= ord(char) <= 0x1F1FF for char in shown)  # regional indicators
    assert not any(unicodedata.category(char) == "Me" for char in shown)


def test_every_wide_name_keeps_its_words() -> None:
    for name in WIDE_NAMES:
        words = [word for word in name.split() if word.isascii() and word.isalpha()]
        shown = safe_text(name)
        assert all(word in shown for word in words), (name, shown)
