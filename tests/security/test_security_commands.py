"""Every command takes --log-file and --log-level and logs to a private file (never the
terminal); the PIN never shows in the process list when it comes from PEXTUI_PIN or the
prompt; what the commands print and log holds neither the PIN nor a token."""

from __future__ import annotations

import os
import pty
import select
import signal
import stat
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from pextui.cli import build_parser
from pextui.sim import tokens as sim_tokens
from pextui.sim.config import SimConfig, Timings, VmrConfig
from pextui.sim.server import SimServer
from tests.security.security_helpers import PEXTUI, files_under, private_env, run_pextui

PIN = "80421937"
ALIAS = "secret.room"
LINK = "https://node.example.com/webapp/conference/meet.demo?name=Ann"

# a command line for every command (the console and demo are only parsed: they need a tty)
COMMAND_LINES = {
    "console": (None, ["--node", "https://node.example.com", "--alias", "meet.demo"]),
    "demo": ("demo", []),
    "sim": ("sim", ["--port", "0"]),
    "watch": ("watch", ["--node", "https://node.example.com", "--alias", "meet.demo"]),
    "do": ("do", ["lock", "--node", "https://node.example.com", "--alias", "meet.demo"]),
    "link parse": ("link", ["parse", LINK]),
    "link build": ("link", ["build", "--node", "node.example.com", "--alias", "meet.demo"]),
}


@pytest.mark.parametrize("name", sorted(COMMAND_LINES))
def test_every_command_takes_log_file_and_level(name: str, tmp_path: Path) -> None:
    subcommand, argv = COMMAND_LINES[name]
    parser = build_parser(subcommand)
    log_file = tmp_path / "x.log"
    args = parser.parse_args([*argv, "--log-file", str(log_file), "--log-level", "debug"])
    assert args.log_file == log_file
    assert args.log_level == "DEBUG"
    defaults = parser.parse_args(argv)
    assert defaults.log_file is None and defaults.log_level == "INFO"


