"""Transfers as outcomes: requested -> left (participant left) | failed | timed out."""

from __future__ import annotations

from pextui.conference import ConferenceStore
from tests.conference.conference_helpers import (
    FakeClock,
    apply_all,
    create,
    delete,
    new_store,
    person,
    sync,
)


def test_transferred_when_the_participant_leaves() -> None:
    store = new_store()
    store.apply(create("a", "Alice"))
    transfer_id = store.transfers.request("a", "meet.board", "guest")
    transfer = store.transfers.get(transfer_id)
    assert transfer is not None
    assert (transfer.state, transfer.display_name, transfer.target_alias) == (
        "requested",
        "Alice",
        "meet.board",
    )
    assert store.transfers.active() == [transfer]
    store.apply(delete("a"))
    assert transfer.state == "left"
    assert store.transfers.active() == []
    assert store.drain_changes().transfers


def test_transferred_when_missing_from_a_resync() -> None:
    store = new_store()
    apply_all(store, sync(person("a"), person("b")))
    transfer_id = store.transfers.request("a", "meet.board", "chair")
    apply_all(store, sync(person("b")))
    transfer = store.transfers.get(transfer_id)
    assert transfer is not None and transfer.state == "left"


def test_failed_by_the_caller_with_the_reason() -> None:
    store = new_store()
    store.apply(create("a"))
    transfer_id = store.transfers.request("a", "nowhere", "guest")
    store.transfers.fail(transfer_id, "transfer failed")
    store.apply(delete("a"))  # leaving later does not turn a failure into success
    transfer = store.transfers.get(transfer_id)
    assert transfer is not None
    assert (transfer.state, transfer.reason) == ("failed", "transfer failed")


def test_unknown_participant_fails_at_once() -> None:
    store = new_store()
    transfer = store.transfers.get(store.transfers.request("ghost", "meet.board"))
    assert transfer is not None
    assert transfer.state == "failed"
    assert "not in this conference" in transfer.reason


def test_expire_fails_a_transfer_that_never_left() -> None:
    clock = FakeClock(0.0)
    store = ConferenceStore(clock=clock, transfer_timeout=20.0)
    store.apply(create("a"))
    transfer_id = store.transfers.request("a", "meet.board")
    assert store.transfers.expire(19.0) == []
    [expired] = store.transfers.expire(20.0)
    assert expired.id == transfer_id
    assert expired.state == "timed_out"
    assert "still in this conference" in expired.reason
    assert [t.id for t in store.transfers.recent()] == [transfer_id]
