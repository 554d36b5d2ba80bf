"""The transfer reporter: each change said once (log line, notification), the row labels."""

from __future__ import annotations

from typing import Any

from pextui.conference import ConferenceStore
from pextui.tui.transfer_report import TransferReporter
from tests.conference.conference_helpers import FakeClock, create, delete, event

SIP = {"protocol": "sip", "is_video_call": "YES", "has_media": True, "uri": "sip:ann@example.com"}


class Recorder:
    def __init__(self) -> None:
        self.lines: list[tuple[str, str]] = []
        self.toasts: list[tuple[str, str, str]] = []

    def note(self, text: str, level: str) -> None:
        self.lines.append((text, level))

    def notify(self, message: str, **options: Any) -> None:
        self.toasts.append((options["title"], message, options["severity"]))


def setup() -> tuple[ConferenceStore, Recorder, TransferReporter]:
    store = ConferenceStore(clock=FakeClock(), transfer_timeout=10.0)
    recorder = Recorder()
    return store, recorder, TransferReporter(recorder.note, recorder.notify)


def test_watched_transfer_labels_the_row_and_says_each_step_once() -> None:
    store, said, reporter = setup()
    store.apply(create("a", "Ann [b]", **SIP))
    tid = store.transfers.request("a", "meet.board", watched=True)
    assert reporter.changed(store) == {"a"}
    assert reporter.label("a") == "→ meet.board: requested" and said.lines == []
    assert reporter.changed(store) == set()  # nothing new: nothing said again
    arrival = create("x", "Ann [b]", **SIP).data  # type: ignore[attr-defined]
    store.transfers.arrived("meet.board", arrival)  # the overlap: seen there, still here
    assert reporter.changed(store) == {"a"} and reporter.label("a") == "→ meet.board: arrived"
    store.apply(delete("a"))
    reporter.changed(store)
    reporter.changed(store)
    assert said.lines == [("Ann [b] arrived in meet.board", "ok")]
    assert said.toasts == [("Arrived", "Ann [b] → meet.board", "information")]
    assert reporter.label("a") == "" and store.transfers.get(tid) is not None


def test_left_unwatched_rejected_and_failed_are_worded() -> None:
    store, said, reporter = setup()
    for uuid in ("a", "b", "c"):
        store.apply(create(uuid, uuid.upper()))
    store.transfers.request("a", "meet.board")
    store.transfers.request("b", "gateway.reject")
    failed = store.transfers.request("c", "meet.board", "chair")
    store.apply(delete("a"))
    store.apply(event("participant_delete", {"uuid": "b", "reason": "Call rejected"}))
    store.transfers.fail(failed, "Invalid PIN")
    reporter.changed(store)
    assert said.lines == [
        ("A transferred to meet.board (left this conference)", "ok"),
        ("Transfer of B to gateway.reject rejected after it started: Call rejected", "error"),
        ("Transfer of C to meet.board failed: Invalid PIN", "error"),
    ]
    assert [t[0] for t in said.toasts] == [
        "Transferred",
        "Transfer of B rejected",
        "Transfer of C failed",
    ]
    assert reporter.label("c") == ""  # a failed transfer leaves the row as it was


def test_timed_out_is_a_warning_and_reset_forgets_the_old_store() -> None:
    store, said, reporter = setup()
    store.apply(create("a", "Ann"))
    store.transfers.request("a", "meet.board")
    store.transfers.expire(store.clock() + 60)
    reporter.changed(store)
    assert said.lines[-1][1] == "warn" and "timed out" in said.lines[-1][0]
    reporter.reset()
    fresh = ConferenceStore(clock=FakeClock())
    fresh.apply(create("z", "Zed"))
    fresh.transfers.request("z", "meet.board")  # id 1 again, in a new store
    assert reporter.changed(fresh) == {"z"}
