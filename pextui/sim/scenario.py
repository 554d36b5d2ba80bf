"""The `demo` scenario: a believable meeting that keeps going, deterministic per seed.

A dozen named participants join over the first seconds (webrtc, sip, h323, api, mssip and
an RTMP streamer); then, looping gently: active speakers change (stage events with vad),
hands go up and down, people chat (every third message from someone on a web app goes to a
host's console alone, as a direct message), a presentation starts and stops, the room is locked
while a late guest waits (admitted by the script if no host does it), someone leaves and
rejoins. `quiet` has no scripted participants at all.
"""

from __future__ import annotations

import asyncio
import random
from dataclasses import dataclass

from pextui.sim.conference import Conference
from pextui.sim.node import Node
from pextui.sim.participants import Participant, make_participant
from pextui.sim.population import seeded_uuid


@dataclass(frozen=True)
class Cast:
    name: str
    protocol: str
    role: str = "guest"
    audio_only: bool = False


CAST = (
    Cast("Alice Johnson", "webrtc", "chair"),
    Cast("Bob Smith", "sip"),
    Cast("Carla Diaz", "h323"),
    Cast("Deepak Rao", "api"),
    Cast("Eva Novak", "webrtc"),
    Cast("Finn O'Brien", "mssip"),
    Cast("Grace Lee", "sip", audio_only=True),
    Cast("Hiro Tanaka", "webrtc", "chair"),
    Cast("Ines Costa", "webrtc"),
    Cast("Jonas Berg", "h323"),
    Cast("Kemi Adeyemi", "webrtc"),
    Cast("Town Hall Stream", "rtmp"),
)
LATE_GUEST = Cast("Liam Walsh", "webrtc")
CHAT = (
    "Good morning everyone!",
    "Can you all hear me?",
    "Slides are coming up in a minute.",
    "Could you share the link to the report?",
    "I'll take the action item on the budget.",
    "Sorry, my connection dropped for a second.",
    "+1 to what Eva said.",
    "Let's take questions at the end.",
    "Is the recording on?",
    "Thanks, that was really clear.",
)
DIRECT_CHAT = (
    "Just to you: could you unmute me? My button does nothing.",
    "Privately: I have to leave ten minutes early.",
    "Can you spotlight me when I present?",
)
DIRECT_EVERY = 3  # every third chat message from a web app user is a direct message
CHATTY = ("webrtc", "api")  # clients that can send a direct message


