"""Synthetic participants: believable names and a protocol mix, deterministic per seed."""

from __future__ import annotations

import random
import uuid

from pextui.sim.conference import Conference
from pextui.sim.participants import Participant, make_participant

FIRST = (
    "Ada",
    "Ben",
    "Chloe",
    "Dmitri",
    "Elif",
    "Farah",
    "Goran",
    "Hana",
    "Ivo",
    "Jana",
    "Kofi",
    "Lena",
    "Mateo",
    "Nora",
    "Omar",
    "Priya",
    "Quinn",
    "Rosa",
    "Sven",
    "Tomoko",
    "Ugo",
    "Vera",
    "Wen",
    "Xavier",
    "Yara",
    "Zeno",
)
LAST = (
    "Andersen",
    "Baker",
    "Costa",
    "Dubois",
    "Eriksen",
    "Fischer",
    "Garcia",
    "Hansen",
    "Ito",
    "Jensen",
    "Kowalski",
    "Larsen",
    "Moreau",
    "Nakamura",
    "Okafor",
    "Petrov",
    "Quist",
    "Rossi",
    "Silva",
    "Tanaka",
    "Udeh",
    "Varga",
    "Weber",
    "Yilmaz",
    "Zhou",
)
PROTOCOL_MIX = (("webrtc", 50), ("api", 15), ("sip", 20), ("h323", 8), ("mssip", 6), ("rtmp", 1))


def seeded_uuid(rng: random.Random) -> str:
    return str(uuid.UUID(int=rng.getrandbits(128), version=4))


def synthetic_participant(
    conference: Conference, rng: random.Random, number: int, now: float
) -> Participant:
    protocols, weights = zip(*PROTOCOL_MIX, strict=True)
    protocol = rng.choices(protocols, weights)[0]
    name = f"{rng.choice(FIRST)} {rng.choice(LAST)}"
    if number >= len(FIRST) * len(LAST) // 4:
        name = f"{name} {number}"
    role = "chair" if rng.random() < 0.03 else "guest"
    participant = make_participant(
        display_name=name,
        role=role,
        protocol=protocol,
        service_type=conference.joined_service_type,
        local_alias=conference.alias,
        start_time=now - rng.uniform(0, 1800),
        uuid=seeded_uuid(rng),
        is_muted=rng.random() < 0.4,
        audio_only=protocol != "rtmp" and rng.random() < 0.1,
        streaming=protocol == "rtmp",
    )
    if rng.random() < 0.2:
        participant.update(is_video_muted=True)
    return participant


def populate(conference: Conference, count: int, seed: int) -> None:
    """Add `count` participants at once (before any stream is open: no events needed)."""
    rng = random.Random(seed * 7919 + 17)
    now = conference.clock()
    for number in range(count):
        participant = synthetic_participant(conference, rng, number, now)
        conference.participants[participant.uuid] = participant
        participant.json()  # serialize now, not in the first subscriber's sync
