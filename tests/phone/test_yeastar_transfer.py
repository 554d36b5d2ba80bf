"""Blind and attended transfers end to end: PBX accepts, the call leaves, the caller arrives."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable

import pytest

from pextui.phone.yeastar.desk import DeskError
from pextui.phone.yeastar.errors import AccessDenied, NotFound, ParameterError
from pextui.sim.pbx.server import PbxServer
from pextui.sim.server import SimServer
from tests.phone.phone_helpers import DeskRig, client_for, wait_until

CALLER = "+442079460018"


@pytest.fixture
async def rig(pbx: PbxServer, sim: SimServer) -> AsyncIterator[DeskRig]:
    async with client_for(pbx) as client:
        started = await DeskRig(pbx, sim, client).start()
        yield started
        await started.stop()


def the_call(rig: DeskRig) -> str:
    (call,) = rig.desk.book.live()
    return call.id


async def arrived(rig: DeskRig, alias: str = "meet.demo") -> None:
    calls = [c for c in rig.desk.book if c.transfer is not None]

    def settled() -> bool:
        rig.roster(alias)  # what the console's roster would show
        return any(c.transfer is not None and c.transfer.state == "arrived" for c in calls)

    await wait_until(settled, what="the caller arrived")


async def test_the_desk_lists_the_callers_from_call_query(rig: DeskRig) -> None:
    (call,) = rig.desk.book.live()
    assert (call.caller, call.state, call.trunk) == (CALLER, "talking", "siptrunk")
    assert call.extra["operator_channel"].startswith("PJSIP/2005-")


async def test_blind_transfer_goes_accepted_left_arrived(rig: DeskRig) -> None:
    call_id = the_call(rig)
    transfer = await rig.desk.bring_in(call_id, "meet.demo")
    assert transfer.state in ("accepted", "left") and transfer.number == "8001"
    await wait_until(lambda: transfer.state == "left", what="the call left the operator")
    await arrived(rig)
    assert CALLER in rig.names("meet.demo")
    assert transfer.participant_uuid is not None
    sent = [r for r in rig.pbx.state()["received"] if r["path"].endswith("call/transfer")]
    channel = rig.desk.book.get("yeastar", call_id).extra["caller_channel"]  # type: ignore[union-attr]
    assert sent[0]["body"] == {"type": "blind", "channel_id": channel, "number": "8001",
                               "dial_permission": "2005"}  # fmt: skip


async def test_blind_transfer_to_a_number_given_directly(rig: DeskRig) -> None:
    transfer = await rig.desk.bring_in(the_call(rig), "8002")
    assert transfer.target_alias == "meet.board"
    await arrived(rig, "meet.board")


@pytest.mark.parametrize("operation", ["complete", "abort", "threeway", "swap"])
async def test_attended_transfer_each_operation(rig: DeskRig, operation: str) -> None:
    call_id = the_call(rig)
    transfer = await rig.desk.consult(call_id, "meet.demo")
    assert transfer.state == "accepted" and transfer.mode == "attended"
    await wait_until(lambda: "Reception 2005" in rig.names("meet.demo"), what="the consult call")
    assert CALLER not in rig.names("meet.demo")
    call = rig.desk.book.get("yeastar", call_id)
    assert call is not None and call.state == "consulting"
    await rig.desk.operate(call_id, operation)  # type: ignore[arg-type]
    if operation == "complete":
        await arrived(rig)
        await wait_until(lambda: "Reception 2005" not in rig.names("meet.demo"), what="op left")
    elif operation == "abort":
        assert (transfer.state, transfer.reason) == ("failed", "consult aborted by the operator")
        await wait_until(lambda: "Reception 2005" not in rig.names("meet.demo"), what="op left")
        await wait_until(lambda: call.state == "talking", what="back with the operator")
        assert CALLER not in rig.names("meet.demo")
    elif operation == "threeway":
        await arrived(rig)
        assert {"Reception 2005", CALLER} <= set(rig.names("meet.demo"))  # both stay
    else:
        await wait_until(lambda: call.extra.get("talking_to") == "caller", what="swapped")
        state = rig.sim.conference_state("meet.demo")["participants"]
        consult = next(p for p in state if p["display_name"] == "Reception 2005")
        assert consult["is_client_muted"] is True  # the conference side is on hold now
        await wait_until(lambda: call.state == "consulting", what="still consulting")
        await rig.desk.operate(call_id, "swap")
        await wait_until(
            lambda: not next(
                p for p in rig.sim.conference_state("meet.demo")["participants"]
                if p["display_name"] == "Reception 2005"
            )["is_client_muted"],
            what="swapped back",
        )  # fmt: skip
        await rig.desk.operate(call_id, "complete")
        await arrived(rig)
    operations = [
        r["body"].get("attended_operate")
        for r in rig.pbx.state()["received"]
        if r["path"].endswith("call/transfer")
    ]
    assert operations[0] is None and operation in operations


@pytest.mark.parametrize(
    ("change", "error", "errmsg"),
    [
        ("channel", NotFound, "DATA NOT FOUND"),
        ("number", ParameterError, "PARAMETER ERROR"),
        ("permission", AccessDenied, "ACCESS DENIED"),
    ],
)
async def test_errcode_becomes_a_failed_transfer_with_the_errmsg(
    rig: DeskRig, change: str, error: type[Exception], errmsg: str
) -> None:
    call = rig.desk.book.live()[0]
    target = "meet.demo"
    if change == "channel":
        call.extra["caller_channel"] = "PJSIP/trunk-siptrunk-endpoint-deadbeef"
    elif change == "number":
        rig.desk.numbers["meet.demo"] = "4711"  # not in the PBX's number plan
    else:
        rig.desk.operator = "2000"  # an extension without outbound permission
    with pytest.raises(error):
        await rig.desk.bring_in(call.id, target)
    assert call.transfer is not None
    assert (call.transfer.state, call.transfer.reason) == ("failed", errmsg)
    assert rig.names("meet.demo") == []


async def test_operate_without_a_consult_is_refused_by_the_pbx(rig: DeskRig) -> None:
    call = rig.desk.book.live()[0]
    with pytest.raises(NotFound):
        await rig.client.attended_operate(call.extra["operator_channel"], "complete")
    with pytest.raises(DeskError, match="no consult"):
        await rig.desk.operate(call.id, "complete")


async def test_the_caller_hangs_up_during_the_consult(rig: DeskRig) -> None:
    call_id = the_call(rig)
    transfer = await rig.desk.consult(call_id, "meet.demo")
    await wait_until(lambda: "Reception 2005" in rig.names("meet.demo"), what="the consult call")
    channel = rig.desk.book.get("yeastar", call_id).extra["caller_channel"]  # type: ignore[union-attr]
    assert rig.pbx.run(lambda: rig.pbx.pbx.hangup(channel))
    await wait_until(lambda: transfer.state == "failed", what="the transfer failed")
    assert transfer.reason == "the caller hung up during the consult"
    with pytest.raises(DeskError):
        await rig.desk.operate(call_id, "complete")
    # the operator's consult line is still up until they hang it up
    assert "Reception 2005" in rig.names("meet.demo")


async def test_a_transfer_times_out_when_the_caller_never_arrives(rig: DeskRig) -> None:
    rig.desk.timeout = 0.2
    transfer = await rig.desk.bring_in(the_call(rig), "meet.demo")
    await wait_until(lambda: transfer.state == "left", what="left")
    await wait_until(lambda: rig.desk.expire() or transfer.settled, what="expired")  # no roster
    assert transfer.state == "timed_out"
    assert "to appear in the conference" in transfer.reason


async def test_the_socket_closing_mid_transfer_loses_nothing(rig: DeskRig) -> None:
    transfer = await rig.desk.bring_in(the_call(rig), "meet.demo")
    rig.pbx.run(rig.pbx.pbx.close_subscribers)  # before the trunk answers
    await wait_until(lambda: rig.stream.connects >= 2, what="reconnected")
    await arrived(rig)  # the roster settles it even if the socket missed a step
    assert transfer.state == "arrived"


async def test_a_timed_out_request_is_not_sent_again(
    make_pbx: Callable[..., PbxServer], sim: SimServer
) -> None:
    pbx = make_pbx()
    async with client_for(pbx, timeout=0.3) as client:
        rig = await DeskRig(pbx, sim, client).start()
        pbx.run(lambda: pbx.pbx.replace_faults({"latency-ms": 600}))
        from pextui.phone.yeastar.errors import RequestTimedOut

        with pytest.raises(RequestTimedOut):
            await rig.desk.bring_in(the_call(rig), "meet.demo")
        call = rig.desk.book.live()[0]
        assert call.transfer is not None and not call.transfer.settled  # undecided, not failed
        pbx.run(lambda: pbx.pbx.replace_faults({}))
        await arrived(rig)  # the PBX did it after all: the events and the roster tell
        sent = [r for r in pbx.state()["received"] if r["path"].endswith("call/transfer")]
        assert len(sent) == 1
        await rig.stop()


async def test_pbx_unreachable_for_a_while_leaves_the_pexip_side_alone(rig: DeskRig) -> None:
    from pextui.protocol.client import JoinParams, connect

    params = JoinParams(node_url=rig.sim.base_url, alias="meet.demo", display_name="Host",
                        pin="1234", timeout_s=5.0)  # fmt: skip
    session = await connect(params)
    try:
        rig.pbx.stop()  # the PBX is gone: connections are refused
        await wait_until(lambda: rig.stream.state == "reconnecting", what="the stream noticed")
        with pytest.raises(Exception, match="cannot reach the PBX"):
            await rig.desk.bring_in(the_call(rig), "meet.demo")
        await session.lock()  # the Pexip side carries on untouched
        assert (await session.conference_status()).locked
        assert [p.display_name for p in await session.participants()] == ["Host"]
        rig.pbx.start()  # back on the same port, with the same calls
        await wait_until(lambda: rig.stream.connects >= 2, limit_s=10, what="reconnected")
        rig.pbx.run(lambda: rig.pbx.pbx.add_caller("+15555550199", "ringing"))
        await wait_until(lambda: len(rig.desk.book.live()) == 2, what="events flow again")
    finally:
        await session.close()
