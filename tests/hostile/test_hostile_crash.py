"""An unhandled exception in the console: written to the log with its traceback, secrets
redacted, a short note (no locals) on the terminal, and the process exits non-zero. Quitting
without ever joining exits non-zero too."""

from __future__ import annotations

from collections.abc import Iterator
from functools import partial
from pathlib import Path
from typing import Any

import pytest
from textual import events

from pextui import logs
from pextui.cli import main
from pextui.protocol.client import JoinParams
from pextui.tui import app as app_module
from pextui.tui.app import EXIT_NOT_JOINED, PextuiApp

SECRET_PIN = "918273"
TOKEN = "tok-5f1e2d3c4b5a69788796a5b4"


class Crashing(PextuiApp):
    def on_mount(self, event: events.Mount) -> None:
        event.prevent_default()
        pin = SECRET_PIN  # a local a traceback with locals would show
        raise RuntimeError(f"boom with pin {pin} and token={TOKEN}")


@pytest.fixture
def log_file(tmp_path: Path) -> Iterator[Path]:
    yield tmp_path / "pextui.log"
    logs.clear_secrets()
    logs.shutdown_logging()


def test_a_crash_is_logged_with_its_traceback_redacted_and_exits_non_zero(
    log_file: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("PEXTUI_PIN", SECRET_PIN)

    def crashing_app(**kwargs: Any) -> PextuiApp:
        app = Crashing()
        app.run = partial(app.run, headless=True)  # type: ignore[method-assign]
        return app

    monkeypatch.setattr(app_module, "make_app", crashing_app)
    code = main(["--node", "http://127.0.0.1:9", "--alias", "x", "--log-file", str(log_file)])
    assert code != 0
    text = log_file.read_text()
    assert "Traceback" in text and "RuntimeError: boom with pin" in text
    assert "on_mount" in text  # the frame where it happened
    assert SECRET_PIN not in text and TOKEN not in text
    err = capsys.readouterr().err
    assert SECRET_PIN not in err and TOKEN not in err
    assert "traceback is in its log file" in err and str(log_file) in err


async def test_quitting_without_joining_exits_non_zero() -> None:
    app = PextuiApp()
    async with app.run_test() as pilot:
        await pilot.pause()
        await pilot.press("ctrl+q")
        await pilot.pause()
    assert app.return_code == EXIT_NOT_JOINED != 0


async def test_quitting_after_a_failed_join_exits_non_zero() -> None:
    app = PextuiApp(join=JoinParams(node_url="http://127.0.0.1:9", alias="x", display_name="h"))
    async with app.run_test() as pilot:
        for _ in range(200):
            await pilot.pause(0.02)
            if type(app.screen).__name__ == "ConnectScreen":
                break
        await pilot.press("ctrl+q")
        await pilot.pause()
    assert app.return_code == EXIT_NOT_JOINED
