"""Splash screens: a `splash_screen` event names a screen of the conference's theme."""

from __future__ import annotations

from typing import Any

from pextui.protocol import models as m


def splash_text(theme: dict[str, Any], splash: m.SplashScreen | None) -> str | None:
    """The text of the splash screen `splash` in `theme` (the `theme/` result): its text
    elements joined, the screen key when the theme does not have that screen, None when
    no splash screen is shown."""
    if splash is None or not splash.screen_key:
        return None
    screen = theme.get(splash.screen_key)
    if not isinstance(screen, dict):
        return splash.screen_key
    elements = screen.get("elements")
    if not isinstance(elements, list):
        elements = []
    texts = [
        element["text"]
        for element in elements
        if isinstance(element, dict)
        and element.get("type") == "text"
        and isinstance(element.get("text"), str)
    ]
    return " ".join(texts) or splash.screen_key
