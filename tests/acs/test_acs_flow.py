"""An ACS caller rings, is answered, is transferred into meet.demo and arrives there:
Microsoft's SDK against the simulator, the console's receiver getting ACS's callbacks."""

from __future__ import annotations

from typing import Any

from pextui.phone.calls import Call

CALLER = "+4930123456"
MEET_DEMO = "+15550108001"


async def test_incoming_call_answered_and_transferred_into_the_meeting(acs: Any) -> None:
    call: Call = await acs.ring_and_answer(CALLER, "Erika Mustermann")
    assert call.caller == CALLER and call.caller_name == "Erika Mustermann"
    assert call.id == call.extra["call_connection_id"]  # re-keyed by the connection id
    assert acs.receiver.counts["handshakes"] == 1 and acs.receiver.counts["incoming"] == 1

    transfer = await acs.desk.transfer(call.id, MEET_DEMO)
    assert transfer.state in ("accepted", "left")  # 202: accepted for processing
    await acs.until(lambda: transfer.state == "left")
    await acs.until(lambda: call.state == "ended")  # CallDisconnected: the caller left ACS

    entry = await acs.until(lambda: roster_entry_in(acs, "meet.demo", CALLER))
    seen = acs.desk.participant_seen(
        "meet.demo", entry["uuid"], entry["display_name"], entry["uri"]
    )
    assert seen is call
    assert transfer.state == "arrived" and transfer.participant_uuid == entry["uuid"]

    state = acs.state()
    assert state["executed"] == {"answer": 1, "transferToParticipant": 1}
    kinds = [d["type"] for d in state["delivered"] if d["kind"] == "callback"]
    assert kinds == [
        "Microsoft.Communication.CallConnected",
        "Microsoft.Communication.ParticipantsUpdated",
        "Microsoft.Communication.CallTransferAccepted",
        "Microsoft.Communication.CallDisconnected",
    ]
    assert acs.desk.counts["CallTransferAccepted"] == 1


def roster_entry_in(acs: Any, alias: str, caller: str) -> dict[str, Any] | None:
    digits = caller.lstrip("+")
    for participant in acs.sim.conference_state(alias)["participants"]:
        if digits in participant.get("uri", "") or digits in participant.get("display_name", ""):
            return dict(participant)
    return None


async def test_transfer_to_a_sip_address_reaches_the_conference(acs: Any) -> None:
    call = await acs.ring_and_answer("+4930999888")
    transfer = await acs.desk.transfer(call.id, "sip:meet.board@pexip.example")
    assert transfer.target_alias == "meet.board"
    await acs.until(lambda: transfer.state == "left")
    assert await acs.until(lambda: roster_entry_in(acs, "meet.board", "+4930999888"))
