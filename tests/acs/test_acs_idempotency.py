"""A retried transfer is the same request: ACS (the simulator) executes it once. Counted by
what the simulator executed, the SDK on the wire."""

from __future__ import annotations

from typing import Any

MEET_DEMO = "+15550108001"
BUSY = "+15550100486"


async def test_sdk_retry_after_a_503_once_executed_is_executed_once(acs: Any) -> None:
    call = await acs.ring_and_answer()
    acs.faults(lose_answer_next=1)  # the transfer runs, then the answer is lost (503)
    transfer = await acs.desk.transfer(call.id, MEET_DEMO)
    assert transfer.state in ("accepted", "left")
    await acs.until(lambda: transfer.state == "left")
    state = acs.state()
    assert state["executed"]["transferToParticipant"] == 1
    assert state["replayed"] == 1  # the SDK's retry got the first answer again
    assert state["refused"] == {"503": 1}
    assert acs.desk.transfers[call.id].sends == 1  # one send by the desk, retried by the SDK


async def test_desk_retry_after_a_503_reuses_the_request_id(desk_factory: Any) -> None:
    acs = await desk_factory(retries=0)  # no SDK retries: the desk's own retry is tested
    call = await acs.ring_and_answer()
    acs.faults(lose_answer_next=1)
    transfer = await acs.desk.transfer(call.id, MEET_DEMO)
    await acs.until(lambda: transfer.state == "left")
    record = acs.desk.transfers[call.id]
    assert record.sends == 2
    state = acs.state()
    assert state["executed"]["transferToParticipant"] == 1 and state["replayed"] == 1


async def test_503_before_running_then_retry_runs_it_once(desk_factory: Any) -> None:
    acs = await desk_factory(retries=0)
    call = await acs.ring_and_answer()
    acs.faults(fail_next=2)
    transfer = await acs.desk.transfer(call.id, MEET_DEMO)
    await acs.until(lambda: transfer.state == "left")
    state = acs.state()
    assert acs.desk.transfers[call.id].sends == 3
    assert state["executed"]["transferToParticipant"] == 1 and state["replayed"] == 0


async def test_a_request_timeout_then_retry_is_executed_once(desk_factory: Any) -> None:
    acs = await desk_factory(retries=0, request_timeout=0.5)
    call = await acs.ring_and_answer()
    acs.faults(latency_ms=1500)  # the transfer runs, the answer comes after the client gave up
    transfer = await acs.desk.transfer(call.id, MEET_DEMO)
    record = acs.desk.transfers[call.id]
    assert record.sends == 3 and "no answer from ACS after 3 attempts" in record.last_error
    assert not transfer.settled  # it may or may not have run: ACS's callback will say
    await acs.until(lambda: transfer.state == "left")
    state = acs.state()
    assert state["executed"]["transferToParticipant"] == 1
    assert state["replayed"] == 2


async def test_pressing_the_key_again_sends_the_same_request(acs: Any) -> None:
    call = await acs.ring_and_answer()
    acs.faults(transfer_delay_ms=2000)
    first = await acs.desk.transfer(call.id, MEET_DEMO)
    request_id = acs.desk.transfers[call.id].repeat.request_id
    again = await acs.desk.transfer(call.id, MEET_DEMO)  # pending: the host presses it again
    assert again is first
    assert acs.desk.transfers[call.id].repeat.request_id == request_id
    assert acs.state()["executed"]["transferToParticipant"] == 1
    assert acs.state()["replayed"] == 1


async def test_a_new_transfer_after_a_failure_is_a_new_request(acs: Any) -> None:
    call = await acs.ring_and_answer()
    failed = await acs.desk.transfer(call.id, BUSY)
    await acs.until(lambda: failed.state == "failed")
    first_id = acs.desk.transfers[call.id].repeat.request_id
    assert call.state == "talking"  # still with ACS
    second = await acs.desk.transfer(call.id, MEET_DEMO)
    assert second is not failed
    assert acs.desk.transfers[call.id].repeat.request_id != first_id
    await acs.until(lambda: second.state == "left")
    assert acs.state()["executed"]["transferToParticipant"] == 2


async def test_new_transfer_while_one_is_under_way_is_refused_locally(acs: Any) -> None:
    from pextui.phone.acs.desk import DeskError

    call = await acs.ring_and_answer()
    acs.faults(transfer_delay_ms=2000)
    await acs.desk.transfer(call.id, MEET_DEMO)
    try:
        await acs.desk.transfer(call.id, "+15550108002")
    except DeskError as error:
        assert "under way" in str(error)
    else:
        raise AssertionError("a second, different transfer was sent")
    assert acs.state()["executed"]["transferToParticipant"] == 1
