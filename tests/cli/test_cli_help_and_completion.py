"""The command line for a new user: a mistyped command says "unknown command" with the near
one, `pextui config` shows the config file's path, and shell completion works in bash, zsh
and fish (argcomplete)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from pextui.cli import main


@pytest.mark.parametrize(("word", "near"), [("dmeo", "demo"), ("wtach", "watch"), ("lnik", "link")])
def test_a_mistyped_command_is_an_unknown_command_with_a_suggestion(
    word: str, near: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main([word]) == 2
    err = capsys.readouterr().err
    assert f"unknown command '{word}'" in err and f"did you mean `pextui {near}`" in err
    assert "join link" not in err


def test_a_word_far_from_every_command_lists_them(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["zzzz"]) == 2
    err = capsys.readouterr().err
    assert "unknown command 'zzzz'." in err and "demo" in err and "config" in err


def test_config_shows_its_path(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "conf" / "config.toml"
    monkeypatch.setenv("PEXTUI_CONFIG", str(path))
    assert main(["config", "path"]) == 0
    assert capsys.readouterr().out.strip() == str(path)
    assert main(["config"]) == 0
    assert capsys.readouterr().out.startswith(f"{path} (not created yet")
    path.parent.mkdir()
    path.write_text('theme = "nord"\n')
    assert main(["config", "show"]) == 0
    assert 'theme = "nord"' in capsys.readouterr().out


@pytest.mark.parametrize("shell", ["bash", "zsh", "fish"])
def test_completion_scripts(shell: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["completion", shell]) == 0
    script = capsys.readouterr().out
    assert "pextui" in script and "_ARGCOMPLETE" in script


def complete(line: str) -> list[str]:
    """What the completion script would offer for `line` (argcomplete's protocol)."""
    env = {**os.environ, "_ARGCOMPLETE": "1", "COMP_LINE": line, "COMP_POINT": str(len(line)),
           "_ARGCOMPLETE_IFS": "\n"}  # fmt: skip
    code = "import sys; from pextui.cli import main; sys.exit(main())"
    done = subprocess.run(
        ["bash", "-c", f'"$0" -c "{code}" 8>&1 9>/dev/null', sys.executable],
        env=env, capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    return [word.strip() for word in done.stdout.split("\n")]


def test_completion_offers_commands_and_options() -> None:
    assert "demo" in complete("pextui de")
    assert "--participant" in complete("pextui do --parti")
    assert {"bash", "zsh", "fish"} <= set(complete("pextui completion "))
