"""The roster and the sync semantics of ConferenceStore."""

from __future__ import annotations

from tests.conference.conference_helpers import (
    FakeClock,
    apply_all,
    create,
    delete,
    event,
    new_store,
    person,
    sync,
    update,
)


def test_sync_replaces_the_roster_at_sync_end() -> None:
    store = new_store()
    apply_all(store, sync(person("a"), person("b")))
    assert set(store.roster) == {"a", "b"}
    store.drain_changes()

    store.apply(event("participant_sync_begin"))
    store.apply(create("b"))
    store.apply(create("c"))
    # Double-buffered: the old roster stays visible until the sync ends.
    assert set(store.roster) == {"a", "b"}
    assert store.syncing
    store.apply(event("participant_sync_end"))

    assert set(store.roster) == {"b", "c"}
    assert not store.syncing
    changes = store.drain_changes()
    assert changes.resynced
    assert changes.removed == {"a"}
    assert changes.changed == {"c"}  # "b" came back identical: nothing to redraw


def test_sync_keeps_version_and_join_time_of_returning_participants() -> None:
    clock = FakeClock(50.0)
    store = new_store(clock)
    apply_all(store, sync(person("a")))
    first = store.roster["a"]
    assert (first.version, first.joined_at) == (1, 50.0)
    clock.advance(10)
    apply_all(store, sync(person("a", is_muted="YES")))
    again = store.roster["a"]
    assert again.version == 2
    assert again.joined_at == 50.0
    assert again.participant.is_muted == "YES"


def test_nested_sync_begin_starts_over() -> None:
    store = new_store()
    store.apply(event("participant_sync_begin"))
    store.apply(create("a"))
    store.apply(event("participant_sync_begin"))
    store.apply(create("b"))
    store.apply(event("participant_sync_end"))
    assert set(store.roster) == {"b"}


def test_unterminated_sync_leaves_the_previous_roster() -> None:
    store = new_store()
    apply_all(store, sync(person("a")))
    store.apply(event("participant_sync_begin"))
    store.apply(create("b"))
    assert set(store.roster) == {"a"}
    assert list(store.index) == ["a"]


def test_sync_end_without_begin_is_ignored() -> None:
    store = new_store()
    store.apply(create("a"))
    store.apply(event("participant_sync_end"))
    assert set(store.roster) == {"a"}


def test_events_during_a_sync_go_to_the_new_roster() -> None:
    store = new_store()
    store.apply(event("participant_sync_begin"))
    store.apply(create("a"))
    store.apply(create("b"))
    store.apply(update("a", "Renamed"))
    store.apply(update("zz", "Unknown"))  # unknown in this sync: ignored
    store.apply(delete("b"))
    store.apply(event("participant_sync_end"))
    assert set(store.roster) == {"a"}
    assert store.roster["a"].participant.display_name == "Renamed"


def test_create_update_delete_outside_a_sync() -> None:
    clock = FakeClock(7.0)
    store = new_store(clock)
    store.apply(create("a", "Alice", start_time=1234.5))
    record = store.roster["a"]
    assert record.version == 1
    assert record.joined_at == 1234.5  # the server's start_time wins over the clock
    store.apply(update("a", "Alice", is_muted="YES"))
    assert store.roster["a"].version == 2
    assert store.roster["a"].participant.is_muted == "YES"
    store.apply(delete("a"))
    assert "a" not in store.roster
    assert len(store.index) == 0


def test_joined_at_falls_back_to_the_clock() -> None:
    store = new_store(FakeClock(99.0))
    store.apply(create("a"))
    assert store.roster["a"].joined_at == 99.0


def test_identical_update_changes_nothing() -> None:
    store = new_store()
    store.apply(create("a"))
    store.drain_changes()
    store.apply(update("a"))
    assert store.roster["a"].version == 1
    assert not store.drain_changes()


def test_update_and_delete_of_unknown_uuids_are_ignored() -> None:
    store = new_store()
    store.apply(create("a"))
    store.drain_changes()
    store.apply(update("ghost"))
    store.apply(delete("ghost"))
    assert set(store.roster) == {"a"}
    assert not store.drain_changes()


