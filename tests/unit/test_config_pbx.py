"""The [pbx] table of the settings file: parsed, validated with the line, saved back, no secrets."""

from __future__ import annotations

from pathlib import Path

import pytest

from pextui.config import ConfigError, load_config, save_config, update_config

GOOD = """
theme = "ansi-dark"

[pbx]
base_url = "https://pbx.example.com:8088/"
operator = "2005"
client_secret = "hunter2hunter2"

[pbx.numbers]
meet.demo = "8001"
"meet.board" = "sip:meet.board@pexip.example.com"
"""


def test_the_pbx_table_is_read_with_dotted_aliases(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_text(GOOD)
    path.chmod(0o600)
    config = load_config(path)
    assert config.pbx is not None
    assert config.pbx.base_url == "https://pbx.example.com:8088"
    assert config.pbx.operator == "2005" and not config.pbx.insecure
    assert dict(config.pbx.numbers) == {
        "meet.demo": "8001",
        "meet.board": "sip:meet.board@pexip.example.com",
    }
    (warning,) = config.warnings
    assert "pbx.client_secret" in warning and "environment or a prompt" in warning
    assert "hunter2" not in warning


def test_saving_keeps_the_pbx_table_and_drops_the_secret(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_text(GOOD)
    update_config(path, theme="textual-dark")
    text = path.read_text()
    assert "hunter2" not in text and "[pbx.numbers]" in text
    again = load_config(path)
    assert again.pbx == load_config(path).pbx and again.warnings == ()
    assert again.pbx is not None and again.pbx.numbers["meet.demo"] == "8001"
    save_config(again, path)
    assert load_config(path).pbx == again.pbx


@pytest.mark.parametrize(
    ("table", "message", "line"),
    [
        ('base_url = "ftp://x"\noperator = "2005"', "HOST", 3),
        ('base_url = "https://x"\noperator = 2005', "extension number", 4),
        ('base_url = "https://x"\noperator = "2005"\ninsecure = "no"', "true or false", 5),
        ('base_url = "https://x"\noperator = "2005"\n[pbx.numbers]\n"a" = "8 0 0 1"',
         "pbx.numbers.a", 6),
    ],
)  # fmt: skip
def test_bad_values_name_the_setting_and_line(
    tmp_path: Path, table: str, message: str, line: int
) -> None:
    path = tmp_path / "config.toml"
    path.write_text("\n[pbx]\n" + table + "\n")
    with pytest.raises(ConfigError, match=message) as caught:
        load_config(path)
    assert caught.value.line == line


def test_no_pbx_table_means_no_pbx(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_text('theme = "x"\n')
    assert load_config(path).pbx is None
