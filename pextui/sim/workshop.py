"""The `workshop` scenario: the demo's people, slides, then breakout rooms, in a loop.

Each round: people talk (captions for whoever asked), someone presents (frames and
slides), then the script opens three breakout rooms with the guests spread evenly
(`duration` scaled by the scenario speed, `end_action` transfer, guests may leave),
people talk and chat inside the rooms, one room asks for help, and when the time is up
everyone comes back to the main room. A host may close, empty or fill rooms meanwhile:
the script only acts on what is still there.
"""

from __future__ import annotations

from pextui.sim.breakouts import Breakouts, Room
from pextui.sim.conference import Conference
from pextui.sim.node import Node
from pextui.sim.scenario import CAST, CHAT, DemoScenario

ROOM_NAMES = ("Team Amber", "Team Blue", "Team Cedar")
ROOM_SECONDS = 45.0


class WorkshopScenario(DemoScenario):
    def __init__(self, node: Node, conference: Conference) -> None:
        super().__init__(node, conference)
        self.rooms: Breakouts = node.breakouts[conference.alias]

    async def run(self) -> None:
        for cast in CAST:
            self.join(cast)
            await self.pause(0.3)
        while True:
            await self.cycle()

    async def cycle(self) -> None:
        conference = self.conference
        await self.talk(3)
        presenters = [p for p in self.present() if p.data["protocol"] in ("webrtc", "api")]
        if presenters and conference.presenter is None:
            conference.start_presentation(self.rng.choice(presenters).uuid)
        await self.talk(5)
        if conference.presenter in self.uuids.values():
            conference.stop_presentation()
        await self.breakout_round()
        await self.talk(3)

    def guests(self) -> list[str]:
        return [p.uuid for p in self.present() if not p.is_host and p.data["protocol"] != "rtmp"]

    async def breakout_round(self) -> None:
        guests = self.guests()
        if len(guests) < len(ROOM_NAMES):
            return
        duration = ROOM_SECONDS / self.speed
        opened: list[Room] = []
        for index, name in enumerate(ROOM_NAMES):
            share = guests[index :: len(ROOM_NAMES)]
            room = self.rooms.create(
                name=name,
                description=f"Discussion group {index + 1}",
                duration=duration,
                end_action="transfer",
                guests_allowed_to_leave=True,
                participants={"main": share},
            )
            opened.append(room)
            await self.pause(0.2)
        beats = 0
        while any(room.uuid in self.rooms.rooms for room in opened):
            beats += 1
            for room in opened:
                if room.uuid in self.rooms.rooms:
                    self.room_beat(room, asks_for_help=beats == 3 and room is opened[1])
            self.speak()  # the hosts left in the main room talk too
            await self.pause(1.5)

    def room_beat(self, room: Room, asks_for_help: bool) -> None:
        people = list(room.participants.values())
        if not people:
            return
        speaker = self.rng.choice(people)
        order = [speaker.uuid] + [p.uuid for p in people if p.uuid != speaker.uuid]
        room.set_stage(order, speaking=speaker.uuid)
        if self.rng.random() < 0.3:
            room.message(self.rng.choice(people), "text/plain", self.rng.choice(CHAT))
        if asks_for_help:
            self.rooms.buzz(room, speaker.uuid, True)
