"""`pextui serve` as a separate process on loopback, with a private home, config and state."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

PEXTUI = [sys.executable, "-m", "pextui"]
URL_RE = re.compile(r"open (https?://\S+/) in a browser")
SIM_RE = re.compile(r"simulator is at (http://\S+) ")
SECRET = "correct-horse-battery-staple-42"


def private_env(home: Path, **extra: str) -> dict[str, str]:
    """An environment whose config, state and log files all land under `home`."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PEXTUI_", "XDG_"))}
    env.update(
        HOME=str(home),
        XDG_CONFIG_HOME=str(home / "config"),
        XDG_STATE_HOME=str(home / "state"),
        XDG_CACHE_HOME=str(home / "cache"),
        PEXTUI_CONFIG=str(home / "config" / "pextui" / "config.toml"),
        PYTHONUNBUFFERED="1",
    )
    env.update(extra)
    return env


@dataclass
class Served:
    process: subprocess.Popen[str]
    url: str
    sim_url: str | None
    log_file: Path
    output: list[str] = field(default_factory=list)  # every stdout/stderr line

    @property
    def origin(self) -> str:
        return self.url.rstrip("/")

    @property
    def host(self) -> str:
        return self.origin.split("://", 1)[1]

    def text(self) -> str:
        return "".join(self.output)


def children(pid: int) -> list[int]:
    """The direct children of `pid` (from /proc)."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
            found.append(int(entry.name))
    return found


def argv_of(pid: int) -> list[str]:
    return Path(f"/proc/{pid}/cmdline").read_bytes().decode().split("\0")


def environ_of(pid: int) -> dict[str, str]:
    items = Path(f"/proc/{pid}/environ").read_bytes().decode().split("\0")
    return dict(item.split("=", 1) for item in items if "=" in item)


@contextmanager
def serving(
    home: Path, *args: str, secret: str | None = None, timeout_s: float = 60.0
) -> Iterator[Served]:
    """Run `pextui serve ARGS --port 0`; yield once it prints its URL; stop it with SIGTERM."""
    extra = {"PEXTUI_SERVE_SECRET": secret} if secret else {}
    log_file = home / "serve.log"
    process = subprocess.Popen(
        [*PEXTUI, "serve", *args, "--port", "0", "--log-file", str(log_file)],
        env=private_env(home, **extra),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        stdin=subprocess.DEVNULL,
        text=True,
        start_new_session=True,
    )
    assert process.stdout is not None
    output: list[str] = []
    url = sim_url = None
    timer = threading.Timer(timeout_s, process.kill)  # a server that never starts is ended
    timer.start()
    try:
        for line in process.stdout:
            output.append(line)
            if match := SIM_RE.search(line):
                sim_url = match.group(1)
            if match := URL_RE.search(line):
                url = match.group(1)
            if "press Ctrl+C to stop" in line:
                break
    finally:
        timer.cancel()
    if url is None:
        process.kill()
        process.wait(10)
        raise AssertionError("pextui serve did not start:\n" + "".join(output))
    reader = threading.Thread(target=lambda: output.extend(process.stdout or ()), daemon=True)
    reader.start()
    served = Served(process, url, sim_url, log_file, output)
    try:
        yield served
    finally:
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
        try:
            process.wait(30)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(10)
        reader.join(5)
    assert process.returncode == 0, served.text()
