"""`pextui LINK LINK` and `pextui --node URL --alias A --alias B` as a subprocess against the
simulator: one tab per conference, the PINs from PEXTUI_PIN / PEXTUI_PIN_<ALIAS>, and every
token released when the console leaves (`--smoke`: headless, JSON summary)."""

from __future__ import annotations

import argparse
import io
import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from pextui.cli import build_parser
from pextui.commands.connection import UsageError
from pextui.commands.joins import pin_variable, several_join_params
from pextui.sim.server import SimServer
from tests.cli.test_entry_points import private_env
from tests.tui.console_helpers import sim_config


@pytest.fixture
def sim() -> Iterator[SimServer]:
    with SimServer(sim_config()) as server:
        yield server


def smoke(args: list[str], env: dict[str, str], cwd: Path) -> tuple[int, dict[str, Any], str]:
    result = subprocess.run(
        [sys.executable, "-m", "pextui", *args, "--smoke"],
        env=env,
        capture_output=True,
        text=True,
        timeout=90,
        cwd=cwd,
    )
    lines = result.stdout.strip().splitlines()
    return result.returncode, json.loads(lines[-1]) if lines else {}, result.stderr


def test_two_links_open_two_conferences_and_release_both(sim: SimServer, tmp_path: Path) -> None:
    env = private_env(tmp_path) | {"PEXTUI_PIN": "1234"}
    links = [
        f"{sim.base_url}/webapp/conference/meet.demo?name=Host",
        f"pexip://meet.board?host={sim.base_url}",
    ]
    code, summary, stderr = smoke(links, env, tmp_path)
    assert code == 0, stderr
    conferences = {c["alias"]: c for c in summary["conferences"]}
    assert conferences.keys() == {"meet.demo", "meet.board"}
    assert conferences["meet.demo"]["conference"] == "Demo Meeting"
    assert conferences["meet.board"]["conference"] == "Board Meeting"
    assert all(c["state"] == "synced" for c in conferences.values())
    assert "1234" not in stderr + json.dumps(summary)
    state = sim.state()
    assert state["tokens"] == 0  # both released when the console left
    left = {c["alias"]: c["participants"] for c in state["conferences"]}
    assert left["meet.demo"] == [] and left["meet.board"] == []  # the quiet scenario: only us


def test_aliases_on_one_node_with_a_pin_each(sim: SimServer, tmp_path: Path) -> None:
    # PEXTUI_PIN is wrong for both: each alias's own variable is read first (meet.board's
    # 5678 is its guest PIN, so that tab joins as a guest).
    env = private_env(tmp_path) | {
        "PEXTUI_PIN": "0000",
        "PEXTUI_PIN_MEET_DEMO": "1234",
        "PEXTUI_PIN_MEET_BOARD": "5678",
    }
    args = ["--node", sim.base_url, "--alias", "meet.demo", "--alias", "meet.board"]
    code, summary, stderr = smoke(args, env, tmp_path)
    assert code == 0, stderr
    found = {c["alias"]: (c["state"], c["role"]) for c in summary["conferences"]}
    assert found == {"meet.demo": ("synced", "HOST"), "meet.board": ("synced", "GUEST")}
    assert sim.state()["tokens"] == 0


def test_a_failing_conference_is_reported_beside_the_other(sim: SimServer, tmp_path: Path) -> None:
    env = private_env(tmp_path) | {"PEXTUI_PIN": "1234"}
    args = ["--node", sim.base_url, "--alias", "meet.demo", "--alias", "meet.nosuch"]
    code, summary, _ = smoke(args, env, tmp_path)
    assert code == 1  # not every conference synced
    states = {c["alias"]: (c["state"], c["reason"]) for c in summary["conferences"]}
    assert states["meet.demo"] == ("synced", "")
    assert states["meet.nosuch"][0] == "ended"
    assert "Unknown conference alias" in states["meet.nosuch"][1]
    assert sim.state()["tokens"] == 0


def parse(*words: str) -> argparse.Namespace:
    return build_parser(None).parse_args(list(words))


def test_pin_variable_names() -> None:
    assert pin_variable("meet.board") == "PEXTUI_PIN_MEET_BOARD"
    assert pin_variable("Green-Room 2") == "PEXTUI_PIN_GREEN_ROOM_2"


def test_several_join_params_rules() -> None:
    env = {"PEXTUI_PIN": "1111", "PEXTUI_PIN_MEET_B": "2222"}
    found = several_join_params(
        parse("--node", "node.example", "--alias", "meet.a", "--alias", "meet.b"), env=env
    )
    assert [(p.node_url, p.alias, p.pin) for p in found] == [
        ("https://node.example", "meet.a", "1111"),
        ("https://node.example", "meet.b", "2222"),
    ]
    # links keep their own nodes; --alias goes to the first link's node
    found = several_join_params(
        parse("pexip://x@one.example?host=one.example", "--alias", "meet.c"), env={}
    )
    assert [(p.node_url, p.alias) for p in found] == [
        ("https://one.example", "x@one.example"),
        ("https://one.example", "meet.c"),
    ]
    with pytest.raises(UsageError, match="given twice"):
        several_join_params(parse("--node", "n", "--alias", "a", "--alias", "A"), env={})
    with pytest.raises(UsageError, match="--node URL"):
        several_join_params(parse("--alias", "a"), env={}, stderr=io.StringIO())
    assert several_join_params(parse(), env={}) == []
