"""The `pextui` dispatcher: subcommands, help, and a closed pipe."""

from __future__ import annotations

import subprocess
import sys

import pytest

from pextui.cli import SUBCOMMANDS, build_parser, main


@pytest.mark.parametrize("name", sorted(SUBCOMMANDS))
def test_every_subcommand_has_help_with_logging_options(name: str) -> None:
    help_text = build_parser(name).format_help()
    assert f"pextui {name}" in help_text
    if name != "link":  # `link` takes them after `parse` / `build`
        assert "--log-file" in help_text


def test_console_parser_lists_the_subcommands() -> None:
    help_text = build_parser(None).format_help()
    for name in SUBCOMMANDS:
        assert f"{name}:" in help_text


def test_version_exits_zero(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["--version"])
    assert exit_info.value.code == 0
    assert "pextui" in capsys.readouterr().out


def test_closed_pipe_is_not_a_traceback() -> None:
    """`pextui link build ... | head -1` must end quietly when head closes the pipe."""
    script = (
        "import sys; from pextui.cli import main; "
        "sys.exit(main(['link', 'build', '--node', 'https://n.example', '--alias', 'a', "
        "'--role', 'both']))"
    )
    proc = subprocess.Popen(
        [sys.executable, "-c", script], stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )
    assert proc.stdout is not None and proc.stderr is not None
    proc.stdout.close()  # the reader goes away before the first line
    stderr = proc.stderr.read().decode()
    proc.wait(timeout=30)
    assert "Traceback" not in stderr
    assert proc.returncode in (0, 141)
