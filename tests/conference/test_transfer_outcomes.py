"""Transfers tracked at both ends: every transition of the tracker, the arrival matching
rule and the hub that links a source store to its target's roster."""

from __future__ import annotations

from typing import Any

import pytest

from pextui.conference import ConferenceStore
from pextui.conference.arrival import CLOCK_SKEW_S, Identity, call_type, matches, pick
from pextui.conference.transfer_hub import TransferHub
from pextui.conference.transfers import Transfer
from pextui.protocol import models as m
from tests.conference.conference_helpers import (
    FakeClock,
    apply_all,
    create,
    delete,
    event,
    person,
    sync,
)

SIP = {"protocol": "sip", "is_video_call": "YES", "has_media": True, "uri": "sip:alice@example.com"}


def participant(uuid: str, name: str = "Alice", **fields: Any) -> m.Participant:
    return m.Participant.model_validate(person(uuid, name, **{**SIP, **fields}))


def stores(clock: FakeClock) -> tuple[ConferenceStore, ConferenceStore, TransferHub]:
    source = ConferenceStore(clock=clock, transfer_timeout=20.0)
    target = ConferenceStore(clock=clock, transfer_timeout=20.0)
    hub = TransferHub(lambda: [("meet.demo", source), ("meet.board", target)])
    hub.attach(source, lambda: "meet.demo")
    hub.attach(target, lambda: "meet.board")
    return source, target, hub


def states(transfer: Transfer | None) -> list[str]:
    assert transfer is not None
    return [state for _, state in transfer.history]


# -- the matching rule -----------------------------------------------------------------------


def test_call_type_from_the_participant_facts() -> None:
    assert call_type(participant("a")) == "video"
    assert call_type(participant("a", is_audio_only_call="YES", is_video_call="NO")) == "audio"
    control = participant("a", protocol="api", is_video_call="NO", has_media=False)
    assert call_type(control) == "control"


def test_same_uuid_matches_whatever_the_name() -> None:
    expected = Identity.of(participant("a"))
    assert matches(expected, participant("a", "Renamed", uri="sip:x@y"), requested_at=0.0)


def test_a_new_uuid_matches_on_all_four_facts_only() -> None:
    expected = Identity.of(participant("a"))
    assert matches(expected, participant("b"), requested_at=0.0)
    for different in (
        {"display_name": "Alicia"},
        {"uri": "sip:other@example.com"},
        {"protocol": "h323"},
        {"is_audio_only_call": "YES", "is_video_call": "NO"},
    ):
        seen = m.Participant.model_validate({**person("b", "Alice", **SIP), **different})
        assert not matches(expected, seen, requested_at=0.0), different


def test_a_namesake_who_joined_long_before_the_request_is_not_an_arrival() -> None:
    expected = Identity.of(participant("a"))
    early = participant("b", start_time=1_000.0)
    assert not matches(expected, early, requested_at=1_000.0 + CLOCK_SKEW_S + 1)
    assert matches(expected, early, requested_at=1_000.0 + CLOCK_SKEW_S - 1)


def test_pick_prefers_the_uuid_then_the_oldest_request() -> None:
    clock = FakeClock(100.0)
    source, _, _ = stores(clock)
    apply_all(source, [create("a", "Alice", **SIP), create("c", "Alice", **SIP)])
    first = source.transfers.request("c", "meet.board", watched=True)
    clock.advance(1)
    second = source.transfers.request("a", "meet.board", watched=True)
    active = source.transfers.active()
    assert pick(active, "meet.board", participant("a")) is source.transfers.get(second)
    assert pick(active, "meet.board", participant("z")) is source.transfers.get(first)
    assert pick(active, "meet.other", participant("z")) is None


# -- every transition --------------------------------------------------------------------------


def test_requested_left_arrived_when_the_target_is_watched() -> None:
    clock = FakeClock()
    source, target, hub = stores(clock)
    apply_all(target, sync(person("t1", "Tom")))
    apply_all(source, sync(person("a", "Alice", **SIP)))
    tid = source.transfers.request(
        "a", "meet.board", "guest", source_alias="meet.demo", watched=hub.watching("meet.board")
    )
    source.apply(delete("a"))
    transfer = source.transfers.get(tid)
    assert transfer is not None and transfer.state == "left" and not transfer.settled
    clock.advance(2)
    target.apply(create("new-uuid", "Alice", **SIP))
    assert transfer.state == "arrived" and transfer.arrived_uuid == "new-uuid"
    assert states(transfer) == ["requested", "left", "arrived"]
    assert transfer.succeeded and transfer.to_json()["source_alias"] == "meet.demo"


def test_left_is_final_when_the_target_is_not_watched() -> None:
    source = ConferenceStore(clock=FakeClock())
    source.apply(create("a", "Alice"))
    tid = source.transfers.request("a", "meet.board")
    source.apply(delete("a"))
    transfer = source.transfers.get(tid)
    assert transfer is not None and transfer.settled and transfer.succeeded
    assert states(transfer) == ["requested", "left"]


