"""Names that clean to nothing, names that imitate the host, and the tools that take names:
shown by URI or protocol, sorted by what is shown, the console's own row marked, `do
--participant` accepting the shown name, `watch` printing JSON no terminal can be steered by."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from pextui import logs
from pextui.cli import main
from pextui.conference import ConferenceStore
from pextui.names import shown_name
from pextui.protocol.models import Participant, parse_event
from pextui.sim.config import SimConfig
from pextui.sim.participants import make_participant
from pextui.sim.server import SimServer
from pextui.tui import present
from pextui.tui.widgets.roster_columns import YOU
from tests.tui.console_helpers import running_console

EMPTY_AFTER_CLEANING = (
    "\x1b]0;title\x07",  # only an OSC title sequence
    "\x01\x02\x7f\x9b",  # only control characters
    "\u200b\u200d\ufeff\u2060",  # only zero-width characters
    "\u3164\uffa0",  # only fillers
    "\u202e\u2066",  # only BiDi controls
    "   \t\n",
)


@pytest.mark.parametrize("raw", EMPTY_AFTER_CLEANING)
def test_a_name_that_cleans_to_nothing_is_shown_by_uri_then_protocol(raw: str) -> None:
    assert shown_name(raw, "sip:alice@example.com", "sip") == "alice@example.com"
    assert shown_name(raw, "\x1b[31m", "webrtc") == "(no name · WEBRTC)"
    assert shown_name(raw, "", "") == "(no name)"
    participant = Participant(uuid="u", display_name=raw, uri="sip:bob@x.example", protocol="sip")
    assert present.display_name(participant) == "bob@x.example"


def test_the_roster_sorts_by_the_shown_name() -> None:
    store = ConferenceStore(clock=lambda: 0.0)
    rows = [
        ("a", "\x1b]0;zzz\x07", "sip:aaron@example.com"),  # shown as aaron@...: first
        ("b", "Bea", "sip:zed@example.com"),
        ("c", "\u200bCarl", "sip:a@example.com"),  # shown as Carl
        ("d", "\u202eDora", "sip:0@example.com"),
    ]
    events = [parse_event("participant_sync_begin", "{}")]
    for uuid, name, uri in rows:
        participant = make_participant(
            display_name=name, uri=uri, uuid=uuid, role="guest", protocol="sip",
            service_type="conference", local_alias="meet.demo", start_time=0.0,
        )  # fmt: skip
        events.append(parse_event("participant_create", participant.json()))
    events.append(parse_event("participant_sync_end", "{}"))
    for event in events:
        assert event is not None
        store.apply(event)
    order = [store.index[i] for i in range(len(store.index))]
    assert order == ["a", "b", "c", "d"]
    shown = [present.display_name(store.roster[u].participant) for u in order]
    assert shown == sorted(shown, key=str.casefold)
    store.index.set_filter("aaron")  # a filter finds what is shown
    assert [store.index[i] for i in range(len(store.index))] == ["a"]


async def test_the_consoles_own_row_is_marked_and_a_guest_called_host_is_not(
    simulator: SimServer,
) -> None:
    async with running_console(simulator, guests=("Host", "Alice")) as console:
        own = console.app.store.self_uuid if console.app.store else None
        assert own is not None
        rows = [line for line in console.roster_lines() if "Host" in line]
        assert len(rows) == 2, rows
        mine = [line for line in rows if YOU.strip() in line]
        assert len(mine) == 1 and " host " in mine[0], rows
        guest = next(line for line in rows if line is not mine[0])
        assert YOU.strip() not in guest and " guest " in guest


GUEST = {"role": "guest", "protocol": "sip", "service_type": "conference",
         "local_alias": "meet.demo", "start_time": 0.0}  # fmt: skip


@pytest.fixture
def sim(monkeypatch: pytest.MonkeyPatch) -> Iterator[SimServer]:
    monkeypatch.setenv("PEXTUI_PIN", "1234")
    with SimServer(SimConfig()) as server:
        yield server
    logs.shutdown_logging()


def test_do_participant_accepts_the_shown_name(
    sim: SimServer, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    conference = sim.node.conferences["meet.demo"]
    hidden = make_participant(display_name="\u200bZo\u202ee\x1b[1m", uri="sip:zoe@example.com",
                              uuid="zoe-uuid", **GUEST)  # fmt: skip
    blank = make_participant(display_name="\x1b]0;x\x07", uri="sip:blank@example.com",
                             uuid="blank-uuid", **GUEST)  # fmt: skip
    sim.run_on_loop(lambda: (conference.add(hidden), conference.add(blank)))
    node = ["--node", sim.base_url, "--alias", "meet.demo", "--log-file", str(tmp_path / "l")]
    for name, uuid in (
        ("Zoe", "zoe-uuid"),
        ("zoe", "zoe-uuid"),
        ("blank@example.com", "blank-uuid"),
    ):
        capsys.readouterr()
        assert main(["do", *node, "mute", "--participant", name]) == 0, capsys.readouterr().err
        muted = [p for p in sim.state()["conferences"][0]["participants"] if p["uuid"] == uuid]
        assert muted and muted[0]["is_muted"] == "YES", name
        sim.run_on_loop(lambda u=uuid: conference.participants[u].update(is_muted="NO"))


C1_AND_BIDI = (
    "".join(chr(c) for c in range(0x80, 0xA0))
    + "\u202a\u202b\u202c\u202d\u202e"
    + ("\u2066\u2067\u2068\u2069\u200e\u200f\u061c\u2028\u2029\x7f")
)


def test_watch_escapes_control_and_bidi_characters(
    sim: SimServer, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    conference = sim.node.conferences["meet.demo"]
    name = f"Eve{C1_AND_BIDI}\x1b[31mRed"
    evil = make_participant(display_name=name, uri="sip:eve@example.com", uuid="eve-uuid",
                            **GUEST)  # fmt: skip
    sim.run_on_loop(lambda: conference.add(evil))
    capsys.readouterr()
    code = main(["watch", "--node", sim.base_url, "--alias", "meet.demo", "--name", "Watcher",
                 "--log-file", str(tmp_path / "log"), "--snapshot"])  # fmt: skip
    out, err = capsys.readouterr()
    assert code == 0, err
    assert not any(char in out for char in C1_AND_BIDI + "\x1b"), "raw control in the output"
    document = json.loads(out)  # still valid JSON, with the same data
    names = [entry["participant"]["display_name"] for entry in document["roster"]]
    assert name in names