def test_create_of_a_known_uuid_overwrites_it() -> None:
    store = new_store()
    store.apply(create("a", "Old"))
    store.apply(create("a", "New"))
    assert len(store.roster) == 1
    assert store.roster["a"].participant.display_name == "New"
    assert store.roster["a"].version == 2


def test_v28_participant_without_newer_fields() -> None:
    store = new_store()
    store.apply(event("participant_create", {"uuid": "x", "display_name": "Old Endpoint"}))
    record = store.roster["x"]
    assert record.participant.has_media is False
    assert record.participant.service_type == "conference"
    assert list(store.index) == ["x"]


def test_waiting_room_in_arrival_order() -> None:
    store = new_store()
    store.apply(create("b", service_type="waiting_room"))
    store.apply(create("a", service_type="waiting_room"))
    store.apply(create("c"))
    assert store.waiting_room == ("b", "a")
    store.drain_changes()
    store.apply(update("b", service_type="conference"))  # admitted
    assert store.waiting_room == ("a",)
    assert store.drain_changes().waiting
    store.apply(delete("a"))
    assert store.waiting_room == ()


def test_raised_hands_ordered_by_buzz_time() -> None:
    store = new_store()
    store.apply(create("a", buzz_time=30))
    store.apply(create("b", buzz_time=10))
    store.apply(create("c"))
    assert store.raised_hands == ("b", "a")
    store.apply(update("c", buzz_time=20))
    assert store.raised_hands == ("b", "c", "a")
    store.apply(update("b", buzz_time=0))
    assert store.raised_hands == ("c", "a")
    store.apply(delete("a"))
    assert store.raised_hands == ("c",)
    assert store.drain_changes().hands


def test_hands_and_spotlight_after_a_sync() -> None:
    store = new_store()
    apply_all(
        store,
        sync(person("a", buzz_time=5, spotlight=9), person("b", buzz_time=3), person("c")),
    )
    assert store.raised_hands == ("b", "a")
    assert store.spotlight == ("a",)


def test_spotlight_in_spotlight_order() -> None:
    store = new_store()
    store.apply(create("a", spotlight=200))
    store.apply(create("b", spotlight=100))
    assert store.spotlight == ("b", "a")
    store.apply(update("b", spotlight=0))
    assert store.spotlight == ("a",)


def test_presentation_from_events_and_participant_flag() -> None:
    store = new_store()
    store.apply(create("a", "Alice"))
    store.apply(event("presentation_start", {"presenter_name": "Alice", "presenter_uuid": "a"}))
    assert store.presentation is not None
    assert (store.presentation.uuid, store.presentation.name) == ("a", "Alice")
    store.apply(event("presentation_stop", None))
    assert store.presentation is None

    store.apply(update("a", "Alice", is_presenting="YES"))
    assert store.presentation is not None and store.presentation.uuid == "a"
    store.apply(update("a", "Alice", is_presenting="NO"))
    assert store.presentation is None

    store.apply(update("a", "Alice", is_presenting="YES"))
    store.apply(delete("a"))
    assert store.presentation is None
    assert store.drain_changes().presentation


def test_presentation_start_all_empty_means_revoked() -> None:
    store = new_store()
    store.apply(event("presentation_start", {"presenter_name": "Bob", "presenter_uuid": "b"}))
    store.apply(
        event(
            "presentation_start", {"presenter_name": "", "presenter_uri": "", "presenter_uuid": ""}
        )
    )
    assert store.presentation is None


def test_stage_sets_order_and_last_spoken() -> None:
    clock = FakeClock(500.0)
    store = new_store(clock)
    store.apply(create("a"))
    store.apply(create("b"))
    store.apply(
        event(
            "stage",
            [
                {"participant_uuid": "b", "stage_index": 1, "vad": 0},
                {"participant_uuid": "a", "stage_index": 0, "vad": 100},
            ],
        )
    )
    assert [e.participant_uuid for e in store.stage] == ["a", "b"]
    assert store.roster["a"].last_spoken == 500.0
    assert store.roster["b"].last_spoken == 0.0
    assert store.roster["a"].version == 2
    changes = store.drain_changes()
    assert changes.stage and "a" in changes.changed


