"""`pextui watch`: JSON lines and snapshots, in-process and as a real process (SIGTERM)."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

from pextui import logs
from pextui.cli import build_parser, main
from pextui.commands.connection import INSECURE_WARNING, UsageError, join_params
from pextui.sim.config import SimConfig
from pextui.sim.server import SimServer


@pytest.fixture
def sim(monkeypatch: pytest.MonkeyPatch) -> Iterator[SimServer]:
    monkeypatch.setenv("PEXTUI_PIN", "1234")
    with SimServer(SimConfig()) as server:
        yield server
    logs.shutdown_logging()


def watch(
    sim: SimServer, tmp_path: Path, capsys: pytest.CaptureFixture[str], *extra: str
) -> tuple[int, str, str]:
    capsys.readouterr()
    code = main(
        ["watch", "--node", sim.base_url, "--alias", "meet.demo", "--name", "Watcher",
         "--log-file", str(tmp_path / "log"), *extra]
    )  # fmt: skip
    out, err = capsys.readouterr()
    return code, out, err


def test_prints_one_json_line_per_event(
    sim: SimServer, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = watch(sim, tmp_path, capsys, "--count", "4")
    assert code == 0
    lines = [json.loads(line) for line in out.splitlines()]
    assert [line["event"] for line in lines] == [
        "participant_sync_begin",
        "participant_create",
        "participant_sync_end",
        "conference_update",
    ]
    assert lines[1]["data"]["display_name"] == "Watcher"
    assert lines[3]["data"]["locked"] is False
    assert sim.state()["tokens"] == 0


def test_state_lines_on_request(
    sim: SimServer, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = watch(sim, tmp_path, capsys, "--count", "2", "--state")
    assert code == 0
    lines = [json.loads(line) for line in out.splitlines()]
    assert lines[0] == {"event": "stream.connected", "data": {"reconnect": False}}


def test_duration_ends_the_watch(
    sim: SimServer, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = watch(sim, tmp_path, capsys, "--duration", "0.5")
    assert code == 0
    assert len(out.splitlines()) >= 4
    assert sim.state()["tokens"] == 0


def test_snapshot_is_one_document_of_the_synced_state(
    sim: SimServer, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = watch(sim, tmp_path, capsys, "--snapshot", "--settle", "0.2")
    assert code == 0
    document: dict[str, Any] = json.loads(out)
    assert document["conference"]["alias"] == "meet.demo"
    assert document["conference"]["role"] == "HOST"
    assert document["status"]["locked"] is False
    names = [record["participant"]["display_name"] for record in document["roster"]]
    assert names == ["Watcher"]
    assert document["layout"] is not None
    assert "stage" in document
    assert sim.state()["tokens"] == 0


def test_wrong_pin_exits_3_without_the_pin(
    sim: SimServer,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("PEXTUI_PIN", "4321")
    code, out, err = watch(sim, tmp_path, capsys, "--count", "1")
    assert code == 3
    assert out == ""
    assert "Invalid PIN" in err and "4321" not in err


def test_unreachable_node_exits_4(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code = main(
        ["watch", "--node", "http://127.0.0.1:9", "--alias", "x", "--log-file", str(tmp_path / "l")]
    )
    assert code == 4
    assert "cannot connect" in capsys.readouterr().err
    logs.shutdown_logging()


def test_usage_without_node_or_link(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["watch", "--alias", "x", "--log-file", str(tmp_path / "l")])
    assert code == 2
    assert "give a join link" in capsys.readouterr().err
    logs.shutdown_logging()


def test_a_link_without_a_node_says_so(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    link = "pexip://meet.demo@example.com?role=guest"
    code = main(["watch", link, "--log-file", str(tmp_path / "l")])
    assert code == 2
    err = capsys.readouterr().err
    assert "names no node" in err and "host=" in err and "--node" in err, err
    assert "give a join link" not in err
    logs.shutdown_logging()


def test_connection_options(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    parser = build_parser("watch")
    args = parser.parse_args(
        ["https://node.example/webapp/conference/meet.x?role=guest", "--insecure"]
    )
    params = join_params(args, env={})
    assert (params.node_url, params.alias, params.pin, params.verify) == (
        "https://node.example", "meet.x", "none", False
    )  # fmt: skip
    assert INSECURE_WARNING in capsys.readouterr().err
    bundle = tmp_path / "ca.pem"
    bundle.write_text("not checked here")
    args = parser.parse_args(["--node", "node.example", "--alias", "a", "--ca-bundle", str(bundle)])
    params = join_params(args, env={"PEXTUI_PIN": "2468"})
    assert (params.node_url, params.pin, params.verify) == (
        "https://node.example",
        "2468",
        str(bundle),
    )
    assert "2468" not in repr(params)
    args = parser.parse_args(["http://127.0.0.1:8080/webapp/conference/meet.y?pin=7531&name=Bo"])
    params = join_params(args, env={"PEXTUI_PIN": "1111"})
    assert (params.node_url, params.pin, params.display_name) == (
        "http://127.0.0.1:8080",
        "7531",
        "Bo",
    )
    assert "the join link carries a PIN" in capsys.readouterr().err
    with pytest.raises(UsageError, match="exclude each other"):
        join_params(
            parser.parse_args(["--node", "n", "--alias", "a", "--insecure", "--ca-bundle", "x"]),
            env={},
        )
    with pytest.raises(UsageError, match="no such file"):
        join_params(
            parser.parse_args(["--node", "n", "--alias", "a", "--ca-bundle", "/nope.pem"]), env={}
        )
    with pytest.raises(UsageError, match="invalid join link"):
        join_params(parser.parse_args(["https://node.example/nothing-here"]), env={})


def test_unloadable_ca_bundle_is_a_usage_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bundle = tmp_path / "ca.pem"
    bundle.write_text("not really a certificate")
    node = ["--node", "https://127.0.0.1:9", "--alias", "a", "--ca-bundle", str(bundle)]
    code = main(["watch", *node, "--log-file", str(tmp_path / "l")])
    assert code == 2
    assert "cannot be loaded" in capsys.readouterr().err
    logs.shutdown_logging()


@contextmanager
def watching(sim: SimServer, log_file: Path) -> Iterator[subprocess.Popen[str]]:
    """`pextui watch` as host in a child process, past its first event; killed if left running."""
    env = dict(os.environ, PEXTUI_PIN="1234")
    process = subprocess.Popen(
        [sys.executable, "-m", "pextui", "watch", "--node", sim.base_url, "--alias", "meet.demo",
         "--log-file", str(log_file)],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env, text=True,
    )  # fmt: skip
    try:
        assert process.stdout is not None
        assert json.loads(process.stdout.readline())["event"] == "participant_sync_begin"
        yield process
    finally:
        if process.poll() is None:
            process.kill()
            process.wait(5)


def test_sigterm_releases_the_token(sim: SimServer, tmp_path: Path) -> None:
    with watching(sim, tmp_path / "log") as process:
        deadline = time.monotonic() + 5
        while sim.state()["tokens"] != 1:
            assert time.monotonic() < deadline, "the watcher's token never showed up"
            time.sleep(0.02)
        process.send_signal(signal.SIGTERM)
        assert process.wait(10) == 143
    assert sim.state()["tokens"] == 0
    log = (tmp_path / "log").read_text()
    assert "token released" in log
    assert "1234" not in log


def test_watch_ends_with_the_conference(sim: SimServer, tmp_path: Path) -> None:
    """A host ends the meeting: the watcher prints the disconnect event and exits 0."""
    with watching(sim, tmp_path / "log") as process:
        code = main(["do", "--node", sim.base_url, "--alias", "meet.demo", "disconnect-all",
                     "--log-file", str(tmp_path / "do-log")])  # fmt: skip
        assert code == 0
        out, err = process.communicate(timeout=10)
    last = json.loads(out.splitlines()[-1])
    assert last["event"] == "disconnect"
    assert last["data"]["reason"]
    assert process.returncode == 0, err
    assert sim.state()["tokens"] == 0


def test_watch_shows_breakout_caption_and_frame_events(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("PEXTUI_PIN", "1234")
    config = SimConfig(scenario="workshop")
    config.timings.scenario_speed = 40.0
    config.timings.frame_interval = 0.1
    config.timings.caption_final = 0.05
    with SimServer(config) as server:
        code, out, _ = watch(server, tmp_path, capsys, "--captions", "--duration", "3")
    logs.shutdown_logging()
    assert code == 0
    lines = [json.loads(line) for line in out.splitlines()]
    names = {line["event"] for line in lines}
    assert {"breakout_event", "breakout_refer", "breakout_end", "presentation_frame"} <= names
    assert "live_captions" in names
    wrapped = next(line["data"] for line in lines if line["event"] == "breakout_event")
    assert set(wrapped) >= {"breakout_uuid", "event", "data"}
    caption = next(line["data"] for line in lines if line["event"] == "live_captions")
    assert caption["sources"][0]["participant_uuid"]
    frame = next(line["data"] for line in lines if line["event"] == "presentation_frame")
    assert int(frame["lastEventId"]) >= 1