class DemoScenario:
    def __init__(self, node: Node, conference: Conference) -> None:
        self.node = node
        self.conference = conference
        self.rng = random.Random(node.config.seed)
        self.speed = max(node.timings.scenario_speed, 0.01)
        self.uuids: dict[str, str] = {cast.name: seeded_uuid(self.rng) for cast in CAST}
        self.uuids[LATE_GUEST.name] = seeded_uuid(self.rng)
        self.speakers: list[str] = []
        self.chats = 0

    async def pause(self, seconds: float) -> None:
        await asyncio.sleep(seconds * self.rng.uniform(0.8, 1.2) / self.speed)

    # ---- helpers that tolerate a host having removed or moved someone

    def present(self) -> list[Participant]:
        return [
            p
            for cast in CAST
            if (p := self.conference.participants.get(self.uuids[cast.name])) is not None
            and p.service_type in ("conference", "lecture")
        ]

    def join(self, cast: Cast) -> Participant | None:
        if self.conference.member(self.uuids[cast.name]) is not None:
            return None  # here, or away in a breakout room
        conference = self.conference
        locked_out = cast.role == "guest" and bool(conference.status["locked"])
        participant = make_participant(
            display_name=cast.name,
            role=cast.role,
            protocol=cast.protocol,
            service_type="waiting_room" if locked_out else conference.joined_service_type,
            local_alias=conference.alias,
            start_time=conference.clock(),
            uuid=self.uuids[cast.name],
            audio_only=cast.audio_only,
            streaming=cast.protocol == "rtmp",
            is_muted=cast.role == "guest" and bool(conference.status["guests_muted"]),
            supports_direct_chat=cast.protocol in CHATTY,
        )
        conference.add(participant)
        return participant

    def speak(self) -> None:
        people = [p for p in self.present() if p.data["protocol"] != "rtmp"]
        if not people:
            return
        speaker = self.rng.choice(people).uuid
        self.speakers = [speaker] + [u for u in self.speakers if u != speaker]
        self.speakers = [u for u in self.speakers if u in self.conference.participants][:8]
        self.conference.set_stage(self.speakers, speaking=speaker)

    def chat(self) -> None:
        people = self.present()
        if not people:
            return
        sender = self.rng.choice(people)
        text = self.rng.choice(CHAT)
        self.chats += 1
        host = self.host_console()
        if host is not None and sender.data["protocol"] in CHATTY and not self.chats % DIRECT_EVERY:
            private = DIRECT_CHAT[self.chats // DIRECT_EVERY % len(DIRECT_CHAT)]
            self.conference.message(sender, "text/plain", private, direct_to=host.uuid)
        else:
            self.conference.message(sender, "text/plain", text)

    def host_console(self) -> Participant | None:
        """The host who joined first through the API (a console), if one is here."""
        hosts = [p for p in self.conference.participants.values() if p.token_holder and p.is_host]
        return min(hosts, key=lambda p: float(p.data["start_time"]), default=None)

    def toggle_hand(self) -> None:
        people = [p for p in self.present() if not p.is_host]
        if not people:
            return
        person = self.rng.choice(people)
        hand = 0 if person.data["buzz_time"] else round(self.conference.clock(), 3)
        self.conference.update(person, buzz_time=hand)

    def toggle_mute(self) -> None:
        people = self.present()
        if people:
            person = self.rng.choice(people)
            muted = "NO" if person.data["is_muted"] == "YES" else "YES"
            self.conference.update(person, is_muted=muted)

    # ---- the script

    async def run(self) -> None:
        for cast in CAST:
            self.join(cast)
            await self.pause(0.5)
        for _ in range(2):  # a couple of hands are up from the start
            self.toggle_hand()
        while True:
            await self.cycle()

    async def talk(self, beats: int) -> None:
        for _ in range(beats):
            self.speak()
            await self.pause(1.2)
            action = self.rng.random()
            if action < 0.25:
                self.chat()
            elif action < 0.4:
                self.toggle_hand()
            elif action < 0.5:
                self.toggle_mute()

    async def cycle(self) -> None:
        """One round (about 40 s at normal speed); the demo repeats it while it runs."""
        conference = self.conference
        await self.talk(3)
        was_locked = bool(conference.status["locked"])
        conference.set_status(locked=True)
        late = self.join_late()  # waits in the waiting room: a host may admit them
        await self.talk(2)
        presenters = [p for p in self.present() if p.data["protocol"] in ("webrtc", "api")]
        if presenters and conference.presenter is None:
            conference.start_presentation(self.rng.choice(presenters).uuid)
        await self.talk(6)
        if late is not None and late.uuid in conference.participants:
            conference.admit(late)  # nobody admitted them: the script does
        if not was_locked:
            conference.set_status(locked=False)
        await self.talk(6)
        if conference.presenter in self.uuids.values():
            conference.stop_presentation()
        await self.talk(3)
        if late is not None and late.uuid in conference.participants:
            conference.remove(late.uuid, None)
        await self.leave_and_rejoin()
        await self.talk(3)

    def join_late(self) -> Participant | None:
        uuid = self.uuids[LATE_GUEST.name]
        if uuid in self.conference.participants:
            return None
        participant = make_participant(
            display_name=LATE_GUEST.name,
            role="guest",
            protocol=LATE_GUEST.protocol,
            service_type="waiting_room",
            local_alias=self.conference.alias,
            start_time=self.conference.clock(),
            uuid=uuid,
        )
        self.conference.add(participant)
        return participant

    async def leave_and_rejoin(self) -> None:
        guests = [p for p in self.present() if not p.is_host and p.data["protocol"] != "rtmp"]
        if not guests:
            return
        leaver = self.rng.choice(guests)
        self.conference.remove(leaver.uuid, None)
        await self.talk(3)
        for cast in CAST:  # everyone missing (left, or removed by a host) comes back
            if self.join(cast) is not None:
                await self.pause(0.3)
