"""The bulk-action threshold in the settings file: default, bounds, errors, round trip, and
the console's settings reading it."""

from __future__ import annotations

from pathlib import Path

import pytest

from pextui.config import (
    BULK_CONFIRM_ABOVE,
    CONFIG_ENV,
    Config,
    ConfigError,
    dump_toml,
    load_config,
    save_config,
    update_config,
)
from pextui.tui.settings import load_settings


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "config.toml"
    path.write_text(text, encoding="utf-8")
    path.chmod(0o600)
    return path


def test_default_threshold_and_a_value_from_the_file(tmp_path: Path) -> None:
    assert load_config(tmp_path / "absent.toml").bulk_confirm_above == BULK_CONFIRM_ABOVE == 10
    assert load_config(write(tmp_path, "bulk_confirm_above = 0\n")).bulk_confirm_above == 0
    assert load_config(write(tmp_path, "bulk_confirm_above = 25\n")).bulk_confirm_above == 25
    assert not load_config(write(tmp_path, "bulk_confirm_above = 3\n")).warnings


@pytest.mark.parametrize("value", ["-1", '"5"', "true", "2.5"])
def test_a_threshold_that_is_not_a_whole_number_is_an_error_with_its_line(
    tmp_path: Path, value: str
) -> None:
    path = write(tmp_path, f'theme = "ansi-dark"\nbulk_confirm_above = {value}\n')
    with pytest.raises(ConfigError) as caught:
        load_config(path)
    assert caught.value.line == 2
    assert "bulk_confirm_above" in caught.value.reason


def test_threshold_round_trips_and_the_default_is_not_written(tmp_path: Path) -> None:
    assert "bulk_confirm_above" not in dump_toml(Config())
    path = tmp_path / "config.toml"
    save_config(Config(bulk_confirm_above=3), path)
    assert load_config(path).bulk_confirm_above == 3
    update_config(path, theme="ansi-dark")  # another change keeps it
    assert load_config(path) == Config(theme="ansi-dark", bulk_confirm_above=3)


def test_the_console_settings_carry_the_threshold(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(CONFIG_ENV, str(write(tmp_path, "bulk_confirm_above = 4\n")))
    assert load_settings(None, set()).bulk_confirm_above == 4
    monkeypatch.setenv(CONFIG_ENV, str(write(tmp_path, "bulk_confirm_above = -4\n")))
    broken = load_settings(None, set())
    assert broken.bulk_confirm_above == BULK_CONFIRM_ABOVE  # defaults, and the host is told
    assert broken.problems and "bulk_confirm_above" in broken.problems[0]