@pytest.fixture
def issued(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    made: list[str] = []
    original = sim_tokens.new_token

    def recording() -> str:
        made.append(original())
        return made[-1]

    monkeypatch.setattr(sim_tokens, "new_token", recording)
    return made


@pytest.fixture
def sim() -> Iterator[SimServer]:
    config = SimConfig(
        vmrs=[VmrConfig(ALIAS, host_pin=PIN)],
        participants=3,
        token_expires=3,
        timings=Timings(refresh_grace=0.5, keepalive=0.5),
    )
    with SimServer(config) as server:
        yield server


def assert_private(path: Path) -> None:
    assert stat.S_IMODE(path.stat().st_mode) == 0o600, f"{path} is not 0600"


def assert_no_secrets(texts: dict[str, str], secrets: list[str]) -> None:
    for where, text in texts.items():
        for secret in secrets:
            assert secret not in text, f"{where} holds a secret ({secret[:4]}…)"


def test_commands_log_to_the_given_file_or_the_state_dir(
    sim: SimServer, issued: list[str], tmp_path: Path
) -> None:
    env = private_env(tmp_path, PEXTUI_PIN=PIN)
    node = ("--node", sim.base_url, "--alias", ALIAS)
    logs = tmp_path / "logs"
    runs = {
        "watch": run_pextui(
            "watch", "--snapshot", *node, "--log-file", str(logs / "watch.log"),
            "--log-level", "DEBUG", env=env,
        ),
        "do": run_pextui(
            "do", "lock", *node, "--log-file", str(logs / "do.log"), "--log-level", "DEBUG",
            env=env,
        ),
        "link": run_pextui("link", "parse", LINK, "--log-file", str(logs / "link.log"), env=env),
        "default": run_pextui("do", "unlock", *node, "--log-level", "DEBUG", env=env),
    }  # fmt: skip
    for name, result in runs.items():
        assert result.returncode == 0, (name, result.stderr)
        assert "Traceback" not in result.stderr
    for name in ("watch", "do", "link"):
        assert_private(logs / f"{name}.log")
    assert "HTTP Request" in (logs / "watch.log").read_text()
    default = tmp_path / "state" / "pextui" / "pextui.log"
    assert_private(default)
    assert "unlock" in default.read_text() or "HTTP Request" in default.read_text()
    texts = {str(p): p.read_text(errors="replace") for p in files_under(tmp_path)}
    texts |= {f"{n} stdout": r.stdout for n, r in runs.items()}
    texts |= {f"{n} stderr": r.stderr for n, r in runs.items()}
    assert len(issued) >= 3
    assert_no_secrets(texts, [PIN, *issued])


def test_pextui_sim_logs_to_its_file(tmp_path: Path) -> None:
    log = tmp_path / "sim.log"
    command = [*PEXTUI, "sim", "--port", "0", "--log-file", str(log), "--log-level", "DEBUG"]
    with subprocess.Popen(
        command, env=private_env(tmp_path), stdout=subprocess.PIPE, text=True
    ) as process:
        try:
            assert process.stdout is not None
            assert process.stdout.readline().startswith("pextui sim listening on http://")
            assert log.exists()
            assert_private(log)
        finally:
            process.terminate()
            process.wait(10)


def argv_of(pid: int) -> str:
    return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()


def environ_is_private(pid: int) -> bool:
    """/proc/PID/environ is readable by the process owner only (not by other users)."""
    return stat.S_IMODE(os.stat(f"/proc/{pid}/environ").st_mode) & 0o044 == 0


@pytest.mark.skipif(not Path("/proc/self/cmdline").exists(), reason="needs /proc")
def test_pin_from_the_environment_is_not_in_the_process_list(
    sim: SimServer, tmp_path: Path
) -> None:
    env = private_env(tmp_path, PEXTUI_PIN=PIN)
    command = [*PEXTUI, "watch", "--node", sim.base_url, "--alias", ALIAS, "--duration", "20"]
    with subprocess.Popen(command, env=env, stdout=subprocess.PIPE, text=True) as process:
        try:
            assert process.stdout is not None
            assert process.stdout.readline()  # joined: the first event line
            assert PIN not in argv_of(process.pid)
            assert environ_is_private(process.pid)
        finally:
            process.send_signal(signal.SIGTERM)
            process.wait(10)


@pytest.mark.skipif(not Path("/proc/self/cmdline").exists(), reason="needs /proc")
def test_pin_typed_at_the_prompt_is_not_in_the_process_list(
    sim: SimServer, issued: list[str], tmp_path: Path
) -> None:
    env = private_env(tmp_path)
    command = [*PEXTUI, "watch", "--node", sim.base_url, "--alias", ALIAS, "--duration", "20"]
    main, secondary = pty.openpty()
    process = subprocess.Popen(
        command,
        env=env,
        stdin=secondary,
        stdout=subprocess.PIPE,
        stderr=secondary,
        start_new_session=True,  # no controlling terminal: getpass reads the pty on stdin
        text=True,
    )
    os.close(secondary)
    try:
        prompt = read_until(main, b"PIN", 20)
        assert b"PIN" in prompt
        os.write(main, PIN.encode() + b"\n")
        assert process.stdout is not None
        first = process.stdout.readline()
        assert first.startswith("{"), first
        assert PIN not in argv_of(process.pid)
        assert PIN.encode() not in prompt + read_available(main)  # not echoed
    finally:
        process.send_signal(signal.SIGTERM)
        process.wait(10)
        if process.stdout is not None:
            process.stdout.close()
        os.close(main)
    assert issued


def read_until(fd: int, marker: bytes, limit_s: float) -> bytes:
    data = b""
    deadline = time.monotonic() + limit_s
    while marker not in data and time.monotonic() < deadline:
        ready, _, _ = select.select([fd], [], [], 0.1)
        if ready:
            try:
                data += os.read(fd, 1024)
            except OSError:
                break
    return data


def read_available(fd: int) -> bytes:
    data = b""
    while select.select([fd], [], [], 0.2)[0]:
        try:
            chunk = os.read(fd, 1024)
        except OSError:
            break
        if not chunk:
            break
        data += chunk
    return data
