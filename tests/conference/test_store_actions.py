"""Host actions: requested -> confirmed by the server's update / failed / unconfirmed."""

from __future__ import annotations

from typing import Any

import pytest

from pextui.conference import ConferenceStore
from tests.conference.conference_helpers import FakeClock, create, delete, event, new_store, update

PARTICIPANT_CASES: list[tuple[str, Any, dict[str, Any], dict[str, Any]]] = [
    # kind, value, state before, state that confirms
    ("mute", None, {"is_muted": "NO"}, {"is_muted": "YES"}),
    ("unmute", None, {"is_muted": "YES"}, {"is_muted": "NO"}),
    ("video_muted", None, {"is_video_muted": False}, {"is_video_muted": True}),
    ("video_unmuted", None, {"is_video_muted": True}, {"is_video_muted": False}),
    ("client_mute", None, {"is_client_muted": False}, {"is_client_muted": True}),
    ("client_unmute", None, {"is_client_muted": True}, {"is_client_muted": False}),
    ("spotlighton", None, {"spotlight": 0}, {"spotlight": 12345}),
    ("spotlightoff", None, {"spotlight": 12345}, {"spotlight": 0}),
    ("buzz", None, {"buzz_time": 0}, {"buzz_time": 5}),
    ("clearbuzz", None, {"buzz_time": 5}, {"buzz_time": 0}),
    ("role", "chair", {"role": "guest"}, {"role": "chair"}),
    ("role", "guest", {"role": "chair"}, {"role": "guest"}),
    ("unlock", None, {"service_type": "waiting_room"}, {"service_type": "conference"}),
    (
        "allowrxpresentation",
        None,
        {"rx_presentation_policy": "DENY"},
        {"rx_presentation_policy": "ALLOW"},
    ),
    (
        "denyrxpresentation",
        None,
        {"rx_presentation_policy": "ALLOW"},
        {"rx_presentation_policy": "DENY"},
    ),
    ("overlaytext", "Speaker", {"overlay_text": ""}, {"overlay_text": "Speaker"}),
]


@pytest.mark.parametrize(("kind", "value", "before", "after"), PARTICIPANT_CASES)
def test_participant_action_confirmed_by_matching_update(
    kind: str, value: Any, before: dict[str, Any], after: dict[str, Any]
) -> None:
    store = new_store()
    store.apply(create("a", "Alice", **before))
    action_id = store.actions.request(kind, "a", f"{kind} Alice", value=value)
    action = store.actions.get(action_id)
    assert action is not None and action.state == "requested"
    assert store.roster["a"].pending == (action,)

    store.apply(update("a", "Alice", **before, display_name_suffix="x"))  # unrelated change
    assert action.state == "requested"

    store.apply(update("a", "Alice", **after))
    assert action.state == "confirmed"
    assert store.roster["a"].pending == ()
    assert store.drain_changes().actions


def test_disconnect_confirmed_by_participant_delete() -> None:
    store = new_store()
    store.apply(create("a"))
    action_id = store.actions.request("disconnect", "a", "Disconnect A")
    store.apply(delete("a"))
    action = store.actions.get(action_id)
    assert action is not None and action.state == "confirmed"


def test_other_pending_actions_fail_when_the_participant_leaves() -> None:
    store = new_store()
    store.apply(create("a"))
    action_id = store.actions.request("mute", "a", "Mute A")
    store.apply(delete("a"))
    action = store.actions.get(action_id)
    assert action is not None
    assert (action.state, action.reason) == ("failed", "participant left the conference")


CONFERENCE_CASES: list[tuple[str, Any, str, dict[str, Any]]] = [
    ("lock", None, "conference_update", {"locked": True}),
    ("unlock", None, "conference_update", {"locked": False}),
    ("muteguests", None, "conference_update", {"guests_muted": True}),
    ("unmuteguests", None, "conference_update", {"guests_muted": False}),
    ("set_guests_can_unmute", True, "conference_update", {"guests_can_unmute": True}),
    ("start_conference", None, "conference_update", {"started": True}),
    ("transform_layout", "4:0", "layout", {"view": "4:0", "participants": []}),
]


