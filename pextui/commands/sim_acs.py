"""`pextui sim --acs`: the Pexip simulator plus a simulated ACS Call Automation resource.

ACS listens on HTTPS with a CA and certificate made at start; the CA's path, where the
connection string was written (mode 600, never printed) and the numbers come first.
"""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

from pextui.commands.acs_options import resource_id_option
from pextui.sim.acs.faults import FAULTS, parse
from pextui.sim.node import Node

if TYPE_CHECKING:
    from pextui.sim.acs.server import AcsSim

DEFAULT_PORT = 8443


def _fault(text: str) -> tuple[str, float]:
    try:
        return parse(text)
    except ValueError as error:
        raise argparse.ArgumentTypeError(str(error)) from None


def _port(text: str) -> int:
    try:
        port = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a port: {text!r}") from None
    if not 0 <= port <= 65535:
        raise argparse.ArgumentTypeError("must be between 0 and 65535")
    return port


def _webhook(text: str) -> str:
    from pextui.sim.acs.routes import check_callback_uri
    from pextui.sim.http import BadRequest

    try:
        return check_callback_uri(text, "--acs-webhook")
    except BadRequest as error:
        raise argparse.ArgumentTypeError(error.reason) from None


def _caller(text: str) -> tuple[str, str]:
    from pextui.sim.acs.model import E164

    number, _, name = text.partition(":")
    if not E164.match(number):
        raise argparse.ArgumentTypeError(f"expected +E164[:NAME], got {text!r}")
    return number, name


def add_acs_arguments(parser: argparse.ArgumentParser) -> None:
    group = parser.add_argument_group("Azure Communication Services (simulated)")
    group.add_argument(
        "--acs",
        action="store_true",
        help="also serve a simulated ACS Call Automation resource (HTTPS, CA made at start)",
    )
    group.add_argument(
        "--acs-port",
        type=_port,
        default=DEFAULT_PORT,
        help=f"its HTTPS port (default {DEFAULT_PORT}); 0 picks a free one",
    )
    group.add_argument(
        "--acs-fault",
        action="append",
        type=_fault,
        default=[],
        metavar="NAME=VALUE",
        help="an ACS fault (repeatable): " + ", ".join(FAULTS),
    )
    group.add_argument(
        "--acs-webhook",
        action="append",
        type=_webhook,
        default=[],
        metavar="URL",
        help="an Event Grid webhook for IncomingCall (repeatable; validated by handshake)",
    )
    group.add_argument(
        "--acs-caller",
        action="append",
        type=_caller,
        default=[],
        metavar="+E164[:NAME]",
        help="a customer who calls once a webhook is validated (repeatable)",
    )
    group.add_argument(
        "--acs-resource-id",
        type=resource_id_option,
        metavar="ID",
        help="the resource's immutable id, the audience of the callbacks' tokens "
        "(default: a new GUID per run)",
    )


def make_acs(args: argparse.Namespace, node: Node) -> AcsSim:
    """The ACS simulator for `node` as the options say (not serving yet)."""
    from pextui.sim.acs.server import AcsSim

    return AcsSim(
        node,
        host=args.host,
        port=args.acs_port,
        faults=dict(args.acs_fault),
        webhooks=list(args.acs_webhook),
        callers=list(args.acs_caller),
        resource_id=args.acs_resource_id,
    )
