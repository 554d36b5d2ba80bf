"""Problems with the config file are warnings when the console starts (not only log lines),
and the console starts anyway: a TOML syntax error, a `[keys]` entry that names no action,
an unknown setting, a config file that cannot be written."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from pextui.tui import settings
from pextui.tui.app import PextuiApp, make_app
from pextui.tui.screens.connect import ConnectScreen
from tests.tui.console_helpers import until

Shown = tuple[str, str, str]  # title, severity, message


@pytest.fixture
def config_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    path = tmp_path / "config.toml"
    monkeypatch.setenv("PEXTUI_CONFIG", str(path))
    yield path


def write(path: Path, text: str) -> None:
    path.write_text(text)
    path.chmod(0o600)  # a config readable by others is a warning of its own


def recording(app: PextuiApp) -> list[Shown]:
    shown: list[Shown] = []
    original = app.notify

    def notify(message: str, **options: Any) -> None:
        shown.append((options.get("title", ""), options.get("severity", ""), message))
        original(message, **options)

    app.notify = notify  # type: ignore[method-assign]
    return shown


async def warnings_at_start() -> list[Shown]:
    app = make_app(load_settings=True)
    shown = recording(app)
    async with app.run_test() as pilot:
        await until(pilot, lambda: isinstance(app.screen, ConnectScreen), "the connect screen")
        await pilot.pause()
    return [item for item in shown if item[0] == "Config" and item[1] == "warning"]


async def test_a_toml_syntax_error_is_a_warning(config_file: Path) -> None:
    write(config_file, 'theme = "ansi-dark"\n[keys\n')
    warnings = await warnings_at_start()
    assert len(warnings) == 1
    message = warnings[0][2]
    assert "Config file not loaded" in message and "config.toml:2: invalid TOML" in message


async def test_keys_that_name_no_action_and_unknown_settings_are_warnings(
    config_file: Path,
) -> None:
    write(config_file, 'volume = 11\n[keys]\nquit = "ctrl+x"\nno_such_action = "f5"\n')
    messages = [message for _, _, message in await warnings_at_start()]
    assert any("'no_such_action'" in m and "name no action" in m for m in messages), messages
    assert any("volume" in m for m in messages), messages
    assert not any("'quit'" in m for m in messages)


async def test_a_config_path_through_a_file_is_a_warning(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    blocker = tmp_path / "not-a-directory"
    blocker.write_text("")
    monkeypatch.setenv("PEXTUI_CONFIG", str(blocker / "pextui" / "config.toml"))
    messages = [message for _, _, message in await warnings_at_start()]
    assert len(messages) == 1
    assert "not-a-directory" in messages[0] and "Not a directory" in messages[0]


async def test_a_config_directory_that_cannot_be_written_is_a_warning(
    config_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write(config_file, 'theme = "textual-dark"\n')
    # the tests run as root, whom no file mode stops: the permission check answers no
    real_access = os.access

    def access(path: Any, mode: int, **kwargs: Any) -> bool:
        denied = Path(path) == config_file.parent and mode & os.W_OK
        return False if denied else real_access(path, mode, **kwargs)

    monkeypatch.setattr(settings.os, "access", access)
    messages = [message for _, _, message in await warnings_at_start()]
    assert len(messages) == 1
    assert "cannot be written" in messages[0] and "is not writable" in messages[0]
    assert "will not be remembered" in messages[0]


async def test_a_good_config_gives_no_warning(config_file: Path) -> None:
    write(config_file, 'theme = "textual-dark"\n')
    assert await warnings_at_start() == []
