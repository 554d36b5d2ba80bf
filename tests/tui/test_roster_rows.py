"""Roster rows without a terminal: which columns fit, exact widths, labels from the model."""

from __future__ import annotations

import pytest
from rich.style import Style

from pextui.protocol.models import Participant
from pextui.tui import present
from pextui.tui.widgets.roster_columns import COLUMNS, RowFacts, columns_for, header, row

NOW = 1_700_000_000.0


def plain(name: str) -> Style:
    return Style()


def facts(**changes: object) -> RowFacts:
    values: dict[str, object] = {"now": NOW, "vad": 0.0, "spotlight_order": 0, "pending": ""}
    values.update(changes)
    return RowFacts(**values)  # type: ignore[arg-type]


@pytest.mark.parametrize("width", [30, 60, 80, 120, 200])
def test_rows_and_header_are_exactly_the_width(width: int) -> None:
    participant = Participant(uuid="u1", display_name="A" * 300, role="chair")
    assert row(participant, facts(), width, False, plain).cell_len == width
    assert header(width, Style()).cell_len == width


def test_narrow_terminals_keep_the_important_columns() -> None:
    assert [c.key for c in columns_for(200)] == [c.key for c in COLUMNS]
    narrow = [c.key for c in columns_for(50)]
    assert "audio" in narrow and "video" in narrow
    assert "enc" not in narrow and "proto" not in narrow


def test_a_row_shows_the_participant_state() -> None:
    participant = Participant(
        uuid="u1",
        display_name="Alice",
        role="guest",
        is_muted="YES",
        is_video_muted=True,
        buzz_time=NOW - 125,
        is_presenting="YES",
        protocol="sip",
        encryption="Off",
        service_type="waiting_room",
        start_time=NOW - 3700,
    )
    text = row(participant, facts(vad=80.0, spotlight_order=2), 200, True, plain).plain
    assert text.startswith("● Alice")
    for label in ("guest", "mute", "off", "#2", "↑2m", "▶", "sip", "waiting", "1h01"):
        assert label in text, label


def test_a_pending_action_follows_the_name() -> None:
    participant = Participant(uuid="u1", display_name="Bob")
    text = row(participant, facts(pending="muting"), 120, False, plain).plain
    assert "Bob (muting…)" in text


def test_hostile_names_are_literal_and_bounded() -> None:
    participant = Participant(uuid="u1", display_name="[bold]\x1b[31mEve\u202e\x00" + "x" * 500)
    name = present.display_name(participant)
    assert name.startswith("[bold]Eve")
    assert "\x1b" not in name and "\u202e" not in name and "\x00" not in name
    assert len(name) <= present.NAME_MAX


@pytest.mark.parametrize(
    ("seconds", "label"), [(5, "<1m"), (61, "1m"), (3599, "59m"), (3600, "1h00"), (7385, "2h03")]
)
def test_durations(seconds: float, label: str) -> None:
    assert present.duration(seconds) == label


def test_vad_bar() -> None:
    assert present.vad_bar(0) == "    "
    assert present.vad_bar(100) == "████"
    assert len(present.vad_bar(37)) == 4
    assert present.yes("YES") and not present.yes("NO") and present.yes(True)


def test_video_is_shown_only_for_those_who_send_it() -> None:
    sends = {"uuid": "v", "has_media": True, "is_audio_only_call": "NO"}
    assert present.video_label(Participant.model_validate(sends)) == "on"
    muted = sends | {"is_video_muted": True}
    assert present.video_label(Participant.model_validate(muted)) == "off"
    audio_only = sends | {"is_audio_only_call": "YES"}  # a phone caller
    control_only = {"uuid": "c", "has_media": False}  # an API participant such as this console
    for participant in (audio_only, control_only):
        assert present.video_label(Participant.model_validate(participant)) == ""
