"""`pextui` without a subcommand: the host console.

No arguments open the connect screen; a join link or `--node URL --alias ALIAS` join
directly (the PIN from `PEXTUI_PIN`, else the console asks when the node wants one).
Several links, or `--alias` repeated, open one tab each (see :mod:`pextui.commands.joins`).
"""

from __future__ import annotations

import argparse
import os
import sys
from typing import TYPE_CHECKING

from pextui.commands.acs_options import UNCHECKED, add_acs_console_options, callback_auth
from pextui.commands.connection import EXIT_USAGE, UsageError, add_connection_options
from pextui.commands.joins import several_join_params
from pextui.logs import setup_logging_from_args

if TYPE_CHECKING:
    from pextui.phone.acs.session import AcsSession
    from pextui.phone.calls import CallBook
    from pextui.phone.yeastar.session import YeastarSession


def configure(parser: argparse.ArgumentParser) -> None:
    add_connection_options(parser, several=True)
    parser.add_argument("--theme", metavar="NAME", help="colour theme, e.g. ansi-dark")
    parser.add_argument(
        "--smoke",
        action="store_true",
        help="no terminal: join, wait until every roster has synced (or its join failed), "
        "leave, print a JSON summary (exit 0 when every conference synced)",
    )
    add_acs_console_options(parser)


def _phone() -> YeastarSession | None:
    """The PBX session when [pbx] is configured and the Client ID / Secret are at hand."""
    from pextui.config import ConfigError, load_config
    from pextui.phone.yeastar.credentials import MissingCredentials, load_credentials
    from pextui.phone.yeastar.session import YeastarSession

    try:
        settings = load_config().pbx
    except ConfigError:
        return None  # the console reports a broken settings file itself
    if settings is None:
        return None
    try:
        credentials = load_credentials()
    except MissingCredentials as exc:
        print(f"pextui: the phone desk stays off: {exc}", file=sys.stderr)
        return None
    return YeastarSession(settings, credentials)


def _acs(args: argparse.Namespace, book: CallBook | None) -> AcsSession | None:
    """The ACS endpoint when asked for (--acs) or a connection string is in the environment."""
    from pextui.phone.acs.connection import (
        CONNECTION_STRING_ENV,
        ConnectionStringError,
        connection_string,
        hidden_prompt,
    )
    from pextui.phone.acs.session import AcsSession

    if not args.acs and not os.environ.get(CONNECTION_STRING_ENV):
        return None
    try:
        checking = callback_auth(args)
    except ValueError as exc:
        print(f"pextui: ACS stays off: {exc}", file=sys.stderr)
        return None
    try:
        connection = connection_string(prompt=hidden_prompt if sys.stdin.isatty() else None)
    except ConnectionStringError as exc:
        print(f"pextui: ACS stays off: {exc}", file=sys.stderr)
        return None
    if checking is None and args.acs_callback_url:
        print(f"pextui: {UNCHECKED}", file=sys.stderr)
    return AcsSession(
        connection,
        book=book,
        numbers=dict(args.acs_number),
        listen=args.acs_callback_listen,
        public_url=args.acs_callback_url,
        ca=args.acs_ca,
        callback_auth=checking,
    )


def run(args: argparse.Namespace) -> int:
    from pextui.tui.app import make_app

    try:
        setup_logging_from_args(args)
    except (OSError, ValueError) as exc:
        print(f"pextui: cannot open the log file: {exc}", file=sys.stderr)
        return EXIT_USAGE
    joins = []
    if args.link or args.node or args.alias:
        try:
            joins = several_join_params(args, env=os.environ)
            if not joins:
                raise UsageError("give a join link, or both --node URL and --alias ALIAS")
        except UsageError as exc:
            print(f"pextui: {exc}", file=sys.stderr)
            return EXIT_USAGE
    if args.smoke:
        from pextui.commands.smoke import run_smoke

        return run_smoke(make_app(joins=joins, theme=args.theme, load_settings=False))
    phone = _phone()
    acs = _acs(args, phone.desk.book if phone is not None else None)
    app = make_app(joins=joins, theme=args.theme, phone=phone, acs=acs)
    result = app.run()
    return app.return_code or int(result or 0)  # non-zero after a crash or without a join
