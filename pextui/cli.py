"""The `pextui` command line: dispatches to the subcommand modules in `pextui.commands`."""

from __future__ import annotations

import argparse
import difflib
import importlib
import os
import sys
from collections.abc import Sequence

from pextui import __version__
from pextui.sanitize import safe_text

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
    "config": ("config", "show the config file's path (or, with `show`, its settings)"),
    "completion": ("completion", "print the shell completion script: bash, zsh or fish"),
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


def complete_parser() -> argparse.ArgumentParser:
    """Every subcommand as an argparse sub-parser: what shell completion walks."""
    parser = build_parser(None)
    subparsers = parser.add_subparsers(dest="subcommand")
    for name, (module, help_) in SUBCOMMANDS.items():
        _load(module).configure(subparsers.add_parser(name, help=help_))  # type: ignore[attr-defined]
    return parser


def unknown_command(word: str) -> str | None:
    """The error for a first word that is neither a subcommand nor a join link, else None.

    Links have a scheme, a dot, a slash or an @; a bare word such as `dmeo` is a typo.
    """
    if word.startswith("-") or any(mark in word for mark in ":/.@"):
        return None
    near = difflib.get_close_matches(word, SUBCOMMANDS, n=1, cutoff=0.5)
    hint = f"; did you mean `pextui {near[0]}`?" if near else "."
    return f"unknown command {safe_text(word, 40)!r}{hint} Commands: {', '.join(SUBCOMMANDS)}."


def main(argv: Sequence[str] | None = None) -> int:
    if "_ARGCOMPLETE" in os.environ:  # the shell asks for completions (see `completion`)
        import argcomplete

        argcomplete.autocomplete(complete_parser())
    args_list = list(sys.argv[1:] if argv is None else argv)
    if args_list and args_list[0] not in SUBCOMMANDS:
        error = unknown_command(args_list[0])
        if error is not None:
            print(f"pextui: {error}", file=sys.stderr)
            return 2
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
