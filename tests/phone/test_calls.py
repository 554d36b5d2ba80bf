"""The shared call model: transfer outcomes move only forward; callers shown safely."""

from __future__ import annotations

import pytest

from pextui.phone.calls import Call, CallBook, CallTransfer


def transfer(timeout: float = 10.0) -> CallTransfer:
    return CallTransfer("meet.demo", "8001", "blind", requested_at=100.0, timeout=timeout)


def test_transfer_moves_forward_through_every_step() -> None:
    t = transfer()
    assert t.advance("accepted", 101.0)
    assert t.advance("left", 102.0)
    assert not t.advance("accepted", 103.0)  # a late report never moves it back
    assert t.state == "left"
    assert t.advance("arrived", 104.0)
    assert t.settled and t.updated_at == 104.0


def test_left_can_come_before_accepted() -> None:
    t = transfer()
    assert t.advance("left", 101.0)  # the 30011 event raced the HTTP answer
    assert not t.advance("accepted", 101.5)
    assert t.state == "left"


def test_a_settled_transfer_never_changes() -> None:
    t = transfer()
    assert t.advance("failed", 101.0, "NUMBER NOT FOUND")
    assert not t.advance("arrived", 102.0)
    assert not t.advance("timed_out", 102.0, "late")
    assert (t.state, t.reason) == ("failed", "NUMBER NOT FOUND")


@pytest.mark.parametrize(
    ("reached", "waiting_for"),
    [
        ("requested", "the PBX to accept"),
        ("accepted", "the call to leave the PBX"),
        ("left", "the caller to appear in the conference"),
    ],
)
def test_timeout_names_the_step_it_waited_for(reached: str, waiting_for: str) -> None:
    t = transfer(timeout=5.0)
    if reached != "requested":
        t.advance(reached, 101.0)  # type: ignore[arg-type]
    assert not t.expire(104.9)
    assert t.expire(105.0)
    assert t.state == "timed_out"
    assert waiting_for in t.reason


def test_an_arrived_transfer_does_not_time_out() -> None:
    t = transfer(timeout=5.0)
    t.advance("arrived", 101.0)
    assert not t.expire(1000.0)
    assert t.state == "arrived"


def test_caller_is_shown_as_safe_plain_text() -> None:
    call = Call("1.1", "yeastar", "+1555\x1b[31m0100", "ringing", 0.0, caller_name="[b]Eve\u202e")
    shown = call.shown_caller()
    assert "\x1b" not in shown and "\u202e" not in shown
    assert shown == "[b]Eve <+15550100>"  # markup stays literal: it is shown as Content
    assert Call("2", "acs", "", "ringing", 0.0).shown_caller() == "unknown caller"
    assert len(Call("3", "acs", "9" * 500, "ringing", 0.0).shown_caller(20)) <= 20


def test_call_book_lists_live_calls_oldest_first_and_expires_transfers() -> None:
    seen: list[str] = []
    book = CallBook(on_change=lambda call: seen.append(call.id))
    book.put(Call("b", "yeastar", "2", "talking", 20.0))
    book.put(Call("a", "acs", "1", "ringing", 10.0))
    book.put(Call("c", "yeastar", "3", "ended", 5.0))
    assert [c.id for c in book.live()] == ["a", "b"]
    call = book.get("yeastar", "b")
    assert call is not None
    call.transfer = transfer(timeout=1.0)
    assert book.expire(200.0) == [call]
    assert call.transfer.state == "timed_out"
    assert seen == ["b", "a", "c", "b"]
    assert book.remove("acs", "a") is not None and book.remove("acs", "a") is None
    assert len(book) == 2


def test_to_json_carries_the_transfer() -> None:
    call = Call("1", "yeastar", "+1", "talking", 1.0, trunk="siptrunk", heading_for="meet.demo")
    call.transfer = transfer()
    data = call.to_json()
    assert data["transfer"]["state"] == "requested"
    assert data["heading_for"] == "meet.demo" and data["trunk"] == "siptrunk"


@pytest.mark.parametrize(
    ("caller", "name", "uri", "expected"),
    [
        ("+442079460018", "+442079460018", "", True),
        ("+442079460018", "Someone", "sip:+44-20-7946-0018@gw.example.com", True),
        ("+442079460018", "Reception 2005", "sip:2005@pbx.example.com", False),
        ("2", "Room 2", "sip:2@x", False),  # too short to match by digits
        ("[b]x", "[b]x", "sip:bx@x", True),
        ("", "", "", False),
    ],
)
def test_is_caller(caller: str, name: str, uri: str, expected: bool) -> None:
    from pextui.phone.yeastar.desk import is_caller

    assert is_caller(caller, name, uri) is expected


def test_ended_calls_are_pruned_after_a_while() -> None:
    book = CallBook()
    live = Call("1", "yeastar", "+1", "talking", 0.0)
    ended = Call("2", "yeastar", "+2", "ended", 0.0, ended_at=100.0)
    book.put(live)
    book.put(ended)
    assert book.prune(now=399.0, keep=300.0) == 0
    assert book.prune(now=401.0, keep=300.0) == 1
    assert [c.id for c in book] == ["1"]
