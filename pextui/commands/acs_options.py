"""The ACS command-line options shared by `pextui acs` and the console (no SDK import)."""

from __future__ import annotations

import argparse
import re
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

if TYPE_CHECKING:
    from pextui.phone.acs.callback_auth import CallbackAuth

UNCHECKED = (
    "ACS callbacks are not checked for Call Automation's signed JWT: give --acs-resource-id "
    "(docs/phone.md)"
)
_RESOURCE_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._:/-]{0,255}")


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


def resource_id_option(text: str) -> str:
    value = text.strip()
    if not _RESOURCE_ID.fullmatch(value):
        raise argparse.ArgumentTypeError(
            "expected the ACS resource's immutable resource id (a GUID)"
        )
    return value


def openid_option(text: str) -> str:
    parts = urlsplit(text.strip())
    if parts.scheme != "https" or not parts.hostname:
        raise argparse.ArgumentTypeError(f"expected an https:// URL, got {text!r}")
    return text.strip()


def callback_auth(args: argparse.Namespace) -> CallbackAuth | None:
    """What `--acs-resource-id` / `--acs-openid-config` ask for (None: not checked);
    ValueError when the OpenID configuration is given without the audience."""
    from pextui.phone.acs.callback_auth import DEFAULT_OPENID_CONFIG, CallbackAuth

    audience, openid = args.acs_resource_id, args.acs_openid_config
    if audience is None:
        if openid is not None:
            raise ValueError("--acs-openid-config needs --acs-resource-id (the audience)")
        return None
    return CallbackAuth(audience, openid or DEFAULT_OPENID_CONFIG)


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
    group.add_argument(
        "--acs-resource-id",
        type=resource_id_option,
        metavar="ID",
        help="check the signed JWT on every ACS callback: its audience, the ACS resource's "
        "immutable resource id",
    )
    group.add_argument(
        "--acs-openid-config",
        type=openid_option,
        metavar="URL",
        help="where Call Automation's OpenID configuration is (default Microsoft's; the "
        "simulator prints its own)",
    )
