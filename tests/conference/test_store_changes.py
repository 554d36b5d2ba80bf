"""The change feed and the JSON snapshot."""

from __future__ import annotations

import json

from pextui.conference import Changes
from tests.conference.conference_helpers import create, delete, event, new_store, update


def test_drain_returns_changes_once() -> None:
    store = new_store()
    store.apply(create("a"))
    first = store.drain_changes()
    assert first.changed == {"a"}
    assert first.roster_order
    assert not first.hands and not first.spotlight  # no hand raised, nobody spotlighted
    assert not store.drain_changes()
    store.apply(update("a", buzz_time=4))
    assert store.drain_changes().flags() == ["hands"]  # name sort: the row does not move


def test_changed_then_removed_reports_only_removed() -> None:
    store = new_store()
    store.apply(create("a"))
    store.drain_changes()
    store.apply(update("a", "Renamed"))
    store.apply(delete("a"))
    changes = store.drain_changes()
    assert changes.changed == set()
    assert changes.removed == {"a"}


def test_removed_then_created_reports_changed() -> None:
    store = new_store()
    store.apply(create("a"))
    store.drain_changes()
    store.apply(delete("a"))
    store.apply(create("a"))
    changes = store.drain_changes()
    assert changes.changed == {"a"}
    assert changes.removed == set()


def test_flags_lists_set_flags() -> None:
    changes = Changes(status=True, chat=True)
    assert changes.flags() == ["status", "chat"]
    assert changes
    assert not Changes()


def test_snapshot_is_json_and_leaves_out_the_refer_token() -> None:
    store = new_store()
    store.self_uuid = "a"
    store.apply(create("a", "Alice", buzz_time=3, service_type="waiting_room"))
    store.apply(
        event("conference_update", {"locked": True, "guests_muted": False, "started": True})
    )
    store.apply(event("stage", [{"participant_uuid": "a", "stage_index": 0, "vad": 100}]))
    store.apply(event("layout", {"view": "1:7", "participants": ["a"]}))
    store.apply(
        event(
            "message_received", {"origin": "A", "uuid": "a", "type": "text/plain", "payload": "hi"}
        )
    )
    store.apply(event("refer", {"alias": "meet.x", "token": "SECRET-TOKEN"}))
    store.apply(event("breakout_begin", {"breakout_uuid": "r", "participant_uuid": "me2"}))
    store.actions.request("mute", "a", "Mute Alice")
    store.transfers.request("a", "meet.board")

    text = json.dumps(store.snapshot())
    assert "SECRET-TOKEN" not in text
    snap = json.loads(text)
    assert snap["self_uuid"] == "a"
    assert snap["status"]["locked"] is True
    assert [r["participant"]["uuid"] for r in snap["roster"]] == ["a"]
    assert snap["roster"][0]["pending"][0]["kind"] == "mute"
    assert snap["waiting_room"] == ["a"] and snap["raised_hands"] == ["a"]
    assert snap["stage"][0]["participant_uuid"] == "a"
    assert snap["layout"]["view"] == "1:7"
    assert snap["chat"][0]["payload"] == "hi"
    assert snap["refer"]["alias"] == "meet.x"
    assert snap["view"]["order"] == ["a"]
    assert snap["transfers"][0]["target_alias"] == "meet.board"
    assert snap["breakouts"]["r"]["participant_uuid"] == "me2"
