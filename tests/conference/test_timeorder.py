"""TimeOrder (raised hands, spotlight) against a sorted reference, whatever the key order."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from pextui.conference.timeorder import TimeOrder

uuids = st.sampled_from([f"u{n}" for n in range(8)])
steps = st.lists(
    st.tuples(st.sampled_from(["upsert", "discard", "read", "rebuild"]), uuids, st.integers(0, 9)),
    max_size=60,
)


@settings(max_examples=300, deadline=None)
@given(steps)
def test_matches_a_sorted_reference(sequence: list[tuple[str, str, int]]) -> None:
    order = TimeOrder()
    reference: dict[str, tuple[float, str]] = {}
    for op, uuid, when in sequence:
        key = (float(when), uuid)
        if op == "upsert":
            assert order.upsert(uuid, key) == (reference.get(uuid) != key)
            reference[uuid] = key
        elif op == "discard":
            assert order.discard(uuid) == (reference.pop(uuid, None) is not None)
        elif op == "rebuild":
            reference = {uuid: key, f"{uuid}x": (float(when + 1), f"{uuid}x")}
            order.rebuild([(f"{uuid}x", reference[f"{uuid}x"]), (uuid, key)])
        else:
            assert list(order) == sorted(reference, key=reference.__getitem__)
        assert len(order) == len(reference)
        assert order.key_of(uuid) == reference.get(uuid)
        assert (uuid in order) == (uuid in reference)
    assert list(order) == sorted(reference, key=reference.__getitem__)


def test_in_order_times_are_appended_and_a_late_one_is_sorted_on_read() -> None:
    order = TimeOrder()
    for number, uuid in enumerate("abc"):
        order.upsert(uuid, (float(number + 1), uuid))
    order.upsert("z", (0.5, "z"))  # an earlier time than every present one
    order.discard("b")
    assert list(order) == ["z", "a", "c"]
    order.upsert("a", (9.0, "a"))  # raised again, later
    assert list(order) == ["z", "c", "a"]
    order.clear()
    assert list(order) == [] and len(order) == 0
