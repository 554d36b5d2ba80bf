"""Property tests of ConferenceStore: any event sequence, never an exception, and the
derived views always equal a from-scratch computation over the roster (model-based).

The ``fuzz`` variant runs ``PEXTUI_FUZZ_EXAMPLES`` sequences (default 1,000;
``pytest -m fuzz``, see tests/fuzzing.py).
"""

from __future__ import annotations

import json
from typing import Any
from unittest.mock import patch

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pextui.conference import ConferenceStore, sortedkeys
from pextui.conference.actions import CONFERENCE_CHECKS, PARTICIPANT_CHECKS
from pextui.protocol.models import MalformedEventError, parse_event
from tests.conference.conference_helpers import FakeClock, expected_order
from tests.fuzzing import FUZZ_EXAMPLES

UUIDS = ["a", "b", "c", "d", "e", "F", "me"]
NAMES = ["alice", "Alice", "ALICE", "bob", "", "Émile", "\x1b[31mx", "[b]y[/b]", "z" * 300]
TIMES = [0, 0, 1, 2, 2, 5.5, -1, 1e300]
hostile = (
    st.text(max_size=30)
    | st.sampled_from(["\x00", "\u202e", "[red]", "\x1b[2J"])
    | st.integers(1000, 5000).map(lambda n: "A" * n)
)


@st.composite
def participant(draw: st.DrawFn) -> dict[str, Any]:
    obj: dict[str, Any] = {
        "uuid": draw(st.sampled_from(UUIDS)),
        "display_name": draw(st.sampled_from(NAMES) | hostile),
        "role": draw(st.sampled_from(["chair", "guest"])),
        "is_muted": draw(st.sampled_from(["YES", "NO"])),
        "is_video_muted": draw(st.booleans()),
        "is_presenting": draw(st.sampled_from(["YES", "NO"])),
        "buzz_time": draw(st.sampled_from(TIMES)),
        "spotlight": draw(st.sampled_from(TIMES)),
        "start_time": draw(st.sampled_from(TIMES)),
        "last_spoken_time": draw(st.sampled_from(TIMES)),
        "service_type": draw(st.sampled_from(["conference", "waiting_room", "lecture", ""])),
        "uri": draw(st.sampled_from(["", "sip:alice@x", "bob@corp"])),
        "local_alias": draw(st.sampled_from(["", "meet.demo"])),
    }
    for field in draw(st.lists(st.sampled_from(sorted(obj)), max_size=3)):
        if field != "uuid":
            obj.pop(field, None)  # v28-style subsets
    if draw(st.integers(0, 9)) == 0:
        obj[draw(st.sampled_from(sorted(obj)))] = draw(st.none() | st.integers() | hostile)
    return obj


stage = st.lists(
    st.fixed_dictionaries(
        {
            "participant_uuid": st.sampled_from(UUIDS),
            "stage_index": st.integers(0, 5),
            "vad": st.sampled_from([0, 100]),
        }
    ),
    max_size=4,
)
junk = st.recursive(
    st.none() | st.booleans() | st.integers() | hostile,
    lambda kids: (
        st.lists(kids, max_size=3) | st.dictionaries(st.text(max_size=6), kids, max_size=3)
    ),
    max_leaves=10,
)

events = st.one_of(
    st.tuples(st.sampled_from(["participant_create", "participant_update"]), participant()),
    st.tuples(
        st.just("participant_delete"), st.builds(lambda u: {"uuid": u}, st.sampled_from(UUIDS))
    ),
    st.tuples(st.sampled_from(["participant_sync_begin", "participant_sync_end"]), st.just({})),
    st.tuples(st.just("stage"), stage),
    st.tuples(
        st.just("presentation_start"),
        st.fixed_dictionaries(
            {"presenter_uuid": st.sampled_from([*UUIDS, ""]), "presenter_name": hostile}
        ),
    ),
    st.tuples(st.just("presentation_stop"), st.just(None)),
    st.tuples(
        st.just("conference_update"),
        st.fixed_dictionaries(
            {"locked": st.booleans(), "guests_muted": st.booleans(), "started": st.booleans()}
        ),
    ),
    st.tuples(st.just("layout"), st.fixed_dictionaries({"view": st.sampled_from(["1:7", "4:0"])})),
    st.tuples(
        st.just("message_received"),
        st.fixed_dictionaries(
            {"origin": hostile, "payload": hostile, "uuid": st.sampled_from(UUIDS)}
        ),
    ),
    st.tuples(
        st.just("breakout_event"),
        st.fixed_dictionaries(
            {
                "breakout_uuid": st.sampled_from(["r1", "r2"]),
                "event": st.sampled_from(["participant_create", "participant_delete", "bogus"]),
                "data": participant(),
            }
        ),
    ),
    st.tuples(
        st.sampled_from(["breakout_begin", "breakout_end"]),
        st.fixed_dictionaries({"breakout_uuid": st.sampled_from(["r1", "r2"])}),
    ),
    st.tuples(st.sampled_from(["disconnect", "refer", "cancel_refer", "splash_screen"]), junk),
    st.tuples(st.text(max_size=12), junk),
)

