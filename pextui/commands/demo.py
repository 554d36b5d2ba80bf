"""`pextui demo`: the embedded simulator on loopback, joined as host of `meet.demo`.

One command, a live meeting: the simulator runs the `demo` scenario with the default
conferences in a background thread; the console joins `meet.demo` with the host PIN.
"""

from __future__ import annotations

import argparse
import sys

from pextui.logs import add_logging_arguments, setup_logging_from_args

DEMO_ALIAS = "meet.demo"
DEMO_HOST_PIN = "1234"


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--port", type=int, default=0, metavar="N", help="simulator port (default: any free one)"
    )
    parser.add_argument(
        "--seed", type=int, default=1, metavar="N", help="random seed of the scenario"
    )
    parser.add_argument(
        "--participants",
        type=int,
        default=12,
        metavar="N",
        help="participants in the demo meeting (default: 12)",
    )
    parser.add_argument(
        "--scenario",
        choices=("demo", "workshop"),
        default="demo",
        help="demo: a lively meeting; workshop: the same people, slides and breakout rounds",
    )
    parser.add_argument("--name", default="Host", metavar="NAME", help="your display name")
    parser.add_argument("--theme", metavar="NAME", help="colour theme, e.g. ansi-dark")
    add_logging_arguments(parser)


def run(args: argparse.Namespace) -> int:
    from pextui.protocol.client import JoinParams
    from pextui.sim.config import SimConfig
    from pextui.sim.server import SimServer
    from pextui.tui.app import make_app

    if not 0 <= args.port <= 65535 or args.participants < 0:
        print("pextui demo: --port is 0-65535 and --participants is not negative", file=sys.stderr)
        return 2
    try:
        setup_logging_from_args(args)
    except (OSError, ValueError) as exc:
        print(f"pextui: cannot open the log file: {exc}", file=sys.stderr)
        return 2
    config = SimConfig(
        scenario=args.scenario,
        seed=args.seed,
        participants=args.participants,
        host="127.0.0.1",
        port=args.port,
    )
    try:
        sim = SimServer(config).start()
    except OSError as exc:
        print(f"pextui demo: cannot start the simulator: {exc}", file=sys.stderr)
        return 1
    try:
        join = JoinParams(
            node_url=sim.base_url, alias=DEMO_ALIAS, display_name=args.name, pin=DEMO_HOST_PIN
        )
        app = make_app(join=join, theme=args.theme)
        result = app.run()
    finally:
        sim.stop()
    return int(result or 0)
