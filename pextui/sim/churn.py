"""Churn: R participant events per second (updates, joins, leaves) in small batches."""

from __future__ import annotations

import asyncio
import random
import time

from pextui.sim.conference import Conference
from pextui.sim.node import Node
from pextui.sim.population import synthetic_participant

JOIN_SHARE = 0.12
LEAVE_SHARE = 0.12


class Churn:
    """Keeps its own O(1)-sampled pool of the participants it may touch."""

    def __init__(self, node: Node, conference: Conference) -> None:
        self.node = node
        self.conference = conference
        self.rng = random.Random(node.config.seed * 31 + 5)
        self.pool: list[str] = []
        self.slot: dict[str, int] = {}
        for uuid, participant in conference.participants.items():
            if not participant.token_holder:
                self._add(uuid)
        self.target = max(len(self.pool), 20)
        self.counter = len(self.pool)
        self.generated = 0

    def _add(self, uuid: str) -> None:
        self.slot[uuid] = len(self.pool)
        self.pool.append(uuid)

    def _drop(self, uuid: str) -> None:
        index = self.slot.pop(uuid)
        last = self.pool.pop()
        if last != uuid:
            self.pool[index] = last
            self.slot[last] = index

    def _pick(self) -> str | None:
        while self.pool:
            uuid = self.pool[self.rng.randrange(len(self.pool))]
            if uuid in self.conference.participants:
                return uuid
            self._drop(uuid)  # removed by someone else meanwhile
        return None

    def step(self) -> None:
        """One participant event."""
        self.generated += 1
        size = len(self.pool)
        roll = self.rng.random()
        if size < self.target * 0.9 or (roll < JOIN_SHARE and size < self.target * 1.1):
            self.counter += 1
            participant = synthetic_participant(
                self.conference, self.rng, self.counter, self.conference.clock()
            )
            self.conference.add(participant)
            self._add(participant.uuid)
            return
        uuid = self._pick()
        if uuid is None:
            return
        if roll < JOIN_SHARE + LEAVE_SHARE and size > self.target * 0.9:
            self._drop(uuid)
            self.conference.remove(uuid, None)
            return
        participant = self.conference.participants[uuid]
        data = participant.data
        change = self.rng.randrange(5)
        if change == 0:
            self.conference.update(
                participant, is_muted="NO" if data["is_muted"] == "YES" else "YES"
            )
        elif change == 1:
            hand = 0 if data["buzz_time"] else round(self.conference.clock(), 3)
            self.conference.update(participant, buzz_time=hand)
        elif change == 2:
            self.conference.update(participant, is_video_muted=not data["is_video_muted"])
        elif change == 3:
            self.conference.update(participant, last_spoken_time=int(self.conference.clock()))
        else:
            self.conference.update(participant, is_client_muted=not data["is_client_muted"])

    async def run(self) -> None:
        tick = self.node.timings.churn_tick
        budget = 0.0
        last = time.monotonic()
        while True:
            # idle (churn 0): wake up rarely; a new rate from /_sim/control applies within 0.2 s
            await asyncio.sleep(tick if self.node.churn_rate else max(tick, 0.2))
            now = time.monotonic()
            budget += self.node.churn_rate * min(now - last, 1.0)
            last = now
            count = int(budget)
            budget -= count
            for _ in range(count):
                self.step()
