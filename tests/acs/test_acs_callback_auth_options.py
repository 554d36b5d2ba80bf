"""How the user turns on the check of Call Automation's signed JWT: `--acs-resource-id`
(the audience) and `--acs-openid-config` (the simulator's), for the console and `pextui
acs`; bad values are usage errors; a public callback URL without the check is warned about."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time

import pytest

from pextui.cli import build_parser
from pextui.commands import acs as acs_command
from pextui.commands.console import _acs
from pextui.phone.acs.callback_auth import DEFAULT_OPENID_CONFIG
from pextui.sim.acs.auth import connection_string, new_access_key
from pextui.sim.acs.server import SimWithAcs

CONNECTION = connection_string("https://acs.example.com", new_access_key())
RESOURCE_ID = "3f6b9c1e-2d4a-4b8e-9f00-5c7d8e9fa1b2"


@pytest.fixture
def connection(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PEXTUI_ACS_CONNECTION_STRING", CONNECTION)


def test_the_resource_id_turns_the_check_on(connection: None) -> None:
    args = build_parser(None).parse_args(["--acs-resource-id", RESOURCE_ID])
    session = _acs(args, None)
    assert session is not None and session.endpoint.verifier is not None
    settings = session.endpoint.verifier.settings
    assert settings.audience == RESOURCE_ID and settings.openid_config == DEFAULT_OPENID_CONFIG
    assert session.endpoint.receiver.verifier is session.endpoint.verifier
    assert RESOURCE_ID in session.endpoint.receiver.describe()[-1]


def test_the_openid_configuration_can_point_elsewhere(connection: None) -> None:
    url = "https://127.0.0.1:8443/calling/.well-known/acsopenidconfiguration"
    args = build_parser(None).parse_args(
        ["--acs-resource-id", RESOURCE_ID, "--acs-openid-config", url]
    )
    session = _acs(args, None)
    assert session is not None and session.endpoint.verifier is not None
    assert session.endpoint.verifier.settings.openid_config == url


def test_without_the_resource_id_nothing_is_checked_and_a_public_url_is_warned_about(
    connection: None, capsys: pytest.CaptureFixture[str]
) -> None:
    args = build_parser(None).parse_args(["--acs-callback-url", "https://tunnel.example.com"])
    session = _acs(args, None)
    assert session is not None and session.endpoint.verifier is None
    assert "not checked for Call Automation's signed JWT" in capsys.readouterr().err
    assert "the signed JWT is not checked" in session.endpoint.receiver.describe()[-1]


def test_an_openid_configuration_without_the_audience_leaves_acs_off(
    connection: None, capsys: pytest.CaptureFixture[str]
) -> None:
    url = "https://127.0.0.1:8443/calling/.well-known/acsopenidconfiguration"
    assert _acs(build_parser(None).parse_args(["--acs-openid-config", url]), None) is None
    assert "--acs-openid-config needs --acs-resource-id" in capsys.readouterr().err
    args = build_parser(None).parse_args(["acs", "calls", "--acs-openid-config", url])
    assert acs_command.run(args) == 2


@pytest.mark.parametrize(
    "argv",
    [
        ["--acs-resource-id", ""],
        ["--acs-resource-id", "has spaces in it"],
        ["--acs-resource-id", "x" * 300],
        ["--acs-openid-config", "http://acs.example.com/calling/.well-known/x"],
        ["--acs-openid-config", "not a url"],
        ["acs", "calls", "--acs-openid-config", "ftp://x/y"],
    ],
)
def test_bad_values_are_usage_errors(argv: list[str]) -> None:
    with pytest.raises(SystemExit):
        build_parser(None).parse_args(argv)


def test_pextui_acs_checks_the_callbacks_of_the_calls_it_answers() -> None:
    """`pextui acs calls --answer` with the check on: the simulator's signed callbacks pass."""
    with SimWithAcs() as sim:
        env = {**os.environ, "PEXTUI_ACS_CONNECTION_STRING": sim.connection_string}
        command = [
            sys.executable, "-m", "pextui", "acs", "calls", "--answer", "--watch",
            "--subscribe-sim", "--acs-ca", sim.ca,
            "--acs-resource-id", sim.resource_id, "--acs-openid-config", sim.openid_config,
        ]  # fmt: skip
        process = subprocess.Popen(
            command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
            stdin=subprocess.DEVNULL, text=True,
        )  # fmt: skip
        try:
            deadline = time.monotonic() + 30
            while not [s for s in sim.acs_state()["subscriptions"] if s["state"] == "active"]:
                assert process.poll() is None and time.monotonic() < deadline
                time.sleep(0.05)
            sim.ring("+4930555000", "Kim")
            assert process.stdout is not None
            while True:  # JSON lines until the call is talking: CallConnected got in
                line = process.stdout.readline()
                assert line, "pextui acs ended early"
                if json.loads(line)["state"] == "talking":
                    break
        finally:
            process.terminate()
            _, err = process.communicate(timeout=30)
        assert "signed JWT required" in err and sim.resource_id in err
        signing = sim.acs_state()["signing"]
        assert signing["fetches"] == {"openid": 1, "jwks": 1} and signing["signed"]["valid"] >= 1
        assert sim.access_key not in err


def test_pextui_acs_says_once_on_stderr_when_the_keys_cannot_be_fetched() -> None:
    with SimWithAcs(faults={"keys-down": 1}) as sim:
        env = {**os.environ, "PEXTUI_ACS_CONNECTION_STRING": sim.connection_string}
        command = [
            sys.executable, "-m", "pextui", "acs", "calls", "--for", "1", "--acs-ca", sim.ca,
            "--acs-resource-id", sim.resource_id, "--acs-openid-config", sim.openid_config,
        ]  # fmt: skip
        done = subprocess.run(
            command, env=env, capture_output=True, stdin=subprocess.DEVNULL, text=True,
            timeout=60,
        )  # fmt: skip
    assert done.returncode == 0, done.stderr
    warned = [line for line in done.stderr.splitlines() if "cannot fetch" in line]
    assert len(warned) == 1 and "HTTP 503" in warned[0]
    assert json.loads(done.stdout) == []
