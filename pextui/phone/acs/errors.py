"""The ACS error the console sees (no SDK import: the console's layer never imports azure)."""

from __future__ import annotations


class AcsError(Exception):
    """An ACS action failed; the message is safe to show (it never holds the key)."""
