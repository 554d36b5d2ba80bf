"""The console becomes an ACS endpoint only when asked, with the connection string from the
environment (never argv); its options parse and refuse bad values."""

from __future__ import annotations

import pytest

from pextui.cli import build_parser
from pextui.commands.console import _acs
from pextui.sim.acs.auth import connection_string, new_access_key

CONNECTION = connection_string("https://acs.example.com", new_access_key())


def test_no_connection_string_no_acs(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("PEXTUI_ACS_CONNECTION_STRING", raising=False)
    assert _acs(build_parser(None).parse_args([]), None) is None


def test_the_environment_turns_it_on(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PEXTUI_ACS_CONNECTION_STRING", CONNECTION)
    args = build_parser(None).parse_args(
        ["--acs-number", "meet.demo=+15550108001", "--acs-callback-listen", "127.0.0.1:0",
         "--acs-callback-url", "https://tunnel.example.com"]
    )  # fmt: skip
    session = _acs(args, None)
    assert session is not None
    assert session.desk.numbers == {"meet.demo": "+15550108001"}
    assert session.endpoint.receiver.base_url == "https://tunnel.example.com"


def test_a_broken_connection_string_leaves_acs_off(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("PEXTUI_ACS_CONNECTION_STRING", "endpoint=http://x/;accesskey=abc")
    assert _acs(build_parser(None).parse_args(["--acs"]), None) is None
    assert "ACS stays off" in capsys.readouterr().err


@pytest.mark.parametrize(
    "argv", [["--acs-number", "meet.demo"], ["--acs-callback-listen", "nohost"]]
)
def test_bad_options_are_usage_errors(argv: list[str]) -> None:
    with pytest.raises(SystemExit):
        build_parser(None).parse_args(argv)
