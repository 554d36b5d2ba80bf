"""Logging: a private file, never the terminal, and secrets redacted from every record."""

from __future__ import annotations

import argparse
import logging
import stat
import sys
import threading
from collections.abc import Iterator
from logging.handlers import RotatingFileHandler
from pathlib import Path

import pytest

from pextui import logs
from pextui.logs import (
    REDACTED,
    add_logging_arguments,
    clear_secrets,
    redact,
    register_secret,
    setup_logging,
    setup_logging_from_args,
    shutdown_logging,
)

TOKEN = "eyJhbGciOiJIUzI1NiJ9.secret-token-value"
PIN = "4321"


@pytest.fixture(autouse=True)
def clean_logging(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[None]:
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))
    root = logging.getLogger()
    level = root.level
    clear_secrets()
    yield
    shutdown_logging()
    clear_secrets()
    root.setLevel(level)
    logging.captureWarnings(False)


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def read(path: Path) -> str:
    for handler in logging.getLogger().handlers:
        handler.flush()
    return path.read_text(encoding="utf-8")


# --------------------------------------------------------------- files and modes


def test_default_file_under_the_state_dir_with_private_modes(tmp_path: Path) -> None:
    path = setup_logging(None, "info")
    assert path == tmp_path / "state" / "pextui" / "pextui.log"
    assert mode(path.parent) == 0o700
    assert mode(path) == 0o600
    logging.getLogger("pextui.test").info("hello %s", "world")
    assert "INFO pextui.test" in read(path)
    assert "hello world" in read(path)


def test_explicit_file_created_private_and_existing_file_tightened(tmp_path: Path) -> None:
    path = tmp_path / "deep" / "dir" / "x.log"
    assert setup_logging(path, "DEBUG") == path
    assert mode(path) == 0o600
    assert mode(path.parent) == 0o700
    shutdown_logging()
    loose = tmp_path / "loose.log"
    loose.write_text("old\n")
    loose.chmod(0o644)
    setup_logging(loose, "DEBUG")
    assert mode(loose) == 0o600
    assert read(loose).startswith("old\n")


def test_level_filters_records(tmp_path: Path) -> None:
    path = setup_logging(tmp_path / "x.log", "warning")
    log = logging.getLogger("pextui.level")
    log.info("quiet-info")
    log.warning("loud-warning")
    text = read(path)
    assert "loud-warning" in text
    assert "quiet-info" not in text


def test_unknown_level_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="unknown log level 'chatty'"):
        setup_logging(tmp_path / "x.log", "chatty")


def test_never_writes_to_the_terminal(tmp_path: Path, capfd: pytest.CaptureFixture[str]) -> None:
    terminal = logging.StreamHandler(sys.stderr)
    root = logging.getLogger()
    root.addHandler(terminal)
    try:
        path = setup_logging(tmp_path / "x.log", "DEBUG")
        assert terminal not in root.handlers
        logging.getLogger("anything").error("on-file-only")
        logging.getLogger("pextui").critical("also-on-file-only")
        import warnings

        warnings.warn("a-warning-goes-to-the-log", UserWarning, stacklevel=1)
    finally:
        root.removeHandler(terminal)
    out, err = capfd.readouterr()
    assert "on-file-only" not in out + err
    assert "a-warning-goes-to-the-log" not in out + err
    text = read(path)
    assert "on-file-only" in text
    assert "a-warning-goes-to-the-log" in text


def test_second_setup_replaces_the_first_handler(tmp_path: Path) -> None:
    first = setup_logging(tmp_path / "a.log", "INFO")
    second = setup_logging(tmp_path / "b.log", "INFO")
    logging.getLogger("pextui").info("after-switch")
    assert "after-switch" not in read(first)
    assert "after-switch" in read(second)
    ours = [
        h
        for h in logging.getLogger().handlers
        if any(isinstance(f, logs.RedactingFilter) for f in h.filters)
    ]
    assert [getattr(h, "baseFilename", None) for h in ours] == [str(second)]


