"""Nothing listens beyond loopback by default: `pextui demo` (the console on a terminal, with
its embedded simulator), `pextui sim` without --host, and `pextui serve demo` (the console in
a browser; beyond loopback only with --allow-remote and a secret, see tests/serve). The
sockets are read from /proc while they run."""

from __future__ import annotations

import os
import pty
import signal
import subprocess
import threading
import time
from pathlib import Path

import pytest

from tests.security.security_helpers import PEXTUI, private_env

pytestmark = pytest.mark.skipif(not Path("/proc/net/tcp").exists(), reason="needs /proc")
LOOPBACK = {"0100007F", "00000000000000000000000001000000"}  # 127.0.0.1 and ::1 as /proc shows


def listening(pid: int) -> list[tuple[str, int]]:
    """(address as /proc writes it, port) of every TCP socket the process listens on."""
    inodes = set()
    for fd in Path(f"/proc/{pid}/fd").iterdir():
        try:
            target = os.readlink(fd)
        except OSError:
            continue
        if target.startswith("socket:["):
            inodes.add(target[8:-1])
    found = []
    for table in ("tcp", "tcp6"):
        lines = Path(f"/proc/{pid}/net/{table}").read_text().splitlines()[1:]
        for line in lines:
            fields = line.split()
            address, state, inode = fields[1], fields[3], fields[9]
            if state == "0A" and inode in inodes:  # 0A: LISTEN
                host, port = address.split(":")
                found.append((host, int(port, 16)))
    return found


def wait_for_listeners(pid: int, limit_s: float = 30.0) -> list[tuple[str, int]]:
    deadline = time.monotonic() + limit_s
    while time.monotonic() < deadline:
        found = listening(pid)
        if found:
            return found
        time.sleep(0.1)
    raise AssertionError("the process never listened")


def test_demo_listens_on_loopback_only(tmp_path: Path) -> None:
    env = private_env(tmp_path, TERM="xterm-256color", COLUMNS="100", LINES="30")
    main, secondary = pty.openpty()
    process = subprocess.Popen(
        [*PEXTUI, "demo", "--port", "0", "--log-file", str(tmp_path / "demo.log")],
        env=env,
        stdin=secondary,
        stdout=secondary,
        stderr=secondary,
        start_new_session=True,
    )
    os.close(secondary)
    screen = bytearray()
    reader = threading.Thread(target=drain, args=(main, screen), daemon=True)
    reader.start()  # a terminal nobody reads would block the console's output
    try:
        wait_for_listeners(process.pid)
        # The simulators listen before the console starts; a ctrl+q sent before the console
        # has the terminal in raw mode is eaten by the terminal (XON). Wait until both tabs
        # carry their conference's name (the aliases show while joining): the console is up
        # and joined, any other listener exists by now.
        wait_for_screen(screen, (b"Demo Meeting", b"Board Meeting"))
        found = listening(process.pid)
        assert found and all(host in LOOPBACK for host, _ in found), found
    finally:
        os.write(main, b"\x11")  # ctrl+q: leave and quit
        try:
            process.wait(10)
        except subprocess.TimeoutExpired:
            process.send_signal(signal.SIGTERM)
            process.wait(10)
        reader.join(5)
        os.close(main)
    assert process.returncode == 0
    assert b"meet.demo" in screen  # the console really ran on the terminal
    assert b"Traceback" not in screen and b"Exception" not in screen


def wait_for_screen(screen: bytearray, texts: tuple[bytes, ...], limit_s: float = 60.0) -> None:
    deadline = time.monotonic() + limit_s
    while time.monotonic() < deadline:
        if all(text in screen for text in texts):
            return
        time.sleep(0.1)
    raise AssertionError(f"the console never showed {texts}")


def drain(fd: int, into: bytearray) -> None:
    while True:
        try:
            chunk = os.read(fd, 65536)
        except OSError:
            return
        if not chunk:
            return
        into += chunk


def test_sim_listens_on_loopback_by_default(tmp_path: Path) -> None:
    with subprocess.Popen(
        [*PEXTUI, "sim", "--port", "0"],
        env=private_env(tmp_path),
        stdout=subprocess.PIPE,
        text=True,
    ) as process:
        try:
            assert process.stdout is not None
            assert process.stdout.readline().startswith("pextui sim listening on http://127.0.0.1:")
            found = wait_for_listeners(process.pid)
            assert all(host in LOOPBACK for host, _ in found), found
        finally:
            process.terminate()
            process.wait(10)


def test_serve_listens_on_loopback_by_default(tmp_path: Path) -> None:
    with subprocess.Popen(
        [*PEXTUI, "serve", "demo", "--port", "0", "--log-file", str(tmp_path / "serve.log")],
        env=private_env(tmp_path),
        stdout=subprocess.PIPE,
        text=True,
    ) as process:
        try:
            assert process.stdout is not None
            assert process.stdout.readline().startswith("pextui serve: open http://127.0.0.1:")
            found = wait_for_listeners(process.pid)
            assert len(found) == 2, found  # the web server and the demo's simulator
            assert all(host in LOOPBACK for host, _ in found), found
        finally:
            process.terminate()
            process.wait(20)
        assert process.returncode == 0
