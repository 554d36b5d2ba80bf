"""Splash screens: the theme of a conference and the `splash_screen` events that name it.

With a theme (`pextui sim --theme`), `theme/` answers the five direct-media screens below
and each participant is shown one of them on its own stream while it applies:

* `direct_media_waiting_for_host` while it is held in the waiting room (a locked
  conference), cleared (`splash_screen` null) when it is let in;
* `direct_media_welcome` while it is the only participant, cleared when someone joins.

A stream opening while a screen applies starts with it (after the sync). Without a theme
`theme/` answers 204 and no splash screen is ever sent. See docs/simulator.md.
"""

from __future__ import annotations

import io
from functools import cache
from typing import TYPE_CHECKING, Any

from PIL import Image, ImageDraw

from pextui.sim.events import encode_event
from pextui.sim.participants import dumps

if TYPE_CHECKING:
    from pextui.sim.conference import Conference

WELCOME = "direct_media_welcome"
WAITING = "direct_media_waiting_for_host"
DISPLAY_DURATION = 15.0  # seconds, as Pexip sends it
BACKGROUND = "background.jpg"
WHITE = 0xFFFFFF
TEXTS = {
    WELCOME: "Welcome! You are the only participant so far.",
    WAITING: "Waiting for the host to let you in...",
    "direct_media_other_participants_audio_only": "The other participants are audio only.",
    "direct_media_escalate": "Moving this call into the conference...",
    "direct_media_deescalate": "Continuing as a call between the two of you.",
}


def theme() -> dict[str, Any]:
    """The `theme/` result: every screen with its background and one text element."""
    return {
        key: {
            "layout_type": "direct_media",
            "background": {"path": BACKGROUND},
            "elements": [{"type": "text", "color": WHITE, "text": text}],
        }
        for key, text in TEXTS.items()
    }


@cache
def background_jpeg() -> bytes:
    """The screens' background image (`theme/background.jpg`)."""
    width, height = 640, 360
    image = Image.new("RGB", (width, height), (18, 34, 64))
    draw = ImageDraw.Draw(image)
    for row in range(0, height, 8):  # a soft vertical gradient
        shade = 18 + row // 12
        draw.rectangle((0, row, width, row + 8), fill=(shade, 34 + row // 10, 64 + row // 6))
    out = io.BytesIO()
    image.save(out, "JPEG", quality=80)
    return out.getvalue()


def splash_data(key: str | None) -> dict[str, Any] | None:
    """A `splash_screen` event's data: the screen, or None to clear it."""
    return None if key is None else {"screen_key": key, "display_duration": DISPLAY_DURATION}


class Splashes:
    """Which splash screen each participant of one conference is shown."""

    def __init__(self, conference: Conference) -> None:
        self.conference = conference
        self.shown: dict[str, str] = {}  # participant uuid -> screen key

    def wanted(self, uuid: str) -> str | None:
        participants = self.conference.participants
        participant = participants.get(uuid)
        if participant is None:
            return None
        if participant.service_type == "waiting_room":
            return WAITING
        return WELCOME if len(participants) == 1 else None

    def opening(self, uuid: str) -> bytes:
        """What a new stream of `uuid` starts with after the sync (nothing if no screen)."""
        key = self.wanted(uuid)
        if key is None:
            self.shown.pop(uuid, None)
            return b""
        self.shown[uuid] = key
        return encode_event("splash_screen", dumps(splash_data(key)))

    def refresh(self, uuid: str) -> None:
        """Send `uuid` its new splash screen (or the clearing null) when it changed."""
        key = self.wanted(uuid)
        if self.shown.get(uuid) == key:
            return
        if key is None:
            self.shown.pop(uuid, None)
        else:
            self.shown[uuid] = key
        if self.conference.streams_of(uuid):
            self.conference.emit("splash_screen", dumps(splash_data(key)), to=uuid)

    def roster_changed(self, uuid: str) -> None:
        """After `uuid` joined, left or was let in (cheap in a big conference)."""
        if uuid not in self.conference.participants:
            self.shown.pop(uuid, None)
        else:
            self.refresh(uuid)
        if len(self.conference.participants) <= 2:
            for other in list(self.conference.participants):
                self.refresh(other)
