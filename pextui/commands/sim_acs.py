"""`pextui sim --acs`: the Pexip simulator plus a simulated ACS Call Automation resource.

ACS listens on HTTPS with a CA and certificate made at start; the CA's path, where the
connection string was written (mode 600, never printed) and the numbers come first.
"""

from __future__ import annotations

import argparse
import asyncio
import sys

from pextui.sim.acs.faults import FAULTS, parse
from pextui.sim.config import SimConfig

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


def run_with_acs(config: SimConfig, args: argparse.Namespace, banner: list[str]) -> int:
    from pextui.sim.acs.server import SimWithAcs

    try:
        sim = SimWithAcs(
            config, acs_host=config.host, acs_port=args.acs_port, faults=dict(args.acs_fault)
        )
        sim.prepare()
    except (ValueError, OSError) as error:
        print(f"pextui sim: {error}", file=sys.stderr)
        return 2
    try:
        print("\n".join(sim.banner()), flush=True)
        print(f"pextui sim listening on {sim.base_url}", flush=True)
        print("\n".join(banner), flush=True)
        asyncio.run(sim.serve())
    except KeyboardInterrupt:
        pass
    finally:
        sim.stop()
    return 0
