"""`pextui config`: where the config file is, and what it holds.

pextui config           # the path, and whether the file exists
pextui config path      # only the path (for scripts: `$EDITOR "$(pextui config path)"`)
pextui config show      # the file's settings as TOML (recent conferences never hold PINs)
"""

from __future__ import annotations

import argparse
import sys

from pextui.config import ConfigError, config_path, dump_toml, load_config
from pextui.logs import add_logging_arguments


def configure(parser: argparse.ArgumentParser) -> None:
    parser.description = (
        "Show where the config file is (theme, key remaps, recent conferences; $PEXTUI_CONFIG "
        "overrides the location) or what it holds."
    )
    parser.add_argument(
        "what", nargs="?", choices=("path", "show"), help="path: only the path; show: the file"
    )
    add_logging_arguments(parser)  # accepted like every command's (nothing here logs)


def run(args: argparse.Namespace) -> int:
    path = config_path()
    if args.what == "path":
        print(path)
        return 0
    if args.what == "show":
        try:
            print(dump_toml(load_config(path)), end="")
        except ConfigError as exc:
            print(f"pextui config: {exc}", file=sys.stderr)
            return 1
        return 0
    state = "exists" if path.exists() else "not created yet: it is written when you save a setting"
    print(f"{path} ({state})")
    return 0
