"""Whether a screen is in the user's view (what a periodic redraw should check)."""

from __future__ import annotations

from typing import Any

from textual.screen import ModalScreen, Screen


def in_view(screen: Screen[Any]) -> bool:
    """In front, or behind a dialog that lets it show through.

    Textual's ``Screen.is_current`` is also true for the screen right below a full screen
    pushed on top (a tab's pending screen under its conference screen): drawing there shows
    nothing, yet each change of its layout makes the screen on top repaint whole.
    """
    if not screen.is_current:
        return False
    top = screen.app.screen
    return top is screen or isinstance(top, ModalScreen)
