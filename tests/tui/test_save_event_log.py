"""`E` saves the event log under the user's state directory, privately, and says where."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest

from pextui.sim.server import SimServer
from tests.tui.console_helpers import running_console


async def test_save_log_writes_to_the_state_dir(
    simulator: SimServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    state = tmp_path / "state"
    cwd = tmp_path / "cwd"
    cwd.mkdir()
    monkeypatch.setenv("XDG_STATE_HOME", str(state))
    monkeypatch.chdir(cwd)
    async with running_console(simulator) as console:
        await console.press("E")
        await console.press("E")
        folder = state / "pextui" / "event-logs"
        saved = await console.until(lambda: sorted(folder.glob("pextui-events-*.log")), "files")
        await console.until(lambda: len(list(folder.glob("*.log"))) == 2, "two distinct files")
        messages = [note.message for note in list(console.app._notifications)]
    assert list(cwd.iterdir()) == []
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    for path in saved:
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert f"Saved to {saved[0]}" in messages
