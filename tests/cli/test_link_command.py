"""`pextui link parse` / `pextui link build`, through the real dispatcher and a real process."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from pextui.cli import build_parser, main
from pextui.commands import link as link_command
from pextui.links import parse_link
from pextui.logs import shutdown_logging

SECRET_PIN = "918273"


@pytest.fixture(autouse=True)
def private_dirs(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[None]:
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))
    monkeypatch.delenv(link_command.GUEST_PIN_ENV, raising=False)
    monkeypatch.delenv(link_command.HOST_PIN_ENV, raising=False)
    yield
    shutdown_logging()


def run_cli(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(["link", *argv])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


# --------------------------------------------------------------- parse


def test_parse_prints_json_with_the_pin_masked(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run_cli(
        capsys,
        "parse",
        f"https://vc.example.com/webapp/conference/meet.alice?name=Bob&pin={SECRET_PIN}"
        "&callType=audioonly&bandwidth=1024&muteCamera=true&x=1",
    )
    assert (code, err) == (0, "")
    data = json.loads(out)
    assert data == {
        "kind": "webapp",
        "node": "https://vc.example.com",
        "alias": "meet.alice",
        "name": "Bob",
        "pin": "****",
        "role": None,
        "mute_microphone": False,
        "mute_camera": True,
        "call_type": "audioonly",
        "extension": None,
        "bandwidth": 1024,
        "extra": {"x": "1"},
    }
    assert SECRET_PIN not in out


def test_parse_show_pin(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run_cli(capsys, "parse", f"pexip://meet.alice?pin={SECRET_PIN}", "--show-pin")
    assert code == 0
    assert json.loads(out)["pin"] == SECRET_PIN


def test_parse_reads_the_link_from_stdin(capsys: pytest.CaptureFixture[str]) -> None:
    args = build_parser("link").parse_args(["parse", "-"])
    stdin = io.StringIO(f"pexip://r%C3%A9union?pin={SECRET_PIN}&host=vc.example.com\n")
    out = io.StringIO()
    assert link_command.run(args, stdin=stdin, stdout=out) == 0
    data = json.loads(out.getvalue())
    assert (data["alias"], data["node"], data["pin"]) == (
        "réunion",
        "https://vc.example.com",
        "****",
    )


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        ("not a link", "not a link"),
        ("pexip://x?bandwidth=100", "outside 256-2464"),
        ("https://n/webapp/conference/x?callType=holo", "unknown callType"),
        (f"pexip://x?pin={SECRET_PIN}&role=chair", "unknown role"),
        ("gopher://n/x", "unknown scheme"),
    ],
)
def test_parse_bad_link_exits_2_with_the_reason(
    capsys: pytest.CaptureFixture[str], url: str, reason: str
) -> None:
    code, out, err = run_cli(capsys, "parse", url)
    assert code == 2
    assert out == ""
    assert err.startswith("pextui link: error: ")
    assert reason in err
    assert SECRET_PIN not in err


def test_log_file_option_and_no_pin_in_the_log(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    log_file = tmp_path / "link.log"
    code, _, _ = run_cli(
        capsys,
        "parse",
        f"pexip://meet.alice?pin={SECRET_PIN}&bandwidth=1",
        "--log-file",
        str(log_file),
        "--log-level",
        "debug",
    )
    shutdown_logging()
    assert code == 2
    text = log_file.read_text()
    assert "link parse refused" in text
    assert SECRET_PIN not in text


def test_unwritable_log_only_warns(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("")
    code, out, err = run_cli(
        capsys, "parse", "pexip://meet.alice", "--log-file", str(blocker / "x.log")
    )
    assert code == 0
    assert json.loads(out)["alias"] == "meet.alice"
    assert "cannot open the log file" in err


# --------------------------------------------------------------- build


def test_build_prints_guest_and_host_links(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run_cli(
        capsys, "build", "--node", "vc.example.com", "--alias", "meet.alice", "--name", "Bob"
    )
    assert (code, err) == (0, "")
    lines = out.splitlines()
    assert [line.rsplit(maxsplit=1)[0] for line in lines] == [
        "guest, web app:",
        "guest, pexip://:",
        "host, web app:",
        "host, pexip://:",
    ]
    urls = [line.split()[-1] for line in lines]
    parsed = [parse_link(url) for url in urls]
    assert [(p.kind, p.role, p.name) for p in parsed] == [
        ("webapp", "guest", "Bob"),
        ("pexip", "guest", "Bob"),
        ("webapp", "host", "Bob"),
        ("pexip", "host", "Bob"),
    ]


def test_build_json_with_pins_from_the_environment(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(link_command.GUEST_PIN_ENV, "5678")
    monkeypatch.setenv(link_command.HOST_PIN_ENV, SECRET_PIN)
    code, out, err = run_cli(
        capsys, "build", "--node", "https://vc.example.com", "--alias", "meet.board", "--json"
    )
    assert (code, err) == (0, "")
    data = json.loads(out)
    assert set(data) == {"guest_webapp", "guest_pexip", "host_webapp", "host_pexip"}
    assert parse_link(data["guest_webapp"]).pin == "5678"
    assert SECRET_PIN not in out  # not without --include-host-pin

    code, out, _ = run_cli(
        capsys,
        "build",
        "--node",
        "https://vc.example.com",
        "--alias",
        "meet.board",
        "--json",
        "--role",
        "host",
        "--include-host-pin",
    )
    assert code == 0
    data = json.loads(out)
    assert set(data) == {"host_webapp", "host_pexip"}
    assert parse_link(data["host_pexip"]).pin == SECRET_PIN


def test_build_pin_options_warn_about_the_process_list(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, out, err = run_cli(
        capsys,
        "build",
        "--node",
        "vc.example.com",
        "--alias",
        "meet.board",
        "--guest-pin",
        "5678",
        "--role",
        "guest",
        "--call-type",
        "none",
        "--bandwidth",
        "512",
        "--mute-microphone",
        "--mute-camera",
        "--extension",
        "42",
    )
    assert code == 0
    assert "--guest-pin shows the PIN in the process list" in err
    web = parse_link(out.splitlines()[0].split()[-1])
    assert (web.pin, web.call_type, web.bandwidth, web.extension) == ("5678", "none", 512, "42")
    assert (web.mute_microphone, web.mute_camera) == (True, True)


@pytest.mark.parametrize(
    ("extra", "reason"),
    [
        (["--bandwidth", "9999"], "outside 256-2464"),
        (["--guest-pin", "12ab"], "digits only"),
        (["--include-host-pin"], "--include-host-pin needs --host-pin"),
        (["--node", "ftp://x"], "https://"),
    ],
)
def test_build_errors_exit_2(
    capsys: pytest.CaptureFixture[str], extra: list[str], reason: str
) -> None:
    code, out, err = run_cli(capsys, "build", "--node", "vc.example.com", "--alias", "m", *extra)
    assert code == 2
    assert out == ""
    assert reason in err


def test_missing_subcommand_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exited:
        main(["link"])
    assert exited.value.code == 2
    assert "parse" in capsys.readouterr().err


# --------------------------------------------------------------- a real process


def test_real_process_round_trip(tmp_path: Path) -> None:
    env = {**os.environ, "XDG_STATE_HOME": str(tmp_path / "state"), "PEXTUI_HOST_PIN": "4242"}
    command = [sys.executable, "-m", "pextui", "link", "build", "--node", "http://127.0.0.1:5050"]
    built = subprocess.run(
        [*command, "--alias", "meet.demo", "--json", "--include-host-pin"],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
        check=True,
    )
    host_link = json.loads(built.stdout)["host_webapp"]
    parsed = subprocess.run(
        [sys.executable, "-m", "pextui", "link", "parse", "-"],
        input=host_link,
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
        check=True,
    )
    data = json.loads(parsed.stdout)
    assert (data["node"], data["alias"], data["role"], data["pin"]) == (
        "http://127.0.0.1:5050",
        "meet.demo",
        "host",
        "****",
    )
    log = tmp_path / "state" / "pextui" / "pextui.log"
    assert "parsed a webapp link" in log.read_text()
    assert "4242" not in log.read_text()
    assert parsed.stderr == ""
