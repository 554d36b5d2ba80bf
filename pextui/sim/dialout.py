"""Dial-out: a `connecting` participant that is answered, busy, rejected or unanswered.

Destinations (case-insensitive) decide the outcome:
* containing "busy": the line is busy; deleted after `timings.dial_reject`;
* containing "reject" or "decline": the callee rejects; deleted after `timings.dial_reject`;
* containing "noanswer" or "timeout": nobody answers; deleted after `timings.dial_timeout`;
* anything else: answered after `timings.dial_answer` (service_type becomes conference/lecture).

The participant_delete of a call that was not answered carries `reason` ("Busy", "Call
rejected", "No answer"): a field the schema does not know (Pexip's packages drop it), so
a console can say why the call ended.
"""

from __future__ import annotations

from pextui.sim.conference import Conference
from pextui.sim.node import Node
from pextui.sim.participants import make_participant

REASONS = {"busy": "Busy", "reject": "Call rejected", "timeout": "No answer"}


def outcome_of(destination: str) -> str:
    lowered = destination.lower()
    if "busy" in lowered:
        return "busy"
    if "reject" in lowered or "decline" in lowered:
        return "reject"
    if "noanswer" in lowered or "timeout" in lowered:
        return "timeout"
    return "answer"


def dial(
    node: Node,
    conference: Conference,
    *,
    destination: str,
    protocol: str,
    role: str,
    display_name: str | None,
    call_type: str,
    streaming: bool,
    keep_alive: str = "keep_conference_alive_if_multiple",
) -> str:
    """Start the call; returns the new participant's UUID."""
    wire_protocol = "sip" if protocol == "auto" else protocol
    participant = make_participant(
        display_name=display_name or destination,
        role=role,
        protocol=wire_protocol,
        service_type="connecting",
        local_alias=conference.alias,
        start_time=conference.clock(),
        call_direction="out",
        uri=destination if wire_protocol != "sip" else f"sip:{destination.removeprefix('sip:')}",
        audio_only=call_type == "audio",
        streaming=streaming,
        is_muted=role == "guest" and bool(conference.status["guests_muted"]),
    )
    participant.update(has_media=False)
    conference.add(participant)
    outcome = outcome_of(destination)
    conference.dialled[participant.uuid] = {
        "destination": destination,
        "keep_conference_alive": keep_alive,
        "outcome": "ringing",
    }
    timings = node.timings
    if outcome == "answer":
        node.call_later(timings.dial_answer, _answer, conference, participant.uuid)
    else:
        delay = timings.dial_timeout if outcome == "timeout" else timings.dial_reject
        node.call_later(delay, _give_up, conference, participant.uuid, REASONS[outcome])
    return participant.uuid


def _answer(conference: Conference, uuid: str) -> None:
    participant = conference.participants.get(uuid)
    if participant is None or participant.service_type != "connecting":
        return
    conference.dialled.get(uuid, {})["outcome"] = "answered"
    conference.update(
        participant,
        service_type=conference.joined_service_type,
        has_media=True,
        start_time=int(conference.clock()),
    )


def _give_up(conference: Conference, uuid: str, reason: str) -> None:
    participant = conference.participants.get(uuid)
    if participant is not None and participant.service_type == "connecting":
        conference.dialled.get(uuid, {})["outcome"] = reason
        conference.detach(uuid, {"reason": reason})
        conference.on_removed(uuid)
