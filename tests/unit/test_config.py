"""Settings file: location, modes, atomic writes, recent conferences, errors, no PIN ever."""

from __future__ import annotations

import inspect
import os
import stat
import tomllib
from pathlib import Path

import pytest

from pextui.config import (
    CONFIG_ENV,
    MAX_RECENT,
    Config,
    ConfigError,
    RecentConference,
    config_path,
    dump_toml,
    load_config,
    remember_conference,
    save_config,
    update_config,
)
from pextui.links import LinkError


@pytest.fixture(autouse=True)
def isolated_dirs(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.delenv(CONFIG_ENV, raising=False)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg"))


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


# --------------------------------------------------------------- location and modes


def test_default_path_is_under_the_user_config_dir(tmp_path: Path) -> None:
    assert config_path() == tmp_path / "xdg" / "pextui" / "config.toml"


def test_env_var_overrides_the_path(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(CONFIG_ENV, str(tmp_path / "elsewhere.toml"))
    assert config_path() == tmp_path / "elsewhere.toml"
    monkeypatch.setenv(CONFIG_ENV, "  ")
    assert config_path() == tmp_path / "xdg" / "pextui" / "config.toml"


def test_missing_file_gives_defaults(tmp_path: Path) -> None:
    assert load_config() == Config()
    assert not (tmp_path / "xdg").exists()  # reading never creates anything


def test_save_creates_private_directory_and_file(tmp_path: Path) -> None:
    path = save_config(Config(theme="ansi-dark"))
    assert path == tmp_path / "xdg" / "pextui" / "config.toml"
    assert mode(path) == 0o600
    assert mode(path.parent) == 0o700
    assert load_config() == Config(theme="ansi-dark")


def test_save_tightens_a_loose_existing_file_and_warns_before(tmp_path: Path) -> None:
    path = tmp_path / "c.toml"
    path.write_text('theme = "x"\n')
    path.chmod(0o644)
    loaded = load_config(path)
    assert any("readable by other users" in warning for warning in loaded.warnings)
    save_config(loaded, path)
    assert mode(path) == 0o600
    assert load_config(path).warnings == ()


def test_existing_directory_mode_is_left_alone(tmp_path: Path) -> None:
    shared = tmp_path / "shared"
    shared.mkdir(mode=0o755)
    shared.chmod(0o755)
    save_config(Config(), shared / "c.toml")
    assert mode(shared) == 0o755


def test_write_is_atomic_and_leaves_no_temporary_files(tmp_path: Path) -> None:
    path = tmp_path / "c.toml"
    save_config(Config(theme="one"), path)
    inode = path.stat().st_ino
    save_config(Config(theme="two"), path)
    assert path.stat().st_ino != inode  # replaced by rename, not rewritten in place
    assert sorted(p.name for p in tmp_path.iterdir()) == ["c.toml"]


def test_failed_write_keeps_the_old_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "c.toml"
    save_config(Config(theme="old"), path)

    def failing_replace(src: str, dst: str) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", failing_replace)
    with pytest.raises(ConfigError, match="No space left on device") as caught:
        save_config(Config(theme="new"), path)
    assert str(path) in str(caught.value)
    monkeypatch.undo()
    assert load_config(path).theme == "old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["c.toml"]


def test_symlinked_config_is_written_through(tmp_path: Path) -> None:
    real = tmp_path / "dotfiles" / "pextui.toml"
    real.parent.mkdir()
    real.write_text("")
    link = tmp_path / "c.toml"
    link.symlink_to(real)
    save_config(Config(theme="linked"), link)
    assert link.is_symlink()
    assert load_config(real).theme == "linked"


def test_unwritable_location_is_a_config_error(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("")
    with pytest.raises(ConfigError, match="cannot write"):
        save_config(Config(), blocker / "c.toml")


# --------------------------------------------------------------- content round trip


def test_full_config_round_trips(tmp_path: Path) -> None:
    config = Config(
        theme="ansi-dark",
        display_name='Ann "the host" \\ Lee\tñ 🎉',
        ca_bundle=tmp_path / "ca.pem",
        keys={"mute": "ctrl+m", "transfer": "T,ctrl+t", "odd.action id": "f5"},
        recent=(
            RecentConference("https://vc.example.com", "meet.alice", "Alice", "host"),
            RecentConference("http://127.0.0.1:5050", "meet demo@x", None, None),
        ),
    )
    path = save_config(config, tmp_path / "c.toml")
    assert load_config(path) == config
    assert tomllib.loads(path.read_text())["keys"]["odd.action id"] == "f5"


def test_control_characters_are_escaped(tmp_path: Path) -> None:
    config = Config(display_name="a\x00b\x1b[31mc\x7fd\ne")
    text = dump_toml(config)
    assert "\x1b" not in text
    assert "\x00" not in text
    path = save_config(config, tmp_path / "c.toml")
    assert load_config(path).display_name == "a\x00b\x1b[31mc\x7fd\ne"


def test_unrepresentable_text_is_a_config_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="unpaired surrogate"):
        save_config(Config(display_name="bad \ud800"), tmp_path / "c.toml")
    assert not (tmp_path / "c.toml").exists()


def test_ca_bundle_expands_the_home_directory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    path = tmp_path / "c.toml"
    path.write_text('ca_bundle = "~/ca.pem"\n')
    path.chmod(0o600)
    assert load_config(path).ca_bundle == tmp_path / "home" / "ca.pem"


def test_update_config_changes_one_field(tmp_path: Path) -> None:
    path = tmp_path / "c.toml"
    remember_conference("vc.example.com", "meet.alice", path=path)
    update_config(path, theme="textual-light")
    loaded = load_config(path)
    assert loaded.theme == "textual-light"
    assert [r.alias for r in loaded.recent] == ["meet.alice"]


# --------------------------------------------------------------- recent conferences


def test_remember_puts_the_newest_first_and_deduplicates(tmp_path: Path) -> None:
    path = tmp_path / "c.toml"
    remember_conference("https://vc.example.com", "meet.alice", "Alice", "host", path=path)
    remember_conference("https://vc.example.com", "meet.bob", "Alice", "guest", path=path)
    remember_conference("vc.example.com/webapp/", "MEET.ALICE", "Al", "guest", path=path)
    recent = load_config(path).recent
    assert recent == (
        RecentConference("https://vc.example.com", "MEET.ALICE", "Al", "guest"),
        RecentConference("https://vc.example.com", "meet.bob", "Alice", "guest"),
    )


def test_same_alias_on_another_node_is_another_conference(tmp_path: Path) -> None:
    path = tmp_path / "c.toml"
    remember_conference("https://a.example.com", "meet", path=path)
    remember_conference("https://b.example.com", "meet", path=path)
    assert [r.node for r in load_config(path).recent] == [
        "https://b.example.com",
        "https://a.example.com",
    ]


def test_recent_list_is_capped(tmp_path: Path) -> None:
    path = tmp_path / "c.toml"
    for number in range(MAX_RECENT + 5):
        remember_conference("vc.example.com", f"meet.{number}", path=path)
    recent = load_config(path).recent
    assert len(recent) == MAX_RECENT
    assert recent[0].alias == f"meet.{MAX_RECENT + 4}"
    assert recent[-1].alias == "meet.5"


def test_remember_preserves_other_settings(tmp_path: Path) -> None:
    path = tmp_path / "c.toml"
    save_config(Config(theme="ansi-dark", keys={"mute": "M"}), path)
    remember_conference("vc.example.com", "meet.alice", path=path)
    loaded = load_config(path)
    assert (loaded.theme, dict(loaded.keys)) == ("ansi-dark", {"mute": "M"})


def test_remember_never_stores_a_pin(tmp_path: Path) -> None:
    path = tmp_path / "c.toml"
    assert "pin" not in inspect.signature(remember_conference).parameters
    with pytest.raises(TypeError):
        remember_conference("vc.example.com", "meet.alice", pin="918273")  # type: ignore[call-arg]
    remember_conference(
        "https://vc.example.com/webapp/conference/meet.alice?pin=918273&name=x",
        "meet.alice",
        "Alice",
        "host",
        path=path,
    )
    text = path.read_text()
    assert "918273" not in text
    assert "pin" not in text.replace("PINs are never stored", "")
    assert load_config(path).recent[0].node == "https://vc.example.com"


def test_remember_rejects_bad_node_and_role(tmp_path: Path) -> None:
    path = tmp_path / "c.toml"
    with pytest.raises(LinkError):
        remember_conference("ftp://x", "meet", path=path)
    with pytest.raises(ValueError, match="role"):
        remember_conference("vc.example.com", "meet", role="chair", path=path)  # type: ignore[arg-type]
    assert not path.exists()


def test_remember_refuses_to_overwrite_a_broken_file(tmp_path: Path) -> None:
    path = tmp_path / "c.toml"
    path.write_text("theme = [broken\n")
    with pytest.raises(ConfigError):
        remember_conference("vc.example.com", "meet", path=path)
    assert path.read_text() == "theme = [broken\n"


# --------------------------------------------------------------- errors and warnings


def test_invalid_toml_names_file_and_line(tmp_path: Path) -> None:
    path = tmp_path / "c.toml"
    path.write_text('theme = "ok"\n\ndisplay_name = "unterminated\n')
    with pytest.raises(ConfigError) as caught:
        load_config(path)
    assert caught.value.path == path
    assert caught.value.line == 3
    assert str(caught.value).startswith(f"{path}:3: invalid TOML")
    assert "Traceback" not in str(caught.value)


def test_invalid_utf8_names_the_line(tmp_path: Path) -> None:
    path = tmp_path / "c.toml"
    path.write_bytes(b'theme = "a"\ndisplay_name = "\xff"\n')
    with pytest.raises(ConfigError, match=r"c\.toml:2: not valid UTF-8"):
        load_config(path)


@pytest.mark.parametrize(
    ("text", "message", "line"),
    [
        ("\ntheme = 3\n", "'theme' must be a string", 2),
        ("display_name = true\n", "'display_name' must be a string", 1),
        ('keys = "m"\n', "'keys' must be a table", 1),
        ('[keys]\nmute = "ctrl m"\n', "keys.mute must be a key name", 2),
        ("[keys]\nmute = 1\n", "keys.mute must be a key name", 2),
        ('recent = "x"\n', "'recent' must be an array", 1),
        ('[[recent]]\nnode = "https://n"\n', "recent entry 1 needs both 'node' and 'alias'", None),
        ('[[recent]]\nnode = "n"\nalias = "a"\nrole = "chair"\n', "role must be", 4),
        (
            '[[recent]]\nnode = "n"\nalias = "a"\n[[recent]]\nnode = 5\nalias = "b"\n',
            "'node' must be a string",
            5,
        ),
    ],
)
def test_wrong_types_are_clear_errors(
    tmp_path: Path, text: str, message: str, line: int | None
) -> None:
    path = tmp_path / "c.toml"
    path.write_text(text)
    with pytest.raises(ConfigError) as caught:
        load_config(path)
    assert message in str(caught.value)
    assert caught.value.line == line
    assert str(path) in str(caught.value)


def test_unreadable_path_is_a_config_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="cannot read"):
        load_config(tmp_path)  # a directory


def test_unknown_keys_and_pins_are_ignored_with_warnings(tmp_path: Path) -> None:
    path = tmp_path / "c.toml"
    path.write_text(
        'pin = "1234"\nfuture = 1\ntheme = "x"\n'
        '[[recent]]\nnode = "https://n"\nalias = "a"\nhost_pin = "5678"\n'
    )
    path.chmod(0o600)
    loaded = load_config(path)
    assert loaded.theme == "x"
    assert len(loaded.warnings) == 3
    assert sum("PINs are never read" in warning for warning in loaded.warnings) == 2
    save_config(loaded, path)
    text = path.read_text()
    assert "1234" not in text
    assert "5678" not in text
    assert "future" not in text


def test_duplicate_recent_entries_in_the_file_are_merged(tmp_path: Path) -> None:
    path = tmp_path / "c.toml"
    entry = '[[recent]]\nnode = "https://n"\nalias = "a"\n'
    path.write_text(entry * 3 + '[[recent]]\nnode = "https://n"\nalias = "b"\n')
    assert [r.alias for r in load_config(path).recent] == ["a", "b"]
