"""The ACS command-line options shared by `pextui acs` and the console (no SDK import)."""

from __future__ import annotations

import argparse


def listen_option(text: str) -> tuple[str, int]:
    host, sep, port = text.rpartition(":")
    host = host.strip("[]")
    if not sep or not host or not port.isdigit() or not 0 <= int(port) <= 65535:
        raise argparse.ArgumentTypeError(f"expected HOST:PORT, got {text!r}")
    return host, int(port)


def number_option(text: str) -> tuple[str, str]:
    alias, sep, number = text.partition("=")
    if not sep or not alias or not number:
        raise argparse.ArgumentTypeError(f"expected ALIAS=NUMBER, got {text!r}")
    return alias.strip(), number.strip()


def add_acs_console_options(parser: argparse.ArgumentParser) -> None:
    """The console's ACS options (the connection string: environment or prompt)."""
    group = parser.add_argument_group("Azure Communication Services (docs/phone.md)")
    group.add_argument(
        "--acs",
        action="store_true",
        help="be an ACS endpoint (on when $PEXTUI_ACS_CONNECTION_STRING is set)",
    )
    endpoint_options(group)
    group.add_argument(
        "--acs-number",
        action="append",
        type=number_option,
        default=[],
        metavar="ALIAS=NUMBER",
        help="a conference's PSTN number (repeatable): what ACS dials to bring a caller in",
    )


def endpoint_options(group: argparse._ArgumentGroup) -> None:
    group.add_argument(
        "--acs-callback-listen",
        type=listen_option,
        default=("127.0.0.1", 0),
        metavar="HOST:PORT",
        help="where the callback receiver listens (default 127.0.0.1, a free port)",
    )
    group.add_argument(
        "--acs-callback-url",
        metavar="URL",
        help="the public HTTPS URL ACS is told (e.g. a tunnel to the listen address)",
    )
    group.add_argument(
        "--acs-ca", metavar="PEM", help="trust this CA for the ACS endpoint (the simulator's)"
    )