def test_conference_status_layout_and_flags() -> None:
    store = new_store()
    store.apply(
        event("conference_update", {"locked": True, "guests_muted": False, "started": True})
    )
    assert store.status.locked and store.status.started
    store.apply(event("layout", {"view": "1:7", "participants": ["a"]}))
    assert store.layout is not None and store.layout.view == "1:7"
    changes = store.drain_changes()
    assert changes.status and changes.layout


def test_chat_log_is_bounded_and_numbered() -> None:
    from pextui.conference import ConferenceStore

    store = ConferenceStore(clock=FakeClock(), chat_limit=3)
    for n in range(5):
        store.apply(
            event(
                "message_received",
                {"origin": "A", "uuid": "a", "type": "text/plain", "payload": f"m{n}"},
            )
        )
    assert [entry.payload for entry in store.chat] == ["m2", "m3", "m4"]
    assert [entry.seq for entry in store.chat] == [3, 4, 5]
    assert [entry.payload for entry in store.chat.since(4)] == ["m4"]
    assert store.drain_changes().chat


def test_record_sent_message_uses_own_name() -> None:
    store = new_store()
    store.self_uuid = "me"
    store.apply(create("me", "Host"))
    store.record_sent_message("hello")
    entry = store.chat[-1]
    assert (entry.origin, entry.payload, entry.local, entry.sender_uuid) == (
        "Host",
        "hello",
        True,
        "me",
    )


def test_refer_disconnect_and_cancel() -> None:
    store = new_store()
    store.apply(event("refer", {"alias": "meet.other", "token": "one-time"}))
    assert store.refer is not None and store.refer.alias == "meet.other"
    store.apply(event("cancel_refer", {"reason": "x"}))
    assert store.refer is None
    store.apply(event("disconnect", {"reason": "Disconnected by an administrator"}))
    assert store.disconnected
    assert store.disconnect_reason == "Disconnected by an administrator"
    changes = store.drain_changes()
    assert changes.refer and changes.disconnect


def test_captions_and_splash_screen() -> None:
    store = new_store()
    store.apply(event("live_captions", {"data": "hello", "is_final": True}))
    assert store.caption is not None and store.caption.data == "hello"
    store.apply(event("splash_screen", {"screen_key": "welcome", "display_duration": 5}))
    assert store.splash is not None and store.splash.screen_key == "welcome"
    store.apply(event("splash_screen", None))
    assert store.splash is None


def test_breakout_rooms_have_their_own_store() -> None:
    store = new_store()
    store.apply(event("breakout_begin", {"breakout_uuid": "r1", "participant_uuid": "me-in-r1"}))
    store.apply(
        event(
            "breakout_event",
            {"breakout_uuid": "r1", "event": "participant_create", "data": person("x")},
        )
    )
    room = store.breakouts["r1"]
    assert room.participant_uuid == "me-in-r1"
    assert set(room.store.roster) == {"x"}
    assert "x" not in store.roster
    store.apply(event("breakout_end", {"breakout_uuid": "r1", "participant_uuid": "me-in-r1"}))
    assert store.breakouts == {}
    assert store.drain_changes().breakouts


def test_events_without_a_store_effect_are_accepted() -> None:
    store = new_store()
    for name, data in [
        ("refresh_token", {}),
        ("on_hold", True),
        ("fecc", {"action": "start", "movement": []}),
        ("call_disconnected", {"call_uuid": "c"}),
        ("presentation_frame", {}),
        ("peer_disconnect", {}),
    ]:
        store.apply(event(name, data))
    assert not store.drain_changes()


def test_me_follows_self_uuid() -> None:
    store = new_store()
    store.apply(create("me", "Host", role="chair"))
    assert store.me is None
    store.self_uuid = "me"
    assert store.me is not None and store.me.participant.is_host


def test_presentation_start_with_status_stop_clears() -> None:
    store = new_store()
    store.apply(event("presentation_start", {"presenter_name": "Bob", "presenter_uuid": "b"}))
    store.apply(event("presentation_start", {"presenter_uuid": "b", "status": "stop"}))
    assert store.presentation is None


def test_presenter_name_falls_back_to_the_roster() -> None:
    store = new_store()
    store.apply(create("b", "Bob Builder"))
    store.apply(event("presentation_start", {"presenter_uuid": "b"}))
    assert store.presentation is not None and store.presentation.name == "Bob Builder"
