"""safe_text: untrusted text becomes one printable line."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pextui.sanitize import ELLIPSIS, has_control_chars, safe_text


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("Alice", "Alice"),
        ("[bold red]Mallory[/]", "[bold red]Mallory[/]"),
        ("\x1b[31mred\x1b[0m", "red"),
        ("\x1b]0;pwned title\x07Bob", "Bob"),
        ("\x1b]8;;http://x\x1b\\link\x1b]8;;\x1b\\", "link"),
        ("\x9b2JCarol", "Carol"),
        ("nul\x00byte", "nulbyte"),
        ("bell\x07", "bell"),
        ("line\nbreak\r\ttab", "line break tab"),
        ("\u202eevil\u202c", "evil"),
        ("zero\u200bwidth\ufeff", "zerowidth"),
        ("\x1bPdcs payload\x1b\\Dave", "Dave"),
        ("  padded   spaces ", "padded spaces"),
        ("Zoë 李", "Zoë 李"),
    ],
)
def test_safe_text_neutralises(raw: str, expected: str) -> None:
    assert safe_text(raw) == expected


def test_truncates_with_ellipsis() -> None:
    out = safe_text("x" * 500, max_len=20)
    assert len(out) == 20
    assert out.endswith(ELLIPSIS)


def test_non_strings() -> None:
    assert safe_text(None) == ""
    assert safe_text(42) == "42"


@given(st.text(), st.integers(min_value=1, max_value=300))
def test_never_leaks_controls(raw: str, max_len: int) -> None:
    out = safe_text(raw, max_len)
    assert len(out) <= max_len
    assert "\x1b" not in out
    assert not any(ord(c) < 0x20 or 0x7F <= ord(c) < 0xA0 for c in out)


@pytest.mark.parametrize(
    ("text", "flagged"),
    [
        ("Conference room", False),
        ("Zoë 李 👩‍💻", False),  # a zero-width joiner inside an emoji is not a control
        ("bell\x07", True),
        ("\x1b[31mred", True),
        ("tab\there", True),
        ("c1\x85", True),
        ("del\x7f", True),
        ("\u202eevil", True),
        ("iso\u2066late", True),
    ],
)
def test_has_control_chars_flags_what_input_fields_refuse(text: str, flagged: bool) -> None:
    assert has_control_chars(text) is flagged
    if flagged:  # whatever an input field refuses, safe_text removes when showing it
        assert not has_control_chars(safe_text(text))


@given(st.text(st.characters(max_codepoint=0x2FF), max_size=40), st.integers(0, 50))
def test_latin_fast_path_matches_full_cleaning(raw: str, max_len: int) -> None:
    """Text below U+0300 may skip the cleaning only when the cleaning would not change it."""
    from pextui.sanitize import _clean

    assert safe_text(raw, max_len) == _clean(raw, max_len)
    assert safe_text("Émile Søgaard ǅ ʁ") == "Émile Søgaard ǅ ʁ"
