"""Logging to a private file, never to the terminal, with secrets redacted from every record.

Every command calls `add_logging_arguments(parser)` and then `setup_logging_from_args(args)`
(or `setup_logging(path, level)`). The default file is
``platformdirs.user_state_dir("pextui")/pextui.log``: directory 0700, file 0600, rotated at
5 MB with 3 backups. The handler goes on the root logger, so library records (httpx logs
request URLs, which carry ``?token=``) pass through the same redaction.

Redaction, applied to the message, its arguments, exception and stack text:

* every value given to `register_secret` (PINs, tokens), wherever it appears. Values shorter
  than 4 characters are ignored. A 4-digit PIN is redacted everywhere, also inside a number
  or a timestamp: an over-redacted log line is better than a leaked PIN;
* ``token=...`` / ``token: ...`` / ``"token": "..."`` (and ``*_token``), ``pin`` values that
  are digits (also ``host_pin``, ``guest_pin``), header tuples ``(b'token', b'...')`` and
  ``Authorization`` header values.
"""

from __future__ import annotations

import argparse
import io
import logging
import logging.handlers
import os
import re
import stat
import sys
import threading
from pathlib import Path

import platformdirs

__all__ = [
    "DEFAULT_LEVEL",
    "LEVELS",
    "MIN_SECRET_LENGTH",
    "REDACTED",
    "RedactingFilter",
    "add_logging_arguments",
    "clear_secrets",
    "current_log_file",
    "default_log_path",
    "parse_level",
    "redact",
    "register_secret",
    "setup_logging",
    "setup_logging_from_args",
    "shutdown_logging",
]

REDACTED = "***"
MIN_SECRET_LENGTH = 4
LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL")
DEFAULT_LEVEL = "INFO"
MAX_BYTES = 5 * 1024 * 1024
BACKUP_COUNT = 3
FORMAT = "%(asctime)s %(levelname)s %(name)s [%(threadName)s] %(message)s"

_KEY_VALUE_PATTERNS = (
    # token=abc, refresh_token: abc, "token": "abc", 'token': 'abc'
    re.compile(r"""(?i)(\b[\w-]*token["']?\s*[:=]\s*["']?)([^\s"'&,;)}\]]+)"""),
    # pin: 1234, "host_pin": "1234", pin=1234 (digits only: "pin": "required" stays)
    re.compile(r"""(?i)((?<![a-z])(?:[\w-]*_)?pin["']?\s*[:=]\s*["']?)(\d+)"""),
    # header tuples as httpx / h11 show them: (b'token', b'abc'), ('pin', '1234')
    re.compile(r"""(?i)(\(b?["'][\w-]*(?:token|pin)["'],\s*b?["'])([^"']+)"""),
    # Authorization: Bearer abc
    re.compile(r"""(?i)(\bauthorization["']?\s*[:=]\s*["']?(?:\w+\s+)?)([^\s"',;)}\]]+)"""),
)

_KEEP_KEY = r"\g<1>" + REDACTED  # the key stays, its value becomes ***

_lock = threading.Lock()
_secrets: set[str] = set()
_secret_pattern: re.Pattern[str] | None = None


def register_secret(value: str | None) -> None:
    """Redact `value` from every later log record (thread-safe). Short values are ignored."""
    global _secret_pattern
    if not value or len(value) < MIN_SECRET_LENGTH:
        return
    with _lock:
        if value in _secrets:
            return
        _secrets.add(value)
        ordered = sorted(_secrets, key=len, reverse=True)  # longest first: no partial leaks
        _secret_pattern = re.compile("|".join(re.escape(secret) for secret in ordered))


def clear_secrets() -> None:
    """Forget every registered secret (for tests and for a new session)."""
    global _secret_pattern
    with _lock:
        _secrets.clear()
        _secret_pattern = None


def redact(text: str) -> str:
    """`text` with registered secrets and token/PIN/authorization values replaced by ***."""
    pattern = _secret_pattern  # one read: registration swaps the whole compiled pattern
    if pattern is not None:
        text = pattern.sub(REDACTED, text)
    for key_value in _KEY_VALUE_PATTERNS:
        text = key_value.sub(_KEEP_KEY, text)
    return text


class RedactingFilter(logging.Filter):
    """Rewrites a record in place: the message is formatted and redacted, args are dropped,
    exception and stack text are rendered and redacted. Never rejects a record."""

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # bad format arguments: keep what we can, redacted
            message = f"{record.msg!s} {record.args!r}"
        record.msg = redact(message)
        record.args = None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = redact(record.exc_text)
        if record.stack_info:
            record.stack_info = redact(record.stack_info)
        return True


class _RedactingFormatter(logging.Formatter):
    """Second line of defence: the final line is redacted too (cheap, catches extras)."""

    def format(self, record: logging.LogRecord) -> str:
        return redact(super().format(record))