@pytest.mark.parametrize(("kind", "value", "event_name", "data"), CONFERENCE_CASES)
def test_conference_action_confirmed_by_state(
    kind: str, value: Any, event_name: str, data: dict[str, Any]
) -> None:
    store = new_store()
    # Start from the opposite state so the action is not already satisfied.
    opposite = {k: (not v) if isinstance(v, bool) else v for k, v in data.items()}
    if event_name == "conference_update":
        store.apply(event("conference_update", opposite))
    action_id = store.actions.request(kind, None, kind, value=value)
    action = store.actions.get(action_id)
    assert action is not None and action.state == "requested"
    store.apply(event(event_name, data))
    assert action.state == "confirmed"


def test_clearallbuzz_confirmed_when_no_hands_remain() -> None:
    store = new_store()
    store.apply(create("a", buzz_time=1))
    store.apply(create("b", buzz_time=2))
    action_id = store.actions.request("clearallbuzz", None, "Lower all hands")
    store.apply(update("a", buzz_time=0))
    action = store.actions.get(action_id)
    assert action is not None and action.state == "requested"
    store.apply(update("b", buzz_time=0))
    assert action.state == "confirmed"


def test_disconnect_all_confirmed_when_only_self_remains() -> None:
    store = new_store()
    store.self_uuid = "me"
    store.apply(create("me"))
    store.apply(create("a"))
    action_id = store.actions.request("disconnect", None, "Disconnect everyone")
    store.apply(delete("a"))
    action = store.actions.get(action_id)
    assert action is not None and action.state == "confirmed"


def test_already_satisfied_is_confirmed_at_once() -> None:
    store = new_store()
    store.apply(create("a", is_muted="YES"))
    action = store.actions.get(store.actions.request("mute", "a", "Mute A"))
    assert action is not None
    assert action.state == "confirmed"
    assert action.reason == "already in the requested state"


def test_fail_with_reason_and_fail_is_idempotent() -> None:
    store = new_store()
    store.apply(create("a"))
    action_id = store.actions.request("mute", "a", "Mute A")
    store.actions.fail(action_id, "Invalid token")
    store.actions.fail(action_id, "second reason ignored")
    store.apply(update("a", is_muted="YES"))
    action = store.actions.get(action_id)
    assert action is not None
    assert (action.state, action.reason) == ("failed", "Invalid token")
    assert store.roster["a"].pending == ()


def test_expire_marks_old_actions_unconfirmed() -> None:
    clock = FakeClock(100.0)
    store = ConferenceStore(clock=clock, action_timeout=5.0)
    store.apply(create("a"))
    old = store.actions.request("mute", "a", "Mute A")
    clock.advance(3)
    young = store.actions.request("video_muted", "a", "Stop A's camera")
    assert store.actions.expire(104.0) == []
    expired = store.actions.expire(105.0)
    assert [a.id for a in expired] == [old]
    assert expired[0].state == "unconfirmed"
    assert "5 s" in expired[0].reason
    young_action = store.actions.get(young)
    assert young_action is not None and young_action.state == "requested"
    clock.advance(10)
    store.expire()
    assert young_action.state == "unconfirmed"


def test_unobservable_kind_confirmed_by_caller() -> None:
    store = new_store()
    action_id = store.actions.request("dtmf", "a", "Send DTMF")
    store.actions.confirm(action_id, "accepted by the server")
    action = store.actions.get(action_id)
    assert action is not None and action.state == "confirmed"
    assert [a.id for a in store.actions.recent()] == [action_id]
    assert store.actions.pending() == []


def test_pending_action_bumps_the_record_version() -> None:
    store = new_store()
    store.apply(create("a"))
    store.drain_changes()
    store.actions.request("mute", "a", "Mute A")
    assert store.roster["a"].version == 2
    assert "a" in store.drain_changes().changed


def test_action_for_a_participant_not_yet_known_attaches_when_it_joins() -> None:
    store = new_store()
    action_id = store.actions.request("mute", "late", "Mute the late joiner")
    store.apply(create("late", is_muted="NO"))
    action = store.actions.get(action_id)
    assert action is not None and store.roster["late"].pending == (action,)
    store.apply(update("late", is_muted="YES"))
    assert action.state == "confirmed" and store.roster["late"].pending == ()
