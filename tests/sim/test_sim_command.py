"""`pextui sim` as a process: first line, the conferences with PINs, clean stop on signals."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager

import httpx
import pytest

from tests.sim.sim_helpers import API

LISTENING = re.compile(r"^pextui sim listening on (http://127\.0\.0\.1:(\d+))$")


@contextmanager
def sim_process(*args: str) -> Iterator[tuple[subprocess.Popen[str], str, list[str]]]:
    process = subprocess.Popen(
        [sys.executable, "-m", "pextui", "sim", "--port", "0", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    try:
        assert process.stdout is not None
        first = process.stdout.readline().rstrip("\n")
        match = LISTENING.match(first)
        assert match, first
        lines = [process.stdout.readline().rstrip("\n") for _ in range(2)]
        yield process, match.group(1), [first, *lines]
    finally:
        if process.poll() is None:
            process.kill()
        process.wait(10)
        for pipe in (process.stdout, process.stderr):
            if pipe is not None:
                pipe.close()


@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM])
def test_command_serves_and_stops_cleanly(sig: signal.Signals) -> None:
    with sim_process("--vmr", "meet.conformance:1234:5678", "--scenario", "quiet") as (
        process,
        url,
        lines,
    ):
        assert "meet.conformance" in lines[1] and "1234" in lines[1] and "5678" in lines[1]
        with httpx.Client(base_url=url) as client:
            response = client.post(
                API + "meet.conformance/request_token", json={"display_name": "X"}
            )
            assert response.json()["result"]["guest_pin"] == "required"
            token = client.post(
                API + "meet.conformance/request_token",
                json={"display_name": "X"},
                headers={"pin": "1234"},
            ).json()["result"]["token"]
            with client.stream(
                "GET", API + "meet.conformance/events", params={"token": token}
            ) as stream:
                assert next(stream.iter_lines()) == "event: participant_sync_begin"
                process.send_signal(sig)
                assert process.wait(10) == 0


def test_default_set_is_listed_with_pins() -> None:
    with sim_process("--seed", "3") as (process, _url, lines):
        assert "meet.demo" in lines[1] and "host PIN 1234" in lines[1]
        assert "meet.board" in lines[2] and "guest PIN 5678" in lines[2]
        process.send_signal(signal.SIGTERM)
        assert process.wait(10) == 0
        assert process.stdout is not None
        rest = process.stdout.read()
        assert "townhall" in rest and "Auditorium" in rest and "reception" in rest


@pytest.mark.parametrize(
    "args",
    [
        ["--fault", "bogus=1"],
        ["--vmr", "meet.x:abc"],
        ["--scenario", "party"],
        ["--churn", "-5"],
        ["--participants", "many"],
    ],
)
def test_bad_options_are_refused(args: list[str]) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "pextui", "sim", "--port", "0", *args],
        capture_output=True,
        text=True,
        timeout=20,
    )
    assert done.returncode == 2
    assert "pextui sim" in done.stderr
