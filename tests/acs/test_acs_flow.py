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
    assert call.state == "ended"  # the caller was handed over: ACS's call is done
    await acs.until(lambda: acs.desk.counts.get("CallDisconnected") == 1)
    await acs.until(lambda: len(acs.state()["delivered"]) == 5)  # and the sim saw the 200

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


async def test_a_configured_webhook_is_validated_at_start_and_a_waiting_caller_rings() -> None:
    import asyncio

    from pextui.phone.acs.events import GridEvent
    from pextui.phone.acs.receiver import CallbackReceiver
    from pextui.sim.acs.server import SimWithAcs

    incoming: list[GridEvent] = []
    rang = asyncio.Event()

    def on_incoming(event: GridEvent) -> None:
        incoming.append(event)
        rang.set()

    receiver = CallbackReceiver(on_incoming, lambda event: None)
    await receiver.start()
    try:
        sim = SimWithAcs(webhooks=[receiver.eventgrid_url], callers=[("+4930111222", "Waiting")])
        await asyncio.to_thread(sim.start)
        try:
            async with asyncio.timeout(15):
                await rang.wait()
            assert receiver.counts["handshakes"] == 1
            (event,) = incoming
            assert getattr(event, "caller", "") == "+4930111222"
        finally:
            await asyncio.to_thread(sim.stop)
    finally:
        await receiver.stop()
