"""The attended-transfer state machine: every transition, allowed and refused."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from pextui.conference.attended import (
    Consult,
    ConsultBook,
    ConsultError,
    default_message,
)

BEN = "uuid-ben"


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def changes() -> list[tuple[int, str, str]]:
    return []


@pytest.fixture
def book(clock: Clock, changes: list[tuple[int, str, str]]) -> ConsultBook:
    return ConsultBook(clock, lambda c, line: changes.append((c.id, c.state, line)))


def state(consult: Consult) -> str:
    """The state, read without the type checker narrowing it between transitions."""
    return str(consult.state)


def is_live(consult: Consult) -> bool:
    return bool(consult.live)


def is_locked(consult: Consult) -> bool:
    return bool(consult.target_locked)


def message_state(consult: Consult) -> str:
    return str(consult.message_state)


def start(book: ConsultBook, uuid: str = BEN, target: str = "meet.demo") -> Consult:
    return book.start(uuid, "Ben Tanaka", "meet.board", target, role="guest", message="hi")


def test_default_message_names_the_participant() -> None:
    assert default_message("Ben Tanaka") == "Bringing you Ben Tanaka in 2 minutes — OK?"
    assert default_message("", 5) == "Bringing you a participant in 5 minutes — OK?"


def test_start_consulting_with_source_in_front(
    book: ConsultBook, changes: list[tuple[int, str, str]]
) -> None:
    consult = start(book)
    assert state(consult) == "consulting" and consult.live
    assert consult.front == "source" and consult.in_front == "meet.board"
    assert message_state(consult) == "unsent" and consult.message == "hi"
    assert consult.started_at == 100.0
    assert book.for_participant(BEN) is consult
    assert book.pending_target(BEN) == "meet.demo"
    assert changes == [(1, "consulting", consult.history[0])]
    assert "meet.demo" in consult.history[0] and "Ben Tanaka" in consult.history[0]


@pytest.mark.parametrize(
    ("uuid", "target", "role", "why"),
    [
        ("", "meet.demo", "guest", "no participant"),
        (BEN, "", "guest", "another conference"),
        (BEN, "meet.board", "guest", "another conference"),
        (BEN, "meet.demo", "chair", "unknown role"),
    ],
)
def test_start_refuses_bad_requests(
    book: ConsultBook, uuid: str, target: str, role: str, why: str
) -> None:
    with pytest.raises(ConsultError, match=why):
        book.start(uuid, "Ben", "meet.board", target, role=role)
    assert book.live() == [] and list(book.log) == []


def test_second_consult_for_the_same_participant_is_refused(book: ConsultBook) -> None:
    first = start(book)
    with pytest.raises(ConsultError, match=r"already in a consult with meet\.demo"):
        start(book, target="meet.other")
    assert book.live() == [first] and state(first) == "consulting"
    # another participant may be consulted about at the same time
    other = start(book, uuid="uuid-ana")
    assert {c.id for c in book.live()} == {first.id, other.id}


def test_second_consult_refused_while_completing(book: ConsultBook) -> None:
    first = start(book)
    book.complete(first.id)
    with pytest.raises(ConsultError, match="completing"):
        start(book)


@pytest.mark.parametrize("end", ["abort", "failed", "completed"])
def test_a_new_consult_after_the_first_ended(book: ConsultBook, end: str) -> None:
    first = start(book)
    if end == "abort":
        book.abort(first.id)
    else:
        book.complete(first.id)
        if end == "failed":
            book.complete_failed(first.id, "Invalid PIN")
        else:
            book.transfer_requested(first.id, 7)
    second = start(book, target="meet.other")
    assert second.id != first.id and book.for_participant(BEN) is second


def test_message_sending_then_sent(book: ConsultBook) -> None:
    consult = start(book)
    book.message_sending(consult.id)
    assert message_state(consult) == "sending"
    book.message_sent(consult.id, 2)
    assert message_state(consult) == "sent" and consult.message_reason == ""
    assert consult.history[-1] == "Message to meet.demo sent to 2 hosts directly"
    assert consult.message_to == "2 hosts directly"
    book.message_sent(consult.id, 1, chat=True)
    assert consult.history[-1] == (
        "Message to meet.demo sent to 1 host directly and the conference chat"
    )
    book.message_sent(consult.id, 0)
    assert consult.history[-1] == "Message to meet.demo sent to the conference chat"


def test_message_failed_keeps_consulting(book: ConsultBook) -> None:
    consult = start(book)
    book.message_failed(consult.id, "node refused")
    assert state(consult) == "consulting" and message_state(consult) == "failed"
    assert consult.message_reason == "node refused"
    book.message_sent(consult.id, 1)  # a retry
    assert message_state(consult) == "sent" and consult.message_reason == ""


def test_a_failed_message_can_be_tried_again(book: ConsultBook) -> None:
    consult = start(book)
    with pytest.raises(ConsultError, match="did not fail"):
        book.message_retry(consult.id)  # unsent: nothing to retry
    book.message_failed(consult.id, "502 Bad Gateway")
    book.message_retry(consult.id)
    assert message_state(consult) == "unsent" and state(consult) == "consulting"
    assert consult.history[-1] == "Message to the hosts of meet.demo: trying again"
    book.message_sent(consult.id, 1)
    assert message_state(consult) == "sent" and consult.message_reason == ""
    book.abort(consult.id)
    with pytest.raises(ConsultError, match="aborted"):
        book.message_retry(consult.id)  # ended: no retry


def test_swap_toggles_the_side_in_front(book: ConsultBook) -> None:
    consult = start(book)
    assert book.swap(consult.id) == "target"
    assert consult.in_front == "meet.demo" and state(consult) == "consulting"
    assert consult.history[-1] == "Swap: meet.demo in front"
    assert book.swap(consult.id) == "source"
    assert consult.in_front == "meet.board"


def test_swap_to_a_given_side(book: ConsultBook) -> None:
    consult = start(book)
    assert book.swap(consult.id, "source") == "source"  # already there: stays, logged
    assert book.swap(consult.id, "target") == "target"
    assert book.swap(consult.id, "target") == "target"
    assert consult.in_front == "meet.demo"


def test_swap_while_completing(book: ConsultBook) -> None:
    consult = start(book)
    book.complete(consult.id)
    assert book.swap(consult.id) == "target"
    assert state(consult) == "completing"


def test_complete_then_transfer_requested(book: ConsultBook, clock: Clock) -> None:
    consult = start(book)
    assert book.complete(consult.id) is consult
    assert state(consult) == "completing" and consult.live
    clock.now = 130.0
    book.transfer_requested(consult.id, 42)
    assert state(consult) == "completed" and not is_live(consult)
    assert consult.transfer_id == 42 and consult.ended_at == 130.0
    assert book.live() == [] and book.recent() == [consult]
    assert book.for_participant(BEN) is None and book.pending_target(BEN) is None
    assert book.get(consult.id) is consult


def test_failure_at_complete(book: ConsultBook) -> None:
    consult = start(book)
    book.complete(consult.id)
    book.complete_failed(consult.id, "Invalid PIN")
    assert state(consult) == "failed" and consult.reason == "Invalid PIN"
    assert consult.transfer_id is None
    assert consult.history[-1] == "Complete failed: Invalid PIN"
    assert book.live() == []


def test_abort_moves_nothing_and_is_logged(
    book: ConsultBook, changes: list[tuple[int, str, str]]
) -> None:
    consult = start(book)
    book.abort(consult.id)
    assert state(consult) == "aborted" and consult.reason == "aborted by the host"
    assert consult.transfer_id is None
    assert "Ben Tanaka stays" in book.log[-1]
    assert changes[-1][1] == "aborted"


def test_abort_refused_while_completing(book: ConsultBook) -> None:
    consult = start(book)
    book.complete(consult.id)
    with pytest.raises(ConsultError, match="completing"):
        book.abort(consult.id)
    assert state(consult) == "completing"


@pytest.mark.parametrize("end_state", ["completed", "aborted", "failed"])
@pytest.mark.parametrize(
    "transition",
    ["swap", "complete", "abort", "transfer_requested", "complete_failed", "message_sent"],
)
def test_no_transition_after_the_end(book: ConsultBook, end_state: str, transition: str) -> None:
    consult = start(book)
    if end_state == "aborted":
        book.abort(consult.id)
    else:
        book.complete(consult.id)
        if end_state == "failed":
            book.complete_failed(consult.id, "x")
        else:
            book.transfer_requested(consult.id, 1)
    calls: dict[str, Callable[[], object]] = {
        "swap": lambda: book.swap(consult.id),
        "complete": lambda: book.complete(consult.id),
        "abort": lambda: book.abort(consult.id),
        "transfer_requested": lambda: book.transfer_requested(consult.id, 2),
        "complete_failed": lambda: book.complete_failed(consult.id, "y"),
        "message_sent": lambda: book.message_sent(consult.id, 1),
    }
    with pytest.raises(ConsultError, match=end_state):
        calls[transition]()
    assert state(consult) == end_state


@pytest.mark.parametrize("transition", ["transfer_requested", "complete_failed"])
def test_outcome_of_complete_needs_completing(book: ConsultBook, transition: str) -> None:
    consult = start(book)
    with pytest.raises(ConsultError, match="consulting"):
        if transition == "transfer_requested":
            book.transfer_requested(consult.id, 1)
        else:
            book.complete_failed(consult.id, "x")
    assert state(consult) == "consulting"


def test_complete_twice_is_refused(book: ConsultBook) -> None:
    consult = start(book)
    book.complete(consult.id)
    with pytest.raises(ConsultError, match="completing"):
        book.complete(consult.id)


def test_unknown_consult(book: ConsultBook) -> None:
    with pytest.raises(ConsultError, match="no consult #9"):
        book.swap(9)


def test_participant_leaves_during_the_consult(book: ConsultBook) -> None:
    consult = start(book)
    other = start(book, uuid="uuid-ana")
    assert book.participant_left(BEN, "meet.board") == [consult]
    assert state(consult) == "aborted"
    assert consult.reason == "Ben Tanaka left meet.board during the consult"
    assert state(other) == "consulting"
    assert book.participant_left(BEN) == []  # already ended


def test_participant_leaving_another_conference_does_not_count(book: ConsultBook) -> None:
    consult = start(book)
    assert book.participant_left(BEN, "meet.elsewhere") == []
    assert state(consult) == "consulting"


def test_participant_leaving_while_completing_is_the_transfer(book: ConsultBook) -> None:
    consult = start(book)
    book.complete(consult.id)
    assert book.participant_left(BEN) == []
    assert state(consult) == "completing"


def test_target_ends_during_the_consult(book: ConsultBook) -> None:
    consult = start(book)
    elsewhere = start(book, uuid="uuid-ana", target="meet.other")
    assert book.target_ended("meet.demo") == [consult]
    assert state(consult) == "aborted"
    assert consult.reason == "meet.demo ended during the consult"
    assert state(elsewhere) == "consulting"
    assert book.target_ended("meet.demo", "disconnected us") == []


def test_target_ending_while_completing_is_left_to_the_tracker(book: ConsultBook) -> None:
    consult = start(book)
    book.complete(consult.id)
    assert book.target_ended("meet.demo") == []
    assert state(consult) == "completing"


def test_target_locks_and_unlocks_during_the_consult(book: ConsultBook) -> None:
    consult = start(book)
    assert book.target_lock_changed("meet.demo", True) == [consult]
    assert consult.target_locked and state(consult) == "consulting"
    assert "would wait in its waiting room" in consult.history[-1]
    assert book.target_lock_changed("meet.demo", True) == []  # no change, no line
    assert book.target_lock_changed("meet.demo", False) == [consult]
    assert not is_locked(consult) and consult.history[-1] == "meet.demo unlocked"


def test_target_locked_for_a_host_transfer(book: ConsultBook) -> None:
    consult = book.start(BEN, "Ben", "meet.board", "meet.demo", role="host")
    book.target_lock_changed("meet.demo", True)
    assert consult.history[-1] == "meet.demo locked"
    book.complete(consult.id)  # a locked target does not block completing
    assert state(consult) == "completing"


def test_lock_of_another_conference_is_ignored(book: ConsultBook) -> None:
    consult = start(book)
    assert book.target_lock_changed("meet.board", True) == []
    assert not consult.target_locked


def test_history_is_bounded_and_iterable(book: ConsultBook) -> None:
    ids = []
    for n in range(60):
        consult = start(book, uuid=f"p{n}")
        book.abort(consult.id)
        ids.append(consult.id)
    assert len(book.recent()) == 50
    assert book.get(ids[0]) is None and book.get(ids[-1]) is not None
    assert [c.id for c in book] == ids[10:]


def test_to_json(book: ConsultBook) -> None:
    consult = start(book)
    data = consult.to_json()
    assert data["state"] == "consulting" and data["target"] == "meet.demo"
    assert data["front"] == "source" and data["transfer_id"] is None
