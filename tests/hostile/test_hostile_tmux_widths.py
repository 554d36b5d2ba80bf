"""The roster in a real terminal (tmux): with names terminals measure differently from Rich
(skin tones, keycaps, ZWJ sequences, variation selectors, fillers, flags), every row's panel
borders are in the same columns, as tmux itself counts them.

Skipped when tmux is not installed (`.ci/run` installs it)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.hostile.corpus import WIDE_NAMES

TMUX = shutil.which("tmux")
pytestmark = pytest.mark.skipif(TMUX is None, reason="tmux is not installed")
HERE = Path(__file__).parent
BORDERS = frozenset("│┃║▏▕▎▊╭╮╰╯├┤")
SIZE = (120, 40)


class Tmux:
    """A private tmux server (its own socket) for one test."""

    def __init__(self, socket: Path) -> None:
        self.socket = str(socket)

    def __call__(self, *args: str) -> str:
        assert TMUX is not None
        done = subprocess.run(
            [TMUX, "-S", self.socket, *args], capture_output=True, text=True, timeout=20
        )
        return done.stdout

    def width(self, text: str) -> int:
        """How many cells tmux gives `text` (its own table, as it draws)."""
        self("set-option", "-g", "@pextui_w", text)
        return int(self("display-message", "-p", "#{w:@pextui_w}").strip() or "0")


def columns(tmux: Tmux, line: str, widths: dict[str, int]) -> list[int]:
    """The cells (tmux's count) where the border characters of `line` are drawn."""
    found, cell = [], 0
    for char in line:
        if char in BORDERS:
            found.append(cell)
        if char not in widths:
            widths[char] = 1 if char.isascii() else tmux.width(char)
        cell += widths[char]
    return found


def test_roster_rows_keep_their_borders_in_tmux(tmp_path: Path) -> None:
    names = [*WIDE_NAMES, "Plain Alice", "Plain Bob"]
    (tmp_path / "names.json").write_text(json.dumps(names), encoding="utf-8")
    tmux = Tmux(tmp_path / "tmux.sock")
    env = {**os.environ, "LANG": "C.UTF-8", "TERM": "xterm-256color", "TZ": "UTC"}
    paths = str(HERE.parents[1])  # the repository root: the helpers come from the tests package
    command = f"PYTHONPATH={paths} {sys.executable} {HERE / 'tmux_roster_app.py'} names.json"
    subprocess.run(
        [TMUX, "-S", tmux.socket, "-f", "/dev/null", "new-session", "-d", "-x", str(SIZE[0]),
         "-y", str(SIZE[1]), "-c", str(tmp_path), command],
        env=env, check=True, timeout=20,
    )  # fmt: skip
    try:
        screen = ""
        for _ in range(300):  # until the roster is drawn (the app takes a while to start)
            screen = tmux("capture-pane", "-p")
            if "Plain Bob" in screen and "Plain Alice" in screen:
                break
            time.sleep(0.1)
        time.sleep(0.5)
        screen = tmux("capture-pane", "-p")
        lines = screen.splitlines()
        rows = [line for line in lines if " guest " in line]  # one per participant
        assert len(rows) == len(names), screen
        widths: dict[str, int] = {}
        plain = next(line for line in rows if "Plain Bob" in line)
        expected = columns(tmux, plain, widths)
        assert len(expected) >= 3, plain  # roster left + right, the side panel's left
        for line in lines:
            cells = columns(tmux, line, widths)
            if line in rows:
                assert cells == expected, f"{line!r}: borders at {cells}, not {expected}"
            assert sum(widths[c] for c in line) <= SIZE[0], f"{line!r} is wider than the pane"
    finally:
        tmux("kill-server")