def test_rotation_keeps_files_private(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(logs, "MAX_BYTES", 2000)
    path = setup_logging(tmp_path / "r.log", "INFO")
    for index in range(100):
        logging.getLogger("pextui").info("line %d %s", index, "x" * 50)
    rotated = sorted(tmp_path.glob("r.log*"))
    assert len(rotated) == 1 + logs.BACKUP_COUNT
    for file in rotated:
        assert mode(file) == 0o600
        assert file.stat().st_size <= 2000
    assert "line 99" in read(path)


def test_dev_null_is_accepted(tmp_path: Path) -> None:
    assert setup_logging(Path("/dev/null"), "INFO") == Path("/dev/null")
    logging.getLogger("pextui").info("into the void")


def test_unwritable_location_raises_oserror(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("")
    with pytest.raises(OSError):
        setup_logging(blocker / "x.log", "INFO")


# --------------------------------------------------------------- redaction


def test_registered_secrets_are_redacted_in_message_and_args(tmp_path: Path) -> None:
    path = setup_logging(tmp_path / "x.log", "DEBUG")
    register_secret(TOKEN)
    register_secret(PIN)
    log = logging.getLogger("pextui.client")
    log.info("joining with pin " + PIN)
    log.info("token is %s and pin %r", TOKEN, PIN)
    log.info("dict %s", {"nested": [TOKEN]})
    log.info("at 12:%s:00 the number 9%s9", PIN, PIN)  # 4-digit PIN: redacted everywhere
    text = read(path)
    assert TOKEN not in text
    assert PIN not in text
    assert text.count(REDACTED) >= 6


def test_secrets_in_exception_text_are_redacted(tmp_path: Path) -> None:
    path = setup_logging(tmp_path / "x.log", "DEBUG")
    register_secret(TOKEN)
    log = logging.getLogger("pextui.client")
    try:
        raise RuntimeError(f"GET http://127.0.0.1/events?token={TOKEN} failed")
    except RuntimeError:
        log.exception("stream failed")
    try:
        raise ValueError("unregistered /api?token=abcdef123456&x=1")
    except ValueError:
        log.error("oops", exc_info=True, stack_info=True)
    text = read(path)
    assert "RuntimeError" in text
    assert "Traceback" in text
    assert TOKEN not in text
    assert "abcdef123456" not in text
    assert "token=***&x=1" in text


def test_stack_info_is_redacted() -> None:
    record = logging.LogRecord("x", logging.INFO, __file__, 1, "m", None, None)
    record.stack_info = f"Stack:\n  frame with {TOKEN}"
    register_secret(TOKEN)
    logs.RedactingFilter().filter(record)
    assert TOKEN not in record.stack_info


def test_bad_format_arguments_do_not_break_and_stay_redacted(tmp_path: Path) -> None:
    path = setup_logging(tmp_path / "x.log", "DEBUG")
    register_secret(TOKEN)
    record = logging.LogRecord("pextui", logging.INFO, __file__, 1, "two %s %s", (TOKEN,), None)
    (ours,) = [h for h in logging.getLogger().handlers if isinstance(h, RotatingFileHandler)]
    ours.handle(record)  # pytest's own capture handler would raise on the bad arguments
    text = read(path)
    assert "two" in text
    assert TOKEN not in text


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("GET /events?token=abc.def-ghi&since=1", "GET /events?token=***&since=1"),
        ("url http://n/x?a=1&token=zz99 ok", "url http://n/x?a=1&token=*** ok"),
        ("headers {'token': 'abc123', 'x': 'y'}", "headers {'token': '***', 'x': 'y'}"),
        ('{"token": "abc123", "expires": "120"}', '{"token": "***", "expires": "120"}'),
        ("token: abc123\nother: 1", "token: ***\nother: 1"),
        ("Token=ABC", "Token=***"),
        ('{"refresh_token":"r1"}', '{"refresh_token":"***"}'),
        ("pin: 98765", "pin: ***"),
        ('{"host_pin": "1111", "guest_pin": "2222"}', '{"host_pin": "***", "guest_pin": "***"}'),
        ('{"pin": "required", "guest_pin": "none"}', '{"pin": "required", "guest_pin": "none"}'),
        ("Authorization: Bearer abc.def", "Authorization: Bearer ***"),
        ("[(b'token', b'abc=='), (b'pin', b'1234')]", "[(b'token', b'***'), (b'pin', b'***')]"),
        ("(('Token', 'x1'),)", "(('Token', '***'),)"),
        ("token_expires=120 spin=3", "token_expires=120 spin=3"),
        ("nothing secret here", "nothing secret here"),
    ],
)
def test_redact_patterns(text: str, expected: str) -> None:
    assert redact(text) == expected


def test_short_and_empty_secrets_are_ignored() -> None:
    register_secret("")
    register_secret(None)
    register_secret("abc")
    assert redact("abc and a") == "abc and a"


def test_longest_secret_wins_and_clear_forgets() -> None:
    register_secret("1234")
    register_secret("123456789")
    assert redact("x123456789y") == f"x{REDACTED}y"
    assert redact("regex chars .*") == "regex chars .*"
    register_secret(".*+?")
    assert redact("a.*+?b") == f"a{REDACTED}b"
    clear_secrets()
    assert redact("123456789") == "123456789"


def test_register_secret_is_thread_safe() -> None:
    secrets = [f"secret-{n:04d}" for n in range(200)]

    def register(chunk: list[str]) -> None:
        for secret in chunk:
            register_secret(secret)

    threads = [threading.Thread(target=register, args=(secrets[i::4],)) for i in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=10)
    assert redact(" ".join(secrets)) == " ".join([REDACTED] * len(secrets))


# --------------------------------------------------------------- argparse


def test_logging_arguments(tmp_path: Path) -> None:
    parser = argparse.ArgumentParser()
    add_logging_arguments(parser)
    defaults = parser.parse_args([])
    assert (defaults.log_file, defaults.log_level) == (None, "INFO")
    args = parser.parse_args(["--log-file", str(tmp_path / "c.log"), "--log-level", "debug"])
    assert args.log_level == "DEBUG"
    assert setup_logging_from_args(args) == tmp_path / "c.log"
    assert logging.getLogger().level == logging.DEBUG


def test_bad_level_argument_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    parser = argparse.ArgumentParser()
    add_logging_arguments(parser)
    with pytest.raises(SystemExit) as exited:
        parser.parse_args(["--log-level", "loud"])
    assert exited.value.code == 2
    assert "unknown log level 'loud'" in capsys.readouterr().err
