"""The `pextui` command line: dispatches to the subcommand modules in `pextui.commands`."""

from __future__ import annotations

import argparse
import importlib
import os
import sys
from collections.abc import Sequence

from pextui import __version__

# name -> (module under pextui.commands, one-line help)
SUBCOMMANDS: dict[str, tuple[str, str]] = {
    "demo": ("demo", "start the embedded simulator and open the console on meet.demo as host"),
    "sim": ("sim", "run the simulated Pexip Conferencing Node"),
    "serve": ("serve", "serve the console to a web browser (loopback unless --allow-remote)"),
    "watch": ("watch", "print a conference's events (or a snapshot) as JSON"),
    "do": ("do", "perform one host action and exit"),
    "link": ("link", "parse or build Infinity Connect join links"),
    "pbx": ("pbx", "the Yeastar PBX's calls; bring a caller into a conference"),
    "acs": ("acs", "Azure Communication Services calls: list / answer, transfer into a meeting"),
}
CONSOLE_MODULE = "console"


def _load(module: str) -> object:
    return importlib.import_module(f"pextui.commands.{module}")


def build_parser(subcommand: str | None) -> argparse.ArgumentParser:
    """The parser for one subcommand, or for the console when `subcommand` is None."""
    if subcommand is None:
        parser = argparse.ArgumentParser(
            prog="pextui",
            description=(
                "Host console for Pexip Infinity meetings. Without arguments it opens the "
                "connect screen; with a join link or --node/--alias it joins directly. "
                "Subcommands: "
                + "; ".join(f"{name}: {help_}" for name, (_, help_) in SUBCOMMANDS.items())
                + "."
            ),
        )
        parser.add_argument("--version", action="version", version=f"pextui {__version__}")
        module = CONSOLE_MODULE
    else:
        module, help_ = SUBCOMMANDS[subcommand]
        parser = argparse.ArgumentParser(prog=f"pextui {subcommand}", description=help_)
    _load(module).configure(parser)  # type: ignore[attr-defined]
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args_list = list(sys.argv[1:] if argv is None else argv)
    subcommand = args_list[0] if args_list and args_list[0] in SUBCOMMANDS else None
    if subcommand is not None:
        args_list = args_list[1:]
    parser = build_parser(subcommand)
    args = parser.parse_args(args_list)
    module = CONSOLE_MODULE if subcommand is None else SUBCOMMANDS[subcommand][0]
    try:
        result: int = _load(module).run(args)  # type: ignore[attr-defined]
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        # The reader went away (`pextui watch ... | head`): stop quietly, as Unix tools do.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 141
    return result
