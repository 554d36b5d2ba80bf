"""Transfer of a participant to another conference (with `refer` for API participants).

What identifies the participant travels with it (docs/simulator.md, "Transfers"): a
participant without a token (SIP, H.323, WebRTC, dialled...) appears in the target with the
same UUID, display name, URI, protocol and call type; an API client follows a `refer`
and rejoins under a new UUID with the display name the token was issued for.

Two behaviours on request: a transfer to a rejecting gateway alias (`gateway.reject` by
default, `SimConfig.rejecting_gateways`) is accepted, then the call is rejected: the
participant is disconnected (`participant_delete` with `reason`) and appears nowhere; and
`node.transfer_overlap` seconds (`--transfer-overlap`, `/_sim/control`) during which the
target already shows the participant while the source still does.
"""

from __future__ import annotations

from pextui.sim.conference import Conference
from pextui.sim.node import Node
from pextui.sim.participants import Participant, dumps

REJECTED_REASON = "Call rejected"


class TransferError(Exception):
    """The transfer was refused; the message is the reason."""


def is_rejecting_gateway(node: Node, alias: str) -> bool:
    folded = alias.casefold()
    return any(folded == gateway.casefold() for gateway in node.config.rejecting_gateways)


def check_target(node: Node, alias: str, role: str, pin: str | None) -> Conference:
    if alias in node.receptions:
        raise TransferError("Transfer failed: cannot transfer into a Virtual Reception")
    target = node.conferences.get(alias)
    if target is None:
        raise TransferError("Transfer failed: Neither conference nor gateway found")
    vmr = target.vmr
    allowed: set[str | None] | None = None
    if role == "chair" and vmr.host_pin:
        allowed = {vmr.host_pin}
    elif role == "guest" and vmr.guest_pin:
        allowed = {vmr.guest_pin, vmr.host_pin}
    if allowed is not None and pin not in allowed:
        raise TransferError("Transfer failed: Invalid PIN")
    return target


def transfer(
    node: Node,
    source: Conference,
    participant: Participant,
    alias: str,
    role: str,
    pin: str | None,
) -> None:
    """Move `participant` to `alias` as `role` ('chair' | 'guest'); TransferError if refused."""
    if is_rejecting_gateway(node, alias):
        source.update(participant, is_transferring=True)
        node.call_later(node.timings.transfer_reject, _reject, source, participant)
        return
    target = check_target(node, alias, role, pin)
    source.update(participant, is_transferring=True)
    if participant.token_holder:
        # An API client: tell it where to go; it joins the target with the one-time token.
        token = node.tokens.issue_one_time(
            target.alias, role, participant.display_name, node.timings.refer_token_ttl
        )
        refer = {"alias": target.alias, "token": token, "target": "conference"}
        source.emit("refer", dumps(refer), to=participant.uuid)
        source.remove(participant.uuid, None)
        return
    moved = Participant(data=dict(participant.data))
    locked_out = role == "guest" and bool(target.status["locked"])
    moved.update(
        role=role,
        is_transferring=False,
        local_alias=target.alias,
        service_type="waiting_room" if locked_out else target.joined_service_type,
        buzz_time=0,
        spotlight=0,
        is_presenting="NO",
        start_time=int(target.clock()),
        api_url=f"/api/client/v2/conferences/{target.alias}/participants/{participant.uuid}",
    )
    overlap = node.transfer_overlap
    if overlap <= 0:
        source.remove(participant.uuid, None)
        target.add(moved)
        return
    # The target shows the participant while the source still does, for `overlap` seconds.
    target.add(moved)
    node.call_later(overlap, _leave_source, source, participant)


def _leave_source(source: Conference, participant: Participant) -> None:
    if source.participants.get(participant.uuid) is participant:
        source.detach(participant.uuid)


def _reject(source: Conference, participant: Participant) -> None:
    """The gateway rejected the call: the participant is disconnected, for good."""
    uuid = participant.uuid
    if source.participants.get(uuid) is not participant:
        return  # gone meanwhile
    source.detach(uuid, {"reason": REJECTED_REASON})
    source.end_streams(uuid, REJECTED_REASON)
    source.on_removed(uuid)
