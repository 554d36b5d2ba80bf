"""The console's settings from the config file, and the problems the host must be told of.

A broken config file never stops the console: what could not be read (a TOML syntax error,
an unreadable file), what was ignored (unknown settings, a ``[keys]`` entry that names no
action) are collected in :attr:`Settings.problems` and shown as warnings when the console
starts, besides the log.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from textual.binding import Binding, BindingType

from pextui.config import BULK_CONFIRM_ABOVE, ConfigError, config_path, load_config

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Settings:
    theme: str | None = None
    keymap: Mapping[str, str] | None = None
    recent: tuple[str, ...] = ()
    problems: tuple[str, ...] = field(default=())
    bulk_confirm_above: int = BULK_CONFIRM_ABOVE  # bulk actions above this many people ask


def binding_ids(bindings: Iterable[BindingType]) -> set[str]:
    return {b.id for b in bindings if isinstance(b, Binding) and b.id}


def load_settings(keymap: Mapping[str, str] | None, known_ids: set[str]) -> Settings:
    """The config file's theme, key remaps (unless ``keymap`` is given), recent aliases and
    the bulk-action threshold."""
    try:
        cfg: Any = load_config()
    except (ConfigError, OSError, ValueError) as exc:
        log.warning("config not loaded: %s", exc)
        return Settings(keymap=keymap, problems=(f"Config file not loaded: {exc}",))
    problems = [str(warning) for warning in getattr(cfg, "warnings", ()) or ()]
    theme = getattr(cfg, "theme", None) or None
    if keymap is None:
        keymap = dict(getattr(cfg, "keys", {}) or {})
        unknown = sorted(key for key in keymap if key not in known_ids)
        if unknown:
            problems.append(
                f"[keys]: {', '.join(repr(k) for k in unknown)} name no action; "
                f"known: {', '.join(sorted(known_ids))}"
            )
    recent = tuple(str(getattr(item, "alias", item)) for item in (getattr(cfg, "recent", ()) or ()))
    if (unwritable := unwritable_reason(config_path())) is not None:
        problems.append(unwritable)
    for problem in problems:
        log.warning("config: %s", problem)
    above = int(getattr(cfg, "bulk_confirm_above", BULK_CONFIRM_ABOVE))
    return Settings(theme, keymap, recent, tuple(problems), above)


def unwritable_reason(path: Path) -> str | None:
    """Why the config file at `path` cannot be written (it is written atomically, through its
    directory, created when missing), or None when it can."""
    directory = path.parent
    while not directory.exists() and directory != directory.parent:
        directory = directory.parent
    if directory.is_dir() and os.access(directory, os.W_OK | os.X_OK):
        return None
    why = "is not a directory" if not directory.is_dir() else "is not writable"
    return (
        f"The config file {path} cannot be written ({directory} {why}): a theme picked "
        "or a conference joined will not be remembered"
    )