def test_overlap_arrived_before_left_counts_once_and_never_fails() -> None:
    clock = FakeClock()
    source, target, hub = stores(clock)
    apply_all(source, sync(person("a", "Alice", **SIP)))
    seen: list[Transfer] = []
    hub.listeners.append(seen.append)
    tid = source.transfers.request("a", "meet.board", watched=True)
    target.apply(create("a", "Alice", **SIP))  # the target shows them ...
    assert "a" in source.roster  # ... while the source still does
    transfer = source.transfers.get(tid)
    assert transfer is not None and transfer.state == "arrived"
    target.apply(event("participant_update", person("a", "Alice", **SIP)))
    apply_all(target, sync(person("a", "Alice", **SIP)))  # a re-sync shows them again
    source.apply(delete("a"))  # the source catches up
    clock.advance(60)
    assert source.transfers.expire() == []
    assert transfer.state == "arrived" and states(transfer) == ["requested", "arrived"]
    assert len(seen) == 1 and len(source.transfers) == 1


def test_failed_with_the_servers_reason() -> None:
    clock = FakeClock()
    source, _, _ = stores(clock)
    source.apply(create("a", "Alice"))
    tid = source.transfers.request("a", "meet.board", watched=True)
    source.transfers.fail(tid, "Invalid PIN")
    source.apply(delete("a"))
    transfer = source.transfers.get(tid)
    assert transfer is not None and (transfer.state, transfer.reason) == ("failed", "Invalid PIN")
    assert states(transfer) == ["requested", "failed"]


def test_timed_out_while_still_here() -> None:
    clock = FakeClock(0.0)
    source, _, _ = stores(clock)
    source.apply(create("a", "Alice"))
    tid = source.transfers.request("a", "meet.board")
    assert source.transfers.expire(19.9) == []
    [expired] = source.transfers.expire(20.0)
    assert expired.id == tid and expired.state == "timed_out"
    assert "still in this conference" in expired.reason


def test_timed_out_after_leaving_when_never_seen_in_the_watched_target() -> None:
    clock = FakeClock(0.0)
    source, target, _ = stores(clock)
    source.apply(create("a", "Alice", **SIP))
    tid = source.transfers.request("a", "meet.board", watched=True)
    source.apply(delete("a"))
    target.apply(create("b", "Bob", **SIP))  # somebody else
    [expired] = source.transfers.expire(20.0)
    assert expired.id == tid and states(expired) == ["requested", "left", "timed_out"]
    assert "not seen in meet.board" in expired.reason


def test_rejected_after_it_started_by_a_delete_with_a_reason() -> None:
    clock = FakeClock()
    source, _, _ = stores(clock)
    source.apply(create("a", "Alice"))
    tid = source.transfers.request("a", "gateway.reject", watched=False)
    source.apply(event("participant_delete", {"uuid": "a", "reason": "Call rejected"}))
    transfer = source.transfers.get(tid)
    assert transfer is not None
    assert (transfer.state, transfer.reason) == ("rejected", "Call rejected")
    assert states(transfer) == ["requested", "rejected"] and not transfer.succeeded


def test_a_plain_delete_of_someone_else_does_not_touch_the_transfer() -> None:
    source = ConferenceStore(clock=FakeClock())
    apply_all(source, [create("a", "Alice"), create("b", "Bob")])
    tid = source.transfers.request("a", "meet.board")
    source.apply(event("participant_delete", {"uuid": "b", "reason": "Call rejected"}))
    transfer = source.transfers.get(tid)
    assert transfer is not None and transfer.state == "requested"


def test_watch_later_makes_left_wait_for_the_arrival() -> None:
    clock = FakeClock()
    source, target, hub = stores(clock)
    source.apply(create("a", "Alice", **SIP))
    tid = source.transfers.request("a", "meet.board", watched=False)
    hub.opened("meet.board")
    source.apply(delete("a"))
    target.apply(create("x", "Alice", **SIP))
    assert states(source.transfers.get(tid)) == ["requested", "left", "arrived"]


def test_arrival_in_the_same_conference_is_not_an_arrival() -> None:
    clock = FakeClock()
    source, _, hub = stores(clock)
    source.apply(create("a", "Alice", **SIP))
    source.transfers.request("a", "meet.board", watched=True)
    assert hub.seen("meet.demo", participant("a")) == []
    assert hub.seen("MEET.BOARD", participant("a"))[0].state == "arrived"  # case-insensitive


@pytest.mark.parametrize("state", ["failed", "timed_out", "rejected", "arrived"])
def test_settled_transfers_ignore_later_sightings(state: str) -> None:
    clock = FakeClock(0.0)
    source, target, _ = stores(clock)
    source.apply(create("a", "Alice", **SIP))
    tid = source.transfers.request("a", "meet.board", watched=True)
    if state == "failed":
        source.transfers.fail(tid, "refused")
    elif state == "timed_out":
        source.transfers.expire(100.0)
    elif state == "rejected":
        source.apply(event("participant_delete", {"uuid": "a", "reason": "Call rejected"}))
    else:
        target.apply(create("z", "Alice", **SIP))
    target.apply(create("y", "Alice", **SIP))
    transfer = source.transfers.get(tid)
    assert transfer is not None and transfer.state == state
    assert states(transfer)[-1] == state and len(states(transfer)) == 2


def test_latest_for_and_the_identity_kept() -> None:
    source = ConferenceStore(clock=FakeClock())
    source.apply(create("a", "Alice", **SIP))
    first = source.transfers.request("a", "meet.board")
    source.transfers.fail(first, "refused")
    second = source.transfers.request("a", "townhall")
    latest = source.transfers.latest_for("a")
    assert latest is not None and latest.id == second
    assert latest.identity == Identity("a", "Alice", "sip:alice@example.com", "sip", "video")
    assert source.transfers.latest_for("nobody") is None
