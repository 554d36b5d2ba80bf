"""`pextui do`: every host action through `pextui.cli.main`, against the simulator."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from pextui import logs
from pextui.cli import main
from pextui.commands.do import ACTIONS, ParticipantLookupError, find_participant, lookup_action
from pextui.protocol.models import Participant
from pextui.sim.config import SimConfig, Timings
from pextui.sim.server import SimServer


@pytest.fixture
def sim(monkeypatch: pytest.MonkeyPatch) -> Iterator[SimServer]:
    monkeypatch.setenv("PEXTUI_PIN", "1234")
    monkeypatch.delenv("PEXTUI_TRANSFER_PIN", raising=False)
    with SimServer(SimConfig(timings=Timings(dial_answer=0.05, dial_reject=0.05))) as server:
        yield server
    logs.shutdown_logging()


class Runner:
    def __init__(self, sim: SimServer, log_file: Path, capsys: pytest.CaptureFixture[str]) -> None:
        self.sim, self.log_file, self.capsys = sim, log_file, capsys

    def __call__(self, *words: str, alias: str = "meet.demo") -> tuple[int, str, str]:
        self.capsys.readouterr()
        node = ["--node", self.sim.base_url, "--alias", alias]
        code = main(["do", *node, "--log-file", str(self.log_file), *words])
        out, err = self.capsys.readouterr()
        return code, out, err

    def conference(self, alias: str = "meet.demo") -> dict[str, Any]:
        return next(c for c in self.sim.state()["conferences"] if c["alias"] == alias)

    def participant(self, name: str, alias: str = "meet.demo") -> dict[str, Any]:
        found = [p for p in self.conference(alias)["participants"] if p["display_name"] == name]
        assert len(found) == 1, f"{name} in {alias}: {len(found)}"
        return dict(found[0])


@pytest.fixture
def do(sim: SimServer, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Runner:
    return Runner(sim, tmp_path / "pextui.log", capsys)


def dial(do: Runner, name: str) -> str:
    code, out, err = do("dial", f"{name.lower()}@example.com", "--remote-name", name)
    assert code == 0, err
    uuids = json.loads(out)
    assert isinstance(uuids, list) and len(uuids) == 1
    return str(uuids[0])


def join_guest(do: Runner, name: str) -> bool:
    """A guest joining through the API; it waits in the waiting room of a locked room."""
    url = f"{do.sim.base_url}/api/client/v2/conferences/meet.demo/request_token"
    response = httpx.post(url, json={"display_name": name}, headers={"pin": "none"}, timeout=5)
    response.raise_for_status()
    return bool(do.participant(name)["service_type"] == "waiting_room")


def test_every_action_succeeds(do: Runner) -> None:
    alice = dial(do, "Alice")
    dial(do, "Bob")

    def status(field: str) -> Any:
        return do.conference()["status"][field]

    def of(name: str, field: str) -> Any:
        return do.participant(name)[field]

    def present(name: str, alias: str = "meet.demo") -> bool:
        return any(p["display_name"] == name for p in do.conference(alias)["participants"])

    checks: list[tuple[list[str], Any]] = [
        (["lock"], lambda: status("locked") is True),
        (["unlock"], lambda: status("locked") is False),
        (["mute-guests"], lambda: status("guests_muted") is True),
        (["unmute-guests"], lambda: status("guests_muted") is False),
        (["guests-can-unmute", "off"], lambda: status("guests_can_unmute") is False),
        (["start"], lambda: status("started") is True),
        (["layout", "4:0", "--overlay-text", "on"],
         lambda: do.conference()["layout"]["view"] == "4:0"),
        (["silent-video", "on", "--silent-after", "20", "--reactivate-after", "2"], None),
        (["message", "hello room"], None),
        (["mute", "--participant", "Alice"], lambda: of("Alice", "is_muted") == "YES"),
        (["unmute", "--participant", alice], lambda: of("Alice", "is_muted") == "NO"),
        (["video-mute", "--participant", "Alice"], lambda: of("Alice", "is_video_muted")),
        (["video-unmute", "--participant", "Alice"], lambda: not of("Alice", "is_video_muted")),
        (["deny-presentation", "--participant", "Alice"],
         lambda: of("Alice", "rx_presentation_policy") == "DENY"),
        (["allow-presentation", "--participant", "Alice"],
         lambda: of("Alice", "rx_presentation_policy") == "ALLOW"),
        (["spotlight-on", "--participant", "Alice"], lambda: of("Alice", "spotlight") > 0),
        (["spotlight-off", "--participant", "Alice"], lambda: of("Alice", "spotlight") == 0),
        (["raise-hand", "--participant", "Alice"], lambda: of("Alice", "buzz_time") > 0),
        (["lower-hand", "--participant", "Alice"], lambda: of("Alice", "buzz_time") == 0),
        (["raise-hand", "--participant", "Bob"], lambda: of("Bob", "buzz_time") > 0),
        (["clear-hands"], lambda: of("Bob", "buzz_time") == 0),
        (["overlay-text", "Alice (CFO)", "--participant", "Alice"],
         lambda: of("Alice", "overlay_text") == "Alice (CFO)"),
        (["pres-in-mix", "on", "--participant", "Alice"],
         lambda: of("Alice", "needs_presentation_in_mix") is True),
        (["role", "host", "--participant", "Alice"], lambda: of("Alice", "role") == "chair"),
        (["dtmf", "123#", "--participant", "Alice"], None),
        (["fecc", "start", "pan:left", "zoom:in", "--participant", "Alice"], None),
        (["message", "psst", "--participant", "Bob"], None),
        (["lock"], lambda: join_guest(do, "Wanda") and join_guest(do, "Walt")),
        (["admit", "--participant", "Wanda"],
         lambda: of("Wanda", "service_type") == "conference"),
        (["unlock", "--participant", "Walt"],
         lambda: of("Walt", "service_type") == "conference"),
        (["admit", "--participant", "Walt"], "refused"),
        (["status"], None),
        (["participants"], None),
        (["layouts"], None),
        (["transfer", "meet.demo.nope", "--participant", "Bob"], "fails"),
        (["transfer", "townhall", "--participant", "Bob", "--role", "guest"],
         lambda: present("Bob", "townhall")),
        (["disconnect", "--participant", "Alice"],
         lambda: not present("Alice")),
        (["disconnect-all"], lambda: do.conference()["participant_count"] == 0),
    ]  # fmt: skip
    covered = set()
    for words, check in checks:
        code, _, err = do(*words)
        covered.add(lookup_action(words[0]).name)
        if check == "fails":
            assert code == 1, words
            assert "Neither conference nor gateway found" in err
            continue
        if check == "refused":  # Walt is no longer waiting: the node answers false
            assert code == 1 and "refused" in err, words
            continue
        assert code == 0, f"{words}: {err}"
        if callable(check):
            assert check(), words
    covered.add("dial")
    assert covered == {action.name for action in ACTIONS}
    assert do.sim.state()["tokens"] == 0  # every run released its token


def test_queries_print_json(do: Runner) -> None:
    code, out, _ = do("lock")
    assert code == 0 and out == ""
    code, out, _ = do("status")
    assert code == 0 and json.loads(out)["locked"] is True
    code, out, _ = do("layouts")
    assert "4:0" in json.loads(out)
    code, out, _ = do("participants")
    assert [p["display_name"] for p in json.loads(out)] == ["pextui"]  # the caller itself


def test_participant_lookup_errors(do: Runner) -> None:
    dial(do, "Bob")
    dial(do, "Bob")
    code, _, err = do("mute", "--participant", "Bob")
    assert code == 2 and "2 participants are named 'Bob'" in err
    code, _, err = do("mute", "--participant", "Nobody")
    assert code == 2 and "no participant" in err


def test_usage_errors(do: Runner) -> None:
    code, _, err = do("disconnect")
    assert code == 2 and "needs --participant" in err and "disconnect-all" in err
    code, _, err = do("frobnicate")
    assert code == 2 and "unknown action" in err
    code, _, err = do("message")
    assert code == 2 and "usage: pextui do message TEXT" in err
    dial(do, "Carol")
    code, _, err = do("dtmf", "12x", "--participant", "Carol")
    assert code == 2 and "DTMF digits may only be" in err
    code, _, err = do("layout", "3:3")
    assert code == 2 and "layout must be one of" in err
    assert do.sim.state()["tokens"] == 0


def test_server_refusal_exits_non_zero_with_the_reason(
    do: Runner, monkeypatch: pytest.MonkeyPatch
) -> None:
    dial(do, "Dave")
    monkeypatch.setenv("PEXTUI_TRANSFER_PIN", "0000")
    code, _, err = do("transfer", "meet.board", "--participant", "Dave", "--role", "host")
    assert code == 1
    assert "transfer failed: Invalid PIN" in err and "Transfer failed" not in err  # said once
    assert "0000" not in err
    monkeypatch.setenv("PEXTUI_PIN", "none")
    code, _, err = do("lock")
    assert code == 1 and err.startswith("pextui: lock failed:")


def test_join_failures(do: Runner, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PEXTUI_PIN", "9999")
    code, _, err = do("lock")
    assert code == 3 and "Invalid PIN" in err and "9999" not in err
    monkeypatch.delenv("PEXTUI_PIN")
    code, _, err = do("lock")
    assert code == 3 and "PEXTUI_PIN" in err
    code, _, err = do("lock", "--guest")
    assert code == 1  # joined as a guest: the lock itself is refused
    code, _, err = do("lock", alias="reception")
    assert code == 3 and "--extension" in err


def test_join_link_as_first_word(
    sim: SimServer, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    link = f"{sim.base_url}/webapp/conference/meet.demo?name=Linked"
    code = main(["do", link, "lock", "--log-file", str(tmp_path / "log")])
    assert code == 0, capsys.readouterr().err
    status = next(c for c in sim.state()["conferences"] if c["alias"] == "meet.demo")["status"]
    assert status["locked"] is True


def test_pin_option_warns_about_the_process_list(
    do: Runner, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("PEXTUI_PIN")
    code, _, err = do("lock", "--pin", "1234")
    assert code == 0
    assert "process list" in err


def test_find_participant_rules() -> None:
    roster = [
        Participant(uuid="u1", display_name="Ann"),
        Participant(uuid="u2", display_name="ann"),
        Participant(uuid="u3", display_name="Zed"),
    ]
    assert find_participant(roster, "u2").uuid == "u2"
    assert find_participant(roster, "Ann").uuid == "u1"  # exact case wins
    assert find_participant(roster, "zed").uuid == "u3"  # unique case-insensitive match
    with pytest.raises(ParticipantLookupError, match="2 participants"):
        find_participant(roster, "ANN")
    with pytest.raises(ParticipantLookupError, match="no participant"):
        find_participant(roster, "Bob")
