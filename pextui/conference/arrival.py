"""Who arrived: matching a participant seen in a transfer's target to the transfer.

A transfer remembers the :class:`Identity` of the participant it moves when it is requested.
A participant that *newly* appears in the target's roster (a ``participant_create`` of a
UUID the roster did not hold, or new in a re-sync) is the transferred one when
:func:`matches` says so (the rule, also in docs/architecture.md, "Transfers"):

1. the same UUID (a node that keeps the UUID across the move), or
2. the same display name, URI, protocol and call type (audio / video / control only),
   all four, compared exactly,

and in both cases it did not join long before the transfer was requested (``start_time``,
when the node sends one, is not more than :data:`CLOCK_SKEW_S` earlier than the request:
a namesake already in the target is not an arrival). Among several transfers that match one
arrival, :func:`pick` prefers a UUID match, then the oldest request; a transfer is matched
once, so a second sighting (a re-sync, the overlap of seed behaviour where the target shows
the participant while the source still does) never counts twice.

Pure functions, no I/O, no Textual.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal, Protocol, TypeVar

CallType = Literal["audio", "video", "control"]

CLOCK_SKEW_S = 60.0  # how much earlier than the request a node's start_time may be


class ParticipantFacts(Protocol):
    """What the matching reads of a participant (``protocol.models.Participant`` has it)."""

    @property
    def uuid(self) -> str: ...
    @property
    def display_name(self) -> str: ...
    @property
    def uri(self) -> str: ...
    @property
    def protocol(self) -> str: ...
    @property
    def is_audio_only_call(self) -> str: ...
    @property
    def is_video_call(self) -> str: ...
    @property
    def has_media(self) -> bool: ...
    @property
    def start_time(self) -> float: ...


def call_type(participant: ParticipantFacts) -> CallType:
    """audio (an audio-only call), video, or control (no media: an API client)."""
    if participant.is_audio_only_call == "YES":
        return "audio"
    if participant.is_video_call == "YES" or participant.has_media:
        return "video"
    return "control"


@dataclass(frozen=True, slots=True)
class Identity:
    """What identifies a participant across a transfer."""

    uuid: str
    display_name: str
    uri: str
    protocol: str
    call_type: CallType

    @classmethod
    def of(cls, participant: ParticipantFacts) -> Identity:
        return cls(
            participant.uuid,
            participant.display_name,
            participant.uri,
            participant.protocol,
            call_type(participant),
        )

    def describe(self) -> str:
        """A short label for logs (no secrets in it: names and URIs only)."""
        return f"{self.display_name or self.uri or self.uuid} ({self.protocol}, {self.call_type})"


def matches(expected: Identity, seen: ParticipantFacts, requested_at: float) -> bool:
    """True when `seen`, new in the target, is the participant `expected` describes."""
    start = float(seen.start_time or 0.0)
    if start > 0 and start < requested_at - CLOCK_SKEW_S:
        return False  # it was in the target long before the transfer
    if seen.uuid == expected.uuid:
        return True
    return (
        seen.display_name == expected.display_name
        and seen.uri == expected.uri
        and seen.protocol == expected.protocol
        and call_type(seen) == expected.call_type
    )


class Candidate(Protocol):
    """A transfer waiting for its participant (``transfers.Transfer`` has these)."""

    @property
    def identity(self) -> Identity | None: ...
    @property
    def target_alias(self) -> str: ...
    @property
    def requested_at(self) -> float: ...


T = TypeVar("T", bound=Candidate)


def pick(candidates: Iterable[T], alias: str, seen: ParticipantFacts) -> T | None:
    """The transfer to `alias` that `seen` completes: a UUID match first, then the oldest."""
    best: T | None = None
    for candidate in candidates:
        identity = candidate.identity
        if identity is None or candidate.target_alias.casefold() != alias.casefold():
            continue
        if not matches(identity, seen, candidate.requested_at):
            continue
        if identity.uuid == seen.uuid:
            return candidate
        if best is None or candidate.requested_at < best.requested_at:
            best = candidate
    return best
