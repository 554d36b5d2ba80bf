"""`pextui acs calls` and `pextui acs transfer` as a user runs them (subprocesses), against
the simulator; the connection string only ever in the environment."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from collections.abc import Iterator
from typing import Any

import pytest

from pextui.sim.acs.server import SimWithAcs

MEET_DEMO = "+15550108001"


@pytest.fixture(scope="module")
def cli_sim() -> Iterator[SimWithAcs]:
    with SimWithAcs() as running:
        yield running


def env_for(sim: SimWithAcs, connection: str | None = None) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "PEXTUI_ACS_CONNECTION_STRING"}
    env["PEXTUI_ACS_CONNECTION_STRING"] = connection or sim.connection_string
    return env


def pextui(sim: SimWithAcs, *args: str, connection: str | None = None) -> subprocess.Popen[str]:
    command = [sys.executable, "-m", "pextui", "acs", *args, "--acs-ca", sim.ca]
    return subprocess.Popen(
        command,
        env=env_for(sim, connection),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        stdin=subprocess.DEVNULL,
        text=True,
    )


def answered_call(sim: SimWithAcs) -> dict[str, Any]:
    """`pextui acs calls --answer`: a customer rings, the CLI answers, prints the call."""
    before = len(sim.acs_state()["subscriptions"])
    process = pextui(sim, "calls", "--answer", "--for", "30", "--count", "1", "--subscribe-sim")
    deadline = time.monotonic() + 30
    while len([s for s in sim.acs_state()["subscriptions"] if s["state"] == "active"]) <= before:
        assert process.poll() is None, process.communicate()
        assert time.monotonic() < deadline
        time.sleep(0.05)
    sim.ring("+4930555000", "Kim")
    out, err = process.communicate(timeout=60)
    assert process.returncode == 0, err
    assert sim.access_key not in out + err
    calls = json.loads(out)
    (call,) = [c for c in calls if c["caller"] == "+4930555000"]
    return dict(call)


def test_calls_answers_and_transfer_brings_the_caller_in(cli_sim: SimWithAcs) -> None:
    call = answered_call(cli_sim)
    assert call["state"] == "talking" and call["caller_name"] == "Kim"
    process = pextui(
        cli_sim, "transfer", call["id"], "--to", "meet.demo",
        "--number", f"meet.demo={MEET_DEMO}", "--wait", "20",
    )  # fmt: skip
    out, err = process.communicate(timeout=60)
    assert process.returncode == 0, err
    result = json.loads(out)
    assert result["transfer"]["state"] == "left"
    assert result["transfer"]["target_alias"] == "meet.demo"
    assert result["result_information"]["code"] == 200
    roster = cli_sim.conference_state("meet.demo")["participants"]
    assert any("4930555000" in p["uri"] for p in roster)


def test_a_failed_transfer_exits_1_with_result_information(cli_sim: SimWithAcs) -> None:
    call = answered_call(cli_sim)
    process = pextui(cli_sim, "transfer", call["id"], "--to", "+15550100603", "--wait", "20")
    out, err = process.communicate(timeout=60)
    assert process.returncode == 1
    result = json.loads(out)
    assert result["transfer"]["state"] == "failed"
    assert result["result_information"]["subCode"] == 560603
    assert "declined" in err


def test_a_wrong_key_exits_3_and_no_connection_string_exits_2(cli_sim: SimWithAcs) -> None:
    from pextui.sim.acs.auth import connection_string, new_access_key

    wrong = connection_string(cli_sim.acs_endpoint, new_access_key())
    process = pextui(cli_sim, "transfer", "some-call", "--to", MEET_DEMO, connection=wrong)
    out, err = process.communicate(timeout=60)
    assert process.returncode == 3, err
    assert "401" in err and out == ""
    env = env_for(cli_sim)
    del env["PEXTUI_ACS_CONNECTION_STRING"]
    done = subprocess.run(
        [sys.executable, "-m", "pextui", "acs", "calls", "--for", "0"],
        env=env, capture_output=True, text=True, stdin=subprocess.DEVNULL, timeout=60,
    )  # fmt: skip
    assert done.returncode == 2 and "PEXTUI_ACS_CONNECTION_STRING" in done.stderr