ACTION_KINDS = sorted({*PARTICIPANT_CHECKS, *CONFERENCE_CHECKS, "dtmf"})
steps = st.one_of(
    st.tuples(st.just("event"), events),
    st.tuples(st.just("event"), events),
    st.tuples(st.just("event"), events),
    st.tuples(
        st.just("sort"),
        st.tuples(st.sampled_from(["name", "role", "joined", "hand", "spoken"]), st.booleans()),
    ),
    st.tuples(st.just("filter"), st.sampled_from(["", "ali", "ALICE", "sip", "é", "meet", "zz"])),
    st.tuples(
        st.just("action"),
        st.tuples(
            st.sampled_from(ACTION_KINDS),
            st.none() | st.sampled_from(UUIDS),
            st.none() | st.sampled_from(["chair", "guest", "1:7"]) | st.booleans(),
        ),
    ),
    st.tuples(st.just("fail"), st.integers(1, 20)),
    st.tuples(st.just("expire"), st.floats(0, 40)),
    st.tuples(st.just("transfer"), st.sampled_from(UUIDS)),
    st.tuples(st.just("transfer_fail"), st.integers(1, 10)),
    st.tuples(st.just("drain"), st.none()),
    st.tuples(st.just("self"), st.sampled_from(UUIDS)),
)


def run_step(store: ConferenceStore, clock: FakeClock, step: tuple[str, Any]) -> None:
    kind, arg = step
    clock.advance(0.5)
    if kind == "event":
        name, data = arg
        try:
            parsed = parse_event(name, json.dumps(data))
        except MalformedEventError:
            return
        if parsed is not None:
            store.apply(parsed)
    elif kind == "sort":
        store.index.set_sort(*arg)
    elif kind == "filter":
        store.index.set_filter(arg)
    elif kind == "action":
        action_kind, uuid, value = arg
        store.actions.request(action_kind, uuid, f"{action_kind} test", value=value)
    elif kind == "fail":
        store.actions.fail(arg, "Server said no")
    elif kind == "expire":
        clock.advance(arg)
        store.expire()
    elif kind == "transfer":
        store.transfers.request(arg, "meet.other", "guest")
    elif kind == "transfer_fail":
        store.transfers.fail(arg, "transfer failed")
    elif kind == "drain":
        store.drain_changes()
    elif kind == "self":
        store.self_uuid = arg


def check_invariants(store: ConferenceStore) -> None:
    roster = store.roster
    order = expected_order(store)
    assert list(store.index) == order
    assert len(store.index) == len(order)
    assert [store.index.position(uuid) for uuid in order] == list(range(len(order)))
    for uuid in roster:
        if uuid not in order:
            assert store.index.position(uuid) is None

    def by_time(field: str) -> list[str]:
        pairs = [(getattr(r.participant, field), u) for u, r in roster.items()]
        return [u for when, u in sorted(pairs) if when > 0]

    assert list(store.raised_hands) == by_time("buzz_time")
    assert list(store.spotlight) == by_time("spotlight")
    waiting = store.waiting_room
    assert len(set(waiting)) == len(waiting)
    assert set(waiting) == {
        u for u, r in roster.items() if r.participant.service_type == "waiting_room"
    }
    for uuid, record in roster.items():
        assert record.uuid == uuid == record.participant.uuid
        assert record.version >= 1
        assert record.pending == store.actions.for_participant(uuid)
        assert all(action.state == "requested" for action in record.pending)
    assert all(action.state == "requested" for action in store.actions.pending())
    assert all(t.state == "requested" for t in store.transfers.active())
    for room in store.breakouts.values():
        assert list(room.store.index) == expected_order(room.store)


def run_sequence(sequence: list[tuple[str, Any]]) -> None:
    clock = FakeClock(1_000.0)
    store = ConferenceStore(clock=clock, action_timeout=5.0, transfer_timeout=10.0)
    # Tiny blocks so that splits and block removals in the sorted keys are exercised too.
    with patch.object(sortedkeys, "LOAD", 2):
        for step in sequence:
            run_step(store, clock, step)
            check_invariants(store)
    json.dumps(store.snapshot())


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(steps, max_size=50))
def test_any_sequence_keeps_the_views_consistent(sequence: list[tuple[str, Any]]) -> None:
    run_sequence(sequence)


@pytest.mark.fuzz
@settings(max_examples=FUZZ_EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck))
@given(st.lists(steps, max_size=80))
def test_store_fuzz(sequence: list[tuple[str, Any]]) -> None:
    run_sequence(sequence)
