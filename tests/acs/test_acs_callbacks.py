"""ACS's callbacks as ACS may deliver them: twice, out of order, or not at all; failing
destinations with their resultInformation; the call's state asked for after a timeout."""

from __future__ import annotations

from typing import Any

import pytest

MEET_DEMO = "+15550108001"


async def test_a_duplicated_callback_is_counted_once(acs: Any) -> None:
    call = await acs.ring_and_answer()
    acs.faults(duplicate_callback_next=2)  # CallTransferAccepted and CallDisconnected twice
    transfer = await acs.desk.transfer(call.id, MEET_DEMO)
    await acs.until(lambda: call.state == "ended")
    await acs.until(lambda: acs.receiver.counts.get("callbacks", 0) == 6)
    state = acs.state()
    assert state["deliveries"]["callbacks_duplicated"] == 2
    assert acs.desk.counts["duplicates"] == 2
    assert acs.desk.counts["CallTransferAccepted"] == 1
    assert acs.desk.counts["CallDisconnected"] == 1
    assert transfer.state == "left"


async def test_callbacks_out_of_order_still_end_in_the_right_state(acs: Any) -> None:
    acs.faults(callback_reorder=1)  # ParticipantsUpdated before CallConnected, ...
    call = await acs.ring_and_answer()
    transfer = await acs.desk.transfer(call.id, MEET_DEMO)  # Disconnected before Accepted
    await acs.until(lambda: transfer.state == "left" and call.state == "ended")

    def kinds_delivered() -> list[str]:  # in the order they reached the receiver, once each
        delivered = [d for d in acs.state()["delivered"] if d["kind"] == "callback"]
        unique = {d["id"]: d["type"].rsplit(".", 1)[1] for d in delivered}
        return list(unique.values())

    kinds = await acs.until(lambda: len(kinds_delivered()) == 4 and kinds_delivered())
    assert kinds == [
        "ParticipantsUpdated",
        "CallConnected",
        "CallDisconnected",
        "CallTransferAccepted",
    ]
    assert call.state == "ended"  # a late CallConnected never revived it


@pytest.mark.parametrize(
    ("number", "code", "sub_code", "words"),
    [
        ("+15550100486", 486, 560486, "busy"),
        ("+15550100404", 404, 560404, "not found"),
        ("+15550100603", 603, 560603, "declined"),
        ("+15559999999", 404, 560404, "not found"),  # nothing answers it
    ],
)
async def test_failing_destinations_report_result_information(
    acs: Any, number: str, code: int, sub_code: int, words: str
) -> None:
    call = await acs.ring_and_answer()
    transfer = await acs.desk.transfer(call.id, number)
    await acs.until(lambda: transfer.settled)
    assert transfer.state == "failed"
    assert f"{code}/{sub_code}" in transfer.reason and words in transfer.reason
    result = acs.desk.transfers[call.id].result
    assert (result.code, result.sub_code) == (code, sub_code)
    assert call.state == "talking"  # the caller is still with ACS


async def test_no_callback_in_time_times_out_after_asking_acs(desk_factory: Any) -> None:
    acs = await desk_factory(transfer_timeout=0.3)
    call = await acs.ring_and_answer()
    acs.faults(lose_callback_next=2)  # CallTransferAccepted and CallDisconnected never come
    transfer = await acs.desk.transfer(call.id, MEET_DEMO)
    await acs.until(lambda: acs.state()["deliveries"].get("callbacks_lost") == 2)
    await acs.until(lambda: acs.desk.clock() > acs.desk.transfers[call.id].deadline, 5)
    expired = await acs.desk.expire()
    assert expired == [call]
    assert transfer.state == "timed_out"
    assert "ACS no longer has the call" in transfer.reason  # it did transfer: the call is gone
    assert acs.desk.transfers[call.id].queried_state is not None


async def test_slow_transfer_times_out_with_the_call_still_connected(desk_factory: Any) -> None:
    acs = await desk_factory(transfer_timeout=0.2)
    call = await acs.ring_and_answer()
    acs.faults(transfer_delay_ms=5000)
    transfer = await acs.desk.transfer(call.id, MEET_DEMO)
    await acs.until(lambda: transfer.state == "accepted")
    await acs.until(lambda: acs.desk.clock() > acs.desk.transfers[call.id].deadline, 5)
    assert await acs.desk.expire() == [call]
    assert "ACS says the call is connected" in transfer.reason


async def test_the_caller_hanging_up_ends_the_call(acs: Any) -> None:
    call = await acs.ring_and_answer()
    server_call_id = call.extra["server_call_id"]
    answer = acs.control("POST", f"/_acs/calls/{server_call_id}/hangup")
    assert answer.status_code == 200
    await acs.until(lambda: call.state == "ended")


async def test_a_transferred_caller_hanging_up_leaves_the_conference(acs: Any) -> None:
    call = await acs.ring_and_answer("+4930777666")
    transfer = await acs.desk.transfer(call.id, MEET_DEMO)
    await acs.until(lambda: transfer.state == "left")

    def in_roster() -> bool:
        roster = acs.sim.conference_state("meet.demo")["participants"]
        return any("4930777666" in p["uri"] for p in roster)

    await acs.until(in_roster)
    answer = acs.control("POST", f"/_acs/calls/{call.extra['server_call_id']}/hangup")
    assert answer.status_code == 200
    await acs.until(lambda: not in_roster())


async def test_a_caller_who_hung_up_before_the_answer_is_no_longer_ringing(acs: Any) -> None:
    import asyncio

    from azure.core.exceptions import HttpResponseError

    server_call_id = await asyncio.to_thread(acs.sim.ring, "+4930222333", "Gone")
    call = await acs.until(lambda: acs.desk.book.get("acs", server_call_id))
    assert acs.control("POST", f"/_acs/calls/{server_call_id}/hangup").status_code == 200
    try:
        await acs.desk.answer(server_call_id)
    except HttpResponseError as error:
        assert error.status_code == 404
    else:
        raise AssertionError("answered a call that was gone")
    assert call.state == "ended"


async def test_a_call_ringing_too_long_is_no_longer_offered(acs: Any) -> None:
    import asyncio
    import time

    server_call_id = await asyncio.to_thread(acs.sim.ring, "+4930444555", "Patient")
    call = await acs.until(lambda: acs.desk.book.get("acs", server_call_id))
    acs.desk.clock = lambda: time.time() + 600  # ten minutes later
    await acs.desk.expire()
    assert call.state == "ended"
