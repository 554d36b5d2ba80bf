"""Transfer of a participant to another conference (with `refer` for API participants)."""

from __future__ import annotations

from pextui.sim.conference import Conference
from pextui.sim.node import Node
from pextui.sim.participants import Participant, dumps


class TransferError(Exception):
    """The transfer was refused; the message is the reason."""


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
    source.remove(participant.uuid, None)
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
    target.add(moved)
