"""Connection options shared by every command that joins a conference, and their runner.

A join link as the first argument, or `--node URL --alias ALIAS`; `--name`, `--extension`,
`--insecure`, `--ca-bundle`. The PIN comes from `PEXTUI_PIN`, else from a prompt on a
terminal when the conference asks for one; `--pin` exists but shows in the process list.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import getpass
import os
import signal
import sys
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import replace
from typing import TextIO

from pextui.links import LinkError, parse_link
from pextui.logs import add_logging_arguments, setup_logging_from_args
from pextui.protocol.client import NO_PIN, JoinParams, connect
from pextui.protocol.errors import (
    ActionError,
    ExtensionRequiredError,
    JoinError,
    MaintenanceError,
    NetworkError,
    PexipError,
    PinRequiredError,
    ServerError,
    protect_secret,
    without_failed_prefix,
)
from pextui.protocol.session import Session

PIN_ENV = "PEXTUI_PIN"
DEFAULT_NAME = "pextui"

EXIT_OK = 0
EXIT_FAILED = 1  # the action or the session failed (server's reason on stderr)
EXIT_USAGE = 2
EXIT_JOIN_REFUSED = 3  # PIN, unknown alias, Virtual Reception without extension, ...
EXIT_UNREACHABLE = 4  # network, TLS, maintenance, 5xx while joining
EXIT_TERMINATED = 143

INSECURE_WARNING = (
    "WARNING: --insecure: the node's TLS certificate is NOT checked. Anyone on the network "
    "path can impersonate the node and read the PIN and the token."
)
PIN_OPTION_WARNING = (
    "warning: --pin shows the PIN in the process list (ps); prefer PEXTUI_PIN or the prompt"
)
LINK_PIN_WARNING = (
    "warning: the join link carries a PIN, which shows in the process list (ps); "
    "prefer PEXTUI_PIN or the prompt"
)


class UsageError(ValueError):
    """The command line does not describe a conference to join."""


class AliasesAction(argparse.Action):
    """``--alias`` given several times (the console): every one in ``aliases``, the first
    in ``alias`` as for the commands that join one conference."""

    def __call__(
        self,
        parser: argparse.ArgumentParser,
        namespace: argparse.Namespace,
        values: object,
        option_string: str | None = None,
    ) -> None:
        namespace.aliases = [*getattr(namespace, "aliases", []), str(values)]
        if getattr(namespace, "alias", None) is None:
            namespace.alias = str(values)


def add_connection_options(
    parser: argparse.ArgumentParser, *, link_positional: bool = True, several: bool = False
) -> None:
    """Add the join link (positional, optional) and the connection options to `parser`;
    with ``several`` (the console) links and ``--alias`` may be given more than once."""
    if link_positional:
        parser.add_argument(
            "link",
            nargs="*" if several else "?",
            default=[] if several else None,
            help="join link (https://NODE/webapp/conference/ALIAS?... or pexip://ALIAS?host=...)"
            + ("; several links open one tab each" if several else ""),
        )
    group = parser.add_argument_group("connection")
    group.add_argument("--node", metavar="URL", help="node URL, e.g. https://pexip.example.com")
    if several:
        parser.set_defaults(aliases=[])
        group.add_argument(
            "--alias",
            metavar="ALIAS",
            action=AliasesAction,
            help="conference alias to join; repeat it for several conferences (PIN of each: "
            f"${PIN_ENV}_<ALIAS>, e.g. {PIN_ENV}_MEET_BOARD, else ${PIN_ENV}, else asked)",
        )
    else:
        group.add_argument("--alias", metavar="ALIAS", help="conference alias to join")
    group.add_argument(
        "--name", metavar="NAME", help=f"display name in the roster (default: {DEFAULT_NAME})"
    )
    group.add_argument(
        "--extension",
        metavar="ALIAS",
        help="target conference when ALIAS is a Virtual Reception",
    )
    group.add_argument(
        "--insecure",
        action="store_true",
        help="do NOT verify the node's TLS certificate (dangerous: for lab nodes only)",
    )
    group.add_argument(
        "--ca-bundle",
        metavar="PATH",
        help="verify the node's certificate against this CA bundle (PEM) instead of the system's",
    )
    group.add_argument(
        "--pin",
        metavar="PIN",
        help=f"host or guest PIN; shows in the process list, prefer ${PIN_ENV} or the prompt",
    )
    group.add_argument(
        "--guest",
        action="store_true",
        help="join as a guest without a PIN (sends `pin: none`)",
    )
    group.add_argument(
        "--timeout", type=float, default=10.0, metavar="SECONDS", help="request timeout"
    )
    add_logging_arguments(parser)


def join_params(
    args: argparse.Namespace,
    *,
    env: Mapping[str, str] | None = None,
    stderr: TextIO | None = None,
) -> JoinParams:
    """JoinParams from the parsed options; warnings go to `stderr`. Raises UsageError."""
    env = os.environ if env is None else env
    err = stderr or sys.stderr
    link = None
    if getattr(args, "link", None):
        try:
            link = parse_link(args.link)
        except LinkError as exc:
            raise UsageError(f"invalid join link: {exc}") from None
    node = args.node or (link.node if link else None)
    alias = args.alias or (link.alias if link else None)
    if link is not None and not node:
        raise UsageError(
            "the join link names no node (no host=...): add host=NODE to the link "
            "(pexip://ALIAS?host=NODE) or give --node URL"
        )
    if not node or not alias:
        raise UsageError("give a join link, or both --node URL and --alias ALIAS")
    if "://" not in node:
        node = f"https://{node}"
    pin: str | None = None
    if args.pin:
        print(PIN_OPTION_WARNING, file=err)
        pin = args.pin
    elif link is not None and link.pin:
        print(LINK_PIN_WARNING, file=err)
        pin = link.pin
    elif env.get(PIN_ENV):
        pin = env[PIN_ENV]
    elif args.guest or (link is not None and link.role == "guest"):
        pin = NO_PIN
    protect_secret(pin)
    if args.insecure and args.ca_bundle:
        raise UsageError("--insecure and --ca-bundle exclude each other")
    verify: bool | str = True
    if args.insecure:
        print(INSECURE_WARNING, file=err)
        verify = False
    elif args.ca_bundle:
        if not os.path.isfile(os.path.expanduser(args.ca_bundle)):
            raise UsageError(f"--ca-bundle: no such file: {args.ca_bundle}")
        verify = args.ca_bundle
    try:
        return JoinParams(
            node_url=node,
            alias=alias,
            display_name=args.name or (link.name if link and link.name else DEFAULT_NAME),
            pin=pin,
            conference_extension=args.extension or (link.extension if link else None),
            verify=verify,
            timeout_s=args.timeout,
        )
    except ValueError as exc:
        raise UsageError(str(exc)) from None


def prompt_pin(error: PinRequiredError, stream: TextIO | None = None) -> str | None:
    """Ask for the PIN on the terminal; None when there is no terminal to ask on."""
    if not sys.stdin.isatty():
        return None
    hint = "" if error.guest_pin else " (empty: join as a guest without PIN)"
    try:
        value = getpass.getpass(f"PIN{hint}: ", stream=stream)
    except (EOFError, KeyboardInterrupt):
        return None
    if not value.strip():
        return NO_PIN if not error.guest_pin else None
    return value.strip()


async def join(
    params: JoinParams,
    ask_pin: Callable[[PinRequiredError], str | None] = prompt_pin,
) -> Session:
    """connect(); when the conference needs a PIN we were not given, ask once."""
    try:
        return await connect(params)
    except PinRequiredError as exc:
        if params.pin is not None:
            raise
        pin = ask_pin(exc)
        if pin is None:
            raise
        protect_secret(pin)
        return await connect(replace(params, pin=pin))


def explain(error: PexipError) -> str:
    """The one-line message a command prints for a failure."""
    if isinstance(error, PinRequiredError):
        who = (
            "this conference" if error.guest_pin else "the host role (use --guest to join as guest)"
        )
        return f"a PIN is required for {who}: set {PIN_ENV} or run on a terminal to be asked"
    if isinstance(error, ExtensionRequiredError):
        return f"{error.reason}"
    if isinstance(error, ActionError):  # "transfer failed: Invalid PIN", the reason once
        return f"{error.action} failed: {without_failed_prefix(error.reason)}"
    return str(error)


def exit_code_for(error: PexipError) -> int:
    if isinstance(error, JoinError):
        return EXIT_JOIN_REFUSED
    if isinstance(error, NetworkError | MaintenanceError | ServerError):
        return EXIT_UNREACHABLE
    return EXIT_FAILED


def run_with_session(
    args: argparse.Namespace,
    body: Callable[[Session], Awaitable[int]],
    *,
    stderr: TextIO | None = None,
) -> int:
    """Set up logging, join, run `body(session)`, and always release the token.

    SIGTERM cancels the work, which closes the session (release_token) before exiting.
    """
    err = stderr or sys.stderr
    try:
        setup_logging_from_args(args)
    except (OSError, ValueError) as exc:
        print(f"pextui: cannot open the log file: {exc}", file=err)
        return EXIT_USAGE
    try:
        params = join_params(args, stderr=err)
    except UsageError as exc:
        print(f"pextui: {exc}", file=err)
        return EXIT_USAGE
    return asyncio.run(_main(params, body, err))


async def _main(params: JoinParams, body: Callable[[Session], Awaitable[int]], err: TextIO) -> int:
    task = asyncio.current_task()
    loop = asyncio.get_running_loop()
    terminated = False

    def on_sigterm() -> None:
        nonlocal terminated
        terminated = True
        if task is not None:
            task.cancel()

    with contextlib.suppress(NotImplementedError, RuntimeError, ValueError):
        loop.add_signal_handler(signal.SIGTERM, on_sigterm)
    try:
        try:
            session = await join(params)
        except PexipError as exc:
            print(f"pextui: cannot join {params.alias}: {explain(exc)}", file=err)
            return exit_code_for(exc)
        except ValueError as exc:  # e.g. a CA bundle that cannot be loaded
            print(f"pextui: {exc}", file=err)
            return EXIT_USAGE
        async with session:
            try:
                return await body(session)
            except PexipError as exc:
                print(f"pextui: {explain(exc)}", file=err)
                return EXIT_FAILED
            except ValueError as exc:  # request validation
                print(f"pextui: {exc}", file=err)
                return EXIT_USAGE
    except asyncio.CancelledError:
        if terminated:
            return EXIT_TERMINATED
        raise
    finally:
        with contextlib.suppress(NotImplementedError, RuntimeError, ValueError):
            loop.remove_signal_handler(signal.SIGTERM)
