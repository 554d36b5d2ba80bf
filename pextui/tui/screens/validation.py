"""Checks shared by the dialogs: aliases, PINs, DTMF digits. Pure functions, no widgets.

Each ``check_*`` returns the normalised value or raises ``ValueError`` with a message
that can be shown to the user as it is.
"""

from __future__ import annotations

import re

MAX_ALIAS_CHARS = 250
MAX_PIN_DIGITS = 20
MAX_DTMF_CHARS = 64

_DTMF = re.compile(r"[0-9*#A-D]+")
_DTMF_SEQUENCE = re.compile(r"[0-9*#A-D,]+")
_WHITESPACE_OR_CONTROL = re.compile(r"[\s\x00-\x1f\x7f-\x9f]")


def check_alias(value: str, what: str = "Alias") -> str:
    """A conference alias or dial destination: required, no spaces or control characters."""
    alias = value.strip()
    if not alias:
        raise ValueError(f"{what} is required.")
    if _WHITESPACE_OR_CONTROL.search(alias):
        raise ValueError(f"{what} must not contain spaces or control characters.")
    if len(alias) > MAX_ALIAS_CHARS:
        raise ValueError(f"{what} is too long (at most {MAX_ALIAS_CHARS} characters).")
    return alias


def check_pin(value: str, required: bool = False) -> str | None:
    """A PIN: digits only; ``None`` when empty and not required."""
    pin = value.strip()
    if not pin:
        if required:
            raise ValueError("Enter the PIN.")
        return None
    if not pin.isascii() or not pin.isdigit():
        raise ValueError("A PIN is digits only (0-9).")
    if len(pin) > MAX_PIN_DIGITS:
        raise ValueError(f"A PIN has at most {MAX_PIN_DIGITS} digits.")
    return pin


def check_dtmf(value: str, allow_pauses: bool = False) -> str:
    """DTMF digits 0-9, *, # and A-D (upper-cased); commas (pauses) if ``allow_pauses``."""
    digits = value.strip().upper()
    if not digits:
        raise ValueError("Enter at least one digit.")
    pattern = _DTMF_SEQUENCE if allow_pauses else _DTMF
    if not pattern.fullmatch(digits):
        allowed = "0-9, *, #, A-D" + (" and , (pause)" if allow_pauses else "")
        raise ValueError(f"DTMF takes only {allowed}.")
    if len(digits) > MAX_DTMF_CHARS:
        raise ValueError(f"At most {MAX_DTMF_CHARS} digits at a time.")
    return digits
