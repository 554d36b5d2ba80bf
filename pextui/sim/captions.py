"""Live captions: the active speaker's words as `live_captions` events.

Whoever called `show_live_captions` (and not `hide_live_captions` since) gets, each time
a new active speaker is staged, an interim caption (the first words) and, after
`timings.caption_final` seconds, the final one (the whole sentence); `sources` names the
speaker's UUID and the word indices that are theirs. Works the same inside breakout rooms
(the events travel wrapped in `breakout_event`).
"""

from __future__ import annotations

import random
from collections.abc import Callable
from typing import Any

from pextui.sim.conference import Conference
from pextui.sim.participants import dumps

LINES = (
    "Thanks everyone for joining this morning",
    "Let us start with the numbers from last quarter",
    "I think the new onboarding flow is working well",
    "Could we take the budget question offline",
    "The customer feedback has been really positive",
    "We should decide on the offsite dates this week",
    "I will share the slides after the call",
    "Does anyone have questions before we move on",
)


class Captioner:
    """Speech -> captions for every conference (and room) it is attached to."""

    def __init__(
        self,
        call_later: Callable[..., None],
        final_after: float,
        seed: int = 1,
    ) -> None:
        self.call_later = call_later
        self.final_after = final_after
        self.rng = random.Random(seed)
        self.sent = 0

    def attach(self, conference: Conference) -> None:
        conference.speech_listeners.append(self.heard)

    def heard(self, conference: Conference, speaker: str) -> None:
        if not conference.caption_viewers:
            return
        words = self.rng.choice(LINES).split()
        interim = words[: max(1, len(words) // 2)]
        self.send(conference, speaker, interim, final=False)
        self.call_later(self.final_after, self.send, conference, speaker, words, True)

    def send(self, conference: Conference, speaker: str, words: list[str], final: bool) -> None:
        payload: dict[str, Any] = {
            "data": " ".join(words),
            "is_final": final,
            "src_lang": "en",
            "tgt_lang": "en",
            "sources": [{"participant_uuid": speaker, "indices": list(range(len(words)))}],
        }
        data = dumps(payload)
        for viewer in list(conference.caption_viewers):
            conference.emit("live_captions", data, to=viewer)
            self.sent += 1
