"""`pextui do ... transfer --participant NAME --to ALIAS [--wait SECONDS]` as a child process
against a simulator on an ephemeral loopback port: arrived, rejected, failed with the
server's reason (said once), timed out, the overlap, and an API participant that rejoins
under a new UUID."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from pextui.sim.config import SimConfig, Timings
from pextui.sim.server import SimServer
from tests.sim.sim_helpers import join, wait_until

WAIT = "30"  # generous: the outcome, not the time, is what is checked


@pytest.fixture
def sim() -> Iterator[SimServer]:
    timings = Timings(dial_answer=0.05, dial_reject=0.05, transfer_reject=0.2)
    with SimServer(SimConfig(timings=timings)) as server:
        yield server


def pextui(
    sim: SimServer, log: Path, *words: str, alias: str = "meet.demo", **env: str
) -> subprocess.CompletedProcess[str]:
    environment = {k: v for k, v in os.environ.items() if not k.startswith("PEXTUI_")}
    environment.update({"PEXTUI_PIN": "1234", **env})
    command = [sys.executable, "-m", "pextui", "do", "--node", sim.base_url, "--alias", alias,
               "--log-file", str(log), *words]  # fmt: skip
    return subprocess.run(
        command, capture_output=True, text=True, env=environment, timeout=120, check=False
    )


def dialled(sim: SimServer, name: str) -> str:
    """A SIP participant named `name` in meet.demo, answered."""
    with httpx.Client(base_url=sim.base_url, timeout=5.0) as client:
        host = join(client, "meet.demo", "Setup", pin="1234")
        body = {"role": "GUEST", "destination": f"{name.lower()}@example.com", "protocol": "sip"}
        [uuid] = host.act("dial", json={**body, "remote_display_name": name})
        wait_until(lambda: host.participant(uuid)["service_type"] == "conference", what="answer")
        host.post("release_token")
    return str(uuid)


def people(sim: SimServer, alias: str) -> list[dict[str, Any]]:
    conference = next(c for c in sim.state()["conferences"] if c["alias"] == alias)
    return list(conference["participants"])


def outcome(result: subprocess.CompletedProcess[str]) -> dict[str, Any]:
    lines = result.stdout.splitlines()
    assert len(lines) == 1, (result.stdout, result.stderr)
    value = json.loads(lines[0])
    assert isinstance(value, dict)
    return value


def test_waits_until_the_participant_arrives(sim: SimServer, tmp_path: Path) -> None:
    uuid = dialled(sim, "Carol")
    result = pextui(
        sim, tmp_path / "log", "transfer", "--participant", "Carol", "--to", "meet.board",
        "--wait", WAIT, PEXTUI_TRANSFER_PIN="5678",
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    line = outcome(result)
    assert {k: line[k] for k in ("outcome", "from", "to", "uuid")} == {
        "outcome": "arrived",
        "from": "meet.demo",
        "to": "meet.board",
        "uuid": uuid,
    }
    assert isinstance(line["seconds"], float | int) and line["seconds"] >= 0
    assert [p["display_name"] for p in people(sim, "meet.board")] == ["Carol"]
    assert sim.state()["tokens"] == 0  # the source session and the observer both left
    assert "5678" not in result.stderr + result.stdout + (tmp_path / "log").read_text()


def test_an_api_participant_arrives_under_a_new_uuid(sim: SimServer, tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PEXTUI_")}
    watcher = subprocess.Popen(
        [sys.executable, "-m", "pextui", "watch", "--node", sim.base_url, "--alias", "meet.demo",
         "--guest", "--name", "Walter", "--log-file", str(tmp_path / "watch.log")],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env, text=True,
    )  # fmt: skip
    try:
        assert watcher.stdout is not None
        watcher.stdout.readline()  # its stream is open
        [before] = [p["uuid"] for p in people(sim, "meet.demo") if p["display_name"] == "Walter"]
        result = pextui(
            sim, tmp_path / "log", "transfer", "--participant", "Walter", "--to", "meet.board",
            "--wait", WAIT, PEXTUI_TRANSFER_PIN="5678",
        )  # fmt: skip
        assert result.returncode == 0, result.stderr
        line = outcome(result)
        assert line["outcome"] == "arrived" and line["uuid"] != before
        assert line["uuid"] in [p["uuid"] for p in people(sim, "meet.board")]
    finally:
        watcher.kill()
        watcher.wait(10)


def test_a_rejecting_gateway_is_rejected_after_it_started(sim: SimServer, tmp_path: Path) -> None:
    dialled(sim, "Dave")
    result = pextui(
        sim, tmp_path / "log", "transfer", "--participant", "Dave", "--to", "gateway.reject",
        "--wait", WAIT,
    )  # fmt: skip
    assert result.returncode == 1
    line = outcome(result)
    assert (line["outcome"], line["reason"]) == ("rejected", "Call rejected")
    assert result.stderr.count("Call rejected") == 1
    assert "rejected after it started" in result.stderr
    assert not [p for c in sim.state()["conferences"] for p in c["participants"]]


def test_a_wrong_pin_says_the_servers_reason_once(sim: SimServer, tmp_path: Path) -> None:
    dialled(sim, "Erin")
    for wait in ((), ("--wait", WAIT)):
        result = pextui(
            sim, tmp_path / "log", "transfer", "--participant", "Erin", "--to", "meet.board",
            "--role", "host", *wait, PEXTUI_TRANSFER_PIN="0000",
        )  # fmt: skip
        assert result.returncode == 1, wait
        assert result.stderr.count("Invalid PIN") == 1, result.stderr
        assert "transfer failed: Invalid PIN" in result.stderr
        assert "Transfer failed" not in result.stderr and "0000" not in result.stderr
        if wait:
            line = outcome(result)
            assert (line["outcome"], line["reason"]) == ("failed", "Invalid PIN")
    assert [p["display_name"] for p in people(sim, "meet.demo")] == ["Erin"]


def test_times_out_when_the_participant_never_arrives(sim: SimServer, tmp_path: Path) -> None:
    # An API guest that never follows its refer: it leaves and is never seen in the target.
    with httpx.Client(base_url=sim.base_url, timeout=5.0) as client:
        join(client, "meet.demo", "Gus", pin="none")
    result = pextui(
        sim, tmp_path / "log", "transfer", "--participant", "Gus", "--to", "meet.board",
        "--wait", "1", PEXTUI_TRANSFER_PIN="5678",
    )  # fmt: skip
    assert result.returncode == 1
    line = outcome(result)
    assert line["outcome"] == "timed_out" and "not seen in meet.board" in line["reason"]
    assert "transfer timed out" in result.stderr


def test_the_overlap_is_an_arrival_not_a_failure(sim: SimServer, tmp_path: Path) -> None:
    httpx.post(f"{sim.base_url}/_sim/control", json={"transfer_overlap": 1.0}).raise_for_status()
    dialled(sim, "Olga")
    result = pextui(
        sim, tmp_path / "log", "transfer", "--participant", "Olga", "--to", "meet.board",
        "--wait", WAIT, PEXTUI_TRANSFER_PIN="5678",
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert outcome(result)["outcome"] == "arrived"


def test_usage_errors(sim: SimServer, tmp_path: Path) -> None:
    for words, said in (
        (("transfer", "--participant", "X"), "transfer needs --to ALIAS"),
        (("transfer", "--participant", "X", "--to", "meet.board", "--wait", "0"), "--wait"),
        (
            ("transfer", "meet.x", "--participant", "X", "--to", "meet.board"),
            "give the target once",
        ),
    ):
        result = pextui(sim, tmp_path / "log", *words)
        assert result.returncode == 2, words
        assert said in result.stderr
