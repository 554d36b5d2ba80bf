"""`pextui completion bash|zsh|fish`: print the shell's tab-completion script (argcomplete).

eval "$(pextui completion bash)"                        # in ~/.bashrc
eval "$(pextui completion zsh)"                         # in ~/.zshrc
pextui completion fish > ~/.config/fish/completions/pextui.fish
"""

from __future__ import annotations

import argparse

from argcomplete.shell_integration import shellcode

from pextui.logs import add_logging_arguments

SHELLS = ("bash", "zsh", "fish")


def configure(parser: argparse.ArgumentParser) -> None:
    parser.description = "Print the tab-completion script for your shell."
    parser.add_argument("shell", choices=SHELLS, help="the shell to complete in")
    add_logging_arguments(parser)  # accepted like every command's (nothing here logs)


def run(args: argparse.Namespace) -> int:
    print(shellcode(["pextui"], shell=args.shell), end="")
    return 0
