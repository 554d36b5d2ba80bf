"""The chat log's private messages and dividers, in the store."""

from __future__ import annotations

from tests.conference.conference_helpers import create, event, new_store


def test_direct_messages_received_and_sent_are_kept_private() -> None:
    store = new_store()
    store.self_uuid = "me"
    store.apply(create("me", "Host"))
    body = {"origin": "Alice", "uuid": "a", "type": "text/plain", "payload": "psst"}
    store.apply(event("message_received", {**body, "direct": True}))
    store.apply(event("message_received", {**body, "payload": "hi all"}))
    store.record_sent_message("only you", direct=True, recipient="Alice")
    assert [(e.payload, e.direct, e.local, e.recipient) for e in store.chat] == [
        ("psst", True, False, ""),
        ("hi all", False, False, ""),
        ("only you", True, True, "Alice"),
    ]
    assert store.snapshot()["chat"][2]["recipient"] == "Alice"
    assert store.drain_changes().chat


def test_a_divider_is_an_entry_of_its_own_kind() -> None:
    store = new_store()
    store.chat_divider("Moved to Board Meeting · meet.board")
    assert store.drain_changes().chat
    (entry,) = list(store.chat)
    assert entry.is_divider and not entry.local and not entry.direct
    assert entry.to_json()["kind"] == "divider"
    assert store.chat.since(0) == [entry]
