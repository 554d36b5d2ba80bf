"""Putting the hostile corpus into a running simulator: participants, stage, chat, presenter."""

from __future__ import annotations

import re

from textual.app import App

from pextui.sim.participants import make_participant
from pextui.sim.server import SimServer
from tests.hostile.corpus import CORPUS, Hostile

ALIAS = "meet.demo"


def hostile_uuid(entry: Hostile) -> str:
    return f"hostile-{entry.key}"


def add_hostile_participants(sim: SimServer) -> list[str]:
    """One participant per corpus entry, named (and overlay text) by it; their uuids."""
    conference = sim.node.conferences[ALIAS]

    def add() -> list[str]:
        uuids = []
        for entry in CORPUS:
            participant = make_participant(
                display_name=entry.text,
                role="guest",
                protocol="sip",
                service_type="conference",
                local_alias=ALIAS,
                start_time=conference.clock(),
                uuid=hostile_uuid(entry),
                uri=f"sip:{entry.key}@example.com",
            )
            conference.add(participant)
            uuids.append(participant.uuid)
        return uuids

    return list(sim.run_on_loop(add))


def hostile_meeting(sim: SimServer, uuids: list[str]) -> None:
    """Everyone on stage, a chat message from each with hostile text, one presenting."""
    conference = sim.node.conferences[ALIAS]

    def act() -> None:
        conference.set_stage(uuids, speaking=uuids[0])
        for entry, uuid in zip(CORPUS, uuids, strict=True):
            conference.message(conference.participants[uuid], "text/plain", entry.text)
        conference.start_presentation(hostile_uuid(CORPUS[0]))

    sim.run_on_loop(act)


def terminal_output(app: App[object]) -> str:
    """What the app would write to the terminal for its whole current screen."""
    update = app.screen._compositor.render_full_update()
    return update.render_segments(app.console)


_CSI = re.compile(r"\x1b\[[0-9;?]*[ -/]*[@-~]")


def screen_text(app: App[object]) -> str:
    """The terminal output without its colour and cursor sequences (what a host reads)."""
    return _CSI.sub("", terminal_output(app)).replace("\xa0", " ")