class _PrivateRotatingFileHandler(logging.handlers.RotatingFileHandler):
    """A rotating file handler whose files (also the ones made by rollover) are mode 0600."""

    def _open(self) -> io.TextIOWrapper:
        return open(  # the handler owns and closes the stream
            self.baseFilename,
            "a",  # rotating handlers always append
            encoding=self.encoding,
            errors=self.errors,
            opener=_private_opener,
        )


def _private_opener(path: str, flags: int) -> int:
    return os.open(path, flags, 0o600)


def default_log_path() -> Path:
    return Path(platformdirs.user_state_dir("pextui")) / "pextui.log"


def parse_level(level: str) -> int:
    """``"debug"`` / ``"INFO"`` / ... -> the logging level; ValueError names the choices."""
    name = level.strip().upper()
    if name not in LEVELS:
        raise ValueError(f"unknown log level {level!r}: choose one of {', '.join(LEVELS)}")
    return int(getattr(logging, name))


def _prepare_file(path: Path) -> bool:
    """Create the directory (0700) and the file (0600); True when it is a regular file."""
    if not path.parent.exists():
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
    try:
        info = os.fstat(fd)
        regular = stat.S_ISREG(info.st_mode)
        if regular and info.st_uid == os.getuid() and stat.S_IMODE(info.st_mode) != 0o600:
            os.fchmod(fd, 0o600)
    finally:
        os.close(fd)
    return regular


_handler_lock = threading.Lock()
_installed: logging.Handler | None = None


def setup_logging(log_file: Path | None, level: str = DEFAULT_LEVEL) -> Path:
    """Send all logging to `log_file` (default `default_log_path()`) and nowhere else.

    Replaces the handler of an earlier call and removes root stream handlers writing to the
    terminal. Python warnings are routed to the log too. Returns the log file's path.
    Raises ValueError for an unknown level and OSError when the file cannot be created.
    """
    global _installed
    numeric_level = parse_level(level)
    path = (log_file or default_log_path()).expanduser().absolute()
    handler: logging.Handler
    if _prepare_file(path):
        handler = _PrivateRotatingFileHandler(
            path, maxBytes=MAX_BYTES, backupCount=BACKUP_COUNT, encoding="utf-8"
        )
    else:  # /dev/null or a FIFO: nothing to rotate
        handler = logging.FileHandler(path, encoding="utf-8")
    handler.setLevel(numeric_level)
    handler.addFilter(RedactingFilter())
    handler.setFormatter(_RedactingFormatter(FORMAT))
    root = logging.getLogger()
    with _handler_lock:
        for existing in list(root.handlers):
            if existing is _installed or _writes_to_terminal(existing):
                root.removeHandler(existing)
                if existing is _installed:
                    existing.close()
        root.addHandler(handler)
        _installed = handler
    root.setLevel(numeric_level)
    logging.captureWarnings(True)
    return path


def _writes_to_terminal(handler: logging.Handler) -> bool:
    if not isinstance(handler, logging.StreamHandler) or isinstance(handler, logging.FileHandler):
        return False
    stream = handler.stream
    return stream in (sys.stderr, sys.stdout, sys.__stderr__, sys.__stdout__)


def _level_argument(value: str) -> str:
    try:
        parse_level(value)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None
    return value.strip().upper()


def add_logging_arguments(parser: argparse.ArgumentParser) -> None:
    """Add ``--log-file PATH`` and ``--log-level LEVEL`` to a command's parser."""
    group = parser.add_argument_group("logging")
    group.add_argument(
        "--log-file",
        type=Path,
        default=None,
        metavar="PATH",
        help=f"write the log here (default: {default_log_path()}); never the terminal",
    )
    group.add_argument(
        "--log-level",
        type=_level_argument,
        default=DEFAULT_LEVEL,
        metavar="LEVEL",
        help=f"one of {', '.join(LEVELS)} (default: {DEFAULT_LEVEL})",
    )


def setup_logging_from_args(args: argparse.Namespace) -> Path:
    """`setup_logging` with the values of `add_logging_arguments`' options."""
    log_file: Path | None = getattr(args, "log_file", None)
    level: str = getattr(args, "log_level", DEFAULT_LEVEL)
    return setup_logging(log_file, level)


def current_log_file() -> Path | None:
    """The file `setup_logging` writes to, None before it was called."""
    handler = _installed
    name = getattr(handler, "baseFilename", None)
    return Path(name) if isinstance(name, str) else None


def shutdown_logging() -> None:
    """Remove and close the handler installed by `setup_logging` (for tests and clean exits)."""
    global _installed
    with _handler_lock:
        if _installed is not None:
            logging.getLogger().removeHandler(_installed)
            _installed.close()
            _installed = None
