"""`Session.batches()`: the items of `events()`, a network read at a time, against the sim."""

from __future__ import annotations

from collections.abc import Callable

from pextui.protocol.client import connect
from pextui.protocol.models import ParticipantCreateEvent, ParticipantSyncEndEvent
from pextui.protocol.session import USER_DISCONNECT
from pextui.protocol.stream import Connected, Ended, StreamItem
from pextui.sim.server import SimServer
from tests.protocol.protocol_helpers import host_params

PARTICIPANTS = 400  # ~0.5 MB of sync: more than one read of the stream


def names(items: list[StreamItem]) -> list[str]:
    return [item.name for item in items]


async def test_batches_hold_the_whole_stream_in_order_and_end_with_ended(
    make_sim: Callable[..., SimServer],
) -> None:
    sim = make_sim(participants=PARTICIPANTS)
    session = await connect(host_params(sim))
    batches: list[list[StreamItem]] = []
    async for batch in session.batches():
        assert batch, "no empty batch"
        batches.append(batch)
        if any(isinstance(item, ParticipantSyncEndEvent) for item in batch):
            await session.close()
    items = [item for batch in batches for item in batch]
    assert isinstance(items[0], Connected)
    sync = names(items)
    begin, end = sync.index("participant_sync_begin"), sync.index("participant_sync_end")
    creates = items[begin + 1 : end]
    assert all(isinstance(item, ParticipantCreateEvent) for item in creates)
    # Everyone in the room, the console itself included, once each.
    expected = {p["uuid"] for p in sim.conference_state("meet.demo")["participants"]}
    assert {item.data.uuid for item in creates if isinstance(item, ParticipantCreateEvent)} == (
        expected | {session.participant_uuid}
    )
    assert 2 < len(batches) < len(items) / 10  # several reads, not one list per event
    last = batches[-1]
    assert len(last) == 1 and isinstance(last[0], Ended)
    assert last[0].reason == USER_DISCONNECT
    assert sum(isinstance(item, Ended) for item in items) == 1


async def test_batches_start_with_what_an_events_reader_left(
    make_sim: Callable[..., SimServer],
) -> None:
    sim = make_sim(participants=PARTICIPANTS)
    async with await connect(host_params(sim)) as session:
        first: list[StreamItem] = []
        async for item in session.events():
            first.append(item)
            if isinstance(item, ParticipantCreateEvent) and len(first) > 5:
                break  # mid-read: the rest of this read is still pending
        rest: list[StreamItem] = []
        async for batch in session.batches():
            rest.extend(batch)
            if any(isinstance(item, ParticipantSyncEndEvent) for item in batch):
                break
    items = first + rest
    sync = names(items)
    begin, end = sync.index("participant_sync_begin"), sync.index("participant_sync_end")
    uuids = [item.data.uuid for item in items[begin + 1 : end]]  # type: ignore[attr-defined]
    assert len(uuids) == len(set(uuids)) == PARTICIPANTS + 1  # nothing lost, nothing twice
