"""Screens show untrusted text through :func:`pextui.tui.literal.literal` (re-exported here)."""

from __future__ import annotations

from pextui.tui.literal import MAX_LITERAL_CHARS, literal

__all__ = ["MAX_LITERAL_CHARS", "literal"]
