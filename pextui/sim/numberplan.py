"""The number plan shared by the simulators: numbers and SIP addresses -> conferences.

A PBX (or ACS) simulator that transfers a call to a number asks the plan which simulated
conference answers it, then `connect`s the caller: the caller appears in that conference
as a SIP participant named by caller ID, and `disconnect` makes them leave again. Every
method runs on the node's event loop (as the rest of the simulated node does).

Without configured numbers the conferences get 8001, 8002, ... in the node's order
(meet.demo 8001, meet.board 8002, townhall 8003 for the default set). A SIP address
`sip:ALIAS@any.domain`, `ALIAS@any.domain` or the bare alias reaches the conference too,
as does `sip:NUMBER@...`.
"""

from __future__ import annotations

import weakref
from collections.abc import Mapping
from dataclasses import dataclass

from pextui.sim.conference import Conference
from pextui.sim.node import Node
from pextui.sim.participants import Participant, make_participant

FIRST_NUMBER = 8001
GATEWAY_DOMAIN = "pbx.sim.invalid"
HANGUP_REASON = "Call disconnected"


class NumberPlanError(Exception):
    """The number reaches no simulated conference; the message says which."""


@dataclass(slots=True)
class Connected:
    """A call the plan put into a conference."""

    key: str  # the simulator's own id of the call leg (e.g. a PBX channel id)
    alias: str
    uuid: str  # the participant's uuid in that conference


def default_numbers(aliases: list[str]) -> dict[str, str]:
    return {str(FIRST_NUMBER + i): alias for i, alias in enumerate(aliases)}


class NumberPlan:
    """Routes numbers to the node's conferences and tracks the callers it connected."""

    def __init__(self, node: Node, numbers: Mapping[str, str] | None = None) -> None:
        self.node = node
        configured = dict(numbers or {})
        unknown = sorted(a for a in configured.values() if a not in node.conferences)
        if unknown:
            raise ValueError(f"the number plan names unknown conferences: {', '.join(unknown)}")
        self.numbers = configured or default_numbers(list(node.conferences))
        self._connected: dict[str, Connected] = {}

    def number_of(self, alias: str) -> str | None:
        return next((n for n, a in self.numbers.items() if a == alias), None)

    def resolve(self, dialled: str) -> str | None:
        """The conference alias `dialled` reaches, or None."""
        text = dialled.strip()
        if text.lower().startswith("sip:"):
            text = text[4:]
        local = text.split("@", 1)[0] if "@" in text else text
        for candidate in (text, local):
            if candidate in self.numbers:
                return self.numbers[candidate]
            if candidate in self.node.conferences:
                return candidate
        return None

    def connect(self, key: str, dialled: str, caller_id: str, caller_name: str = "") -> Connected:
        """Put the call `key` into the conference `dialled` reaches (NumberPlanError if none).

        A call already connected somewhere leaves there first. Callers join as guests; a
        locked conference puts them in its waiting room, as Pexip does.
        """
        alias = self.resolve(dialled)
        if alias is None:
            raise NumberPlanError(f"no conference answers {dialled!r}")
        self.disconnect(key)
        conference = self.node.conferences[alias]
        participant = _caller(conference, caller_id, caller_name)
        conference.add(participant)
        connected = Connected(key, alias, participant.uuid)
        self._connected[key] = connected
        return connected

    def disconnect(self, key: str) -> bool:
        """The call `key` leaves its conference; False when it was in none (any more)."""
        connected = self._connected.pop(key, None)
        if connected is None:
            return False
        conference = self.node.conferences.get(connected.alias)
        if conference is None:
            return False
        return conference.remove(connected.uuid, HANGUP_REASON) is not None

    def hold(self, key: str, held: bool) -> bool:
        """Show the call `key` as on hold (muted by its endpoint) or back; False if absent."""
        found = self.participant(key)
        if found is None:
            return False
        conference, participant = found
        return conference.update(participant, is_client_muted=held)

    def participant(self, key: str) -> tuple[Conference, Participant] | None:
        connected = self._connected.get(key)
        if connected is None:
            return None
        conference = self.node.conferences.get(connected.alias)
        participant = conference.participants.get(connected.uuid) if conference else None
        if conference is None or participant is None:
            self._connected.pop(key, None)  # removed meanwhile (host disconnect, ...)
            return None
        return conference, participant

    def connected(self) -> list[Connected]:
        return [c for c in list(self._connected.values()) if self.participant(c.key)]


def _caller(conference: Conference, caller_id: str, caller_name: str) -> Participant:
    name = caller_name or caller_id or "Unknown caller"
    user = "".join(c for c in caller_id if c.isalnum() or c in "+-._") or "anonymous"
    locked = bool(conference.status["locked"])
    return make_participant(
        display_name=name,
        role="guest",
        protocol="sip",
        service_type="waiting_room" if locked else conference.joined_service_type,
        local_alias=conference.alias,
        start_time=conference.clock(),
        call_direction="in",
        uri=f"sip:{user}@{GATEWAY_DOMAIN}",
        audio_only=True,
        is_muted=bool(conference.status["guests_muted"]),
    )


_PLANS: weakref.WeakKeyDictionary[Node, NumberPlan] = weakref.WeakKeyDictionary()


def plan_for(node: Node) -> NumberPlan:
    """The one number plan of `node` (built from its config's `numbers` on first use)."""
    plan = _PLANS.get(node)
    if plan is None:
        plan = NumberPlan(node, node.config.numbers)
        _PLANS[node] = plan
    return plan
