"""`pextui demo`: the embedded simulator on loopback, joined as host of two conferences.

One command, live meetings: the simulator runs the `demo` scenario with the default
conferences in a background thread; the console joins `meet.demo` (the main room, in front)
and `meet.board` (the green room: three speakers waiting to go on) with the host PIN, one tab
each (`[` / `]` or alt+1 / alt+2 switch). A
simulated Yeastar PBX runs beside it with three callers at the operator's extension, and
a simulated ACS resource whose customer rings once the console listens (F3 shows them
all; a answers the ACS call, b brings a caller in; docs/phone.md).
"""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING

from pextui.logs import add_logging_arguments, setup_logging_from_args

if TYPE_CHECKING:
    from pextui.phone.acs.session import AcsSession
    from pextui.phone.calls import CallBook
    from pextui.phone.yeastar.session import YeastarSession
    from pextui.sim.acs.server import AcsServer
    from pextui.sim.pbx.server import PbxServer
    from pextui.sim.server import SimServer

DEMO_ALIAS = "meet.demo"
GREEN_ROOM_ALIAS = "meet.board"
DEMO_HOST_PIN = "1234"
GREEN_ROOM_SPEAKERS = ("Nadia Haddad", "Amara Okafor", "Lucía Fernández")
DEMO_ACS_CALLER = ("+4930123456", "Erika Mustermann")


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
    parser.add_argument(
        "--smoke",
        action="store_true",
        help="no terminal: run until the roster has synced, leave, print a JSON summary "
        "(checks an installation; exit 0 when it worked)",
    )
    add_logging_arguments(parser)


def fill_green_room(sim: SimServer) -> None:
    """The speakers waiting in the green room (`meet.board`) before they go on stage."""
    from pextui.sim.participants import make_participant

    conference = sim.node.conferences.get(GREEN_ROOM_ALIAS)
    if conference is None:
        return

    def add() -> None:
        for name in GREEN_ROOM_SPEAKERS:
            if any(p.display_name == name for p in conference.participants.values()):
                continue
            speaker = make_participant(
                display_name=name,
                role="guest",
                protocol="webrtc",
                service_type=conference.joined_service_type,
                local_alias=conference.alias,
                start_time=conference.clock(),
            )
            conference.add(speaker)

    sim.run_on_loop(add)


def demo_pbx(sim: SimServer) -> PbxServer:
    """The simulated PBX beside the demo's node: callers waiting at the operator (2005)."""
    from pextui.sim.pbx.config import PbxConfig
    from pextui.sim.pbx.server import PbxServer

    return PbxServer(sim, PbxConfig(scenario="demo")).start()


def demo_phone(pbx: PbxServer) -> YeastarSession:
    """The console's PBX session for the demo: the simulator's well-known credentials."""
    from pextui.phone.settings import PbxSettings
    from pextui.phone.yeastar.credentials import Credentials
    from pextui.phone.yeastar.session import YeastarSession

    config = pbx.config
    numbers = (
        {alias: number for number, alias in pbx.pbx.plan.numbers.items()} if pbx.pbx.plan else {}
    )
    settings = PbxSettings(pbx.base_url, config.operator, numbers)
    return YeastarSession(settings, Credentials(config.client_id, config.client_secret))


def demo_acs(sim: SimServer) -> AcsServer:
    """The simulated ACS resource beside the demo's node: one customer waiting to ring."""
    from pextui.sim.acs.server import AcsServer

    return AcsServer(sim, callers=[DEMO_ACS_CALLER]).start()


def demo_acs_session(sim: SimServer, acs: AcsServer, book: CallBook) -> AcsSession:
    """The console as the ACS endpoint of the demo (the key stays in this process)."""
    from pextui.phone.acs.callback_auth import CallbackAuth
    from pextui.phone.acs.connection import ConnectionString
    from pextui.phone.acs.session import AcsSession

    aliases = list(sim.node.conferences)
    found = sim.run_on_loop(lambda: {a: acs.acs.pstn_number(a) for a in aliases})
    numbers = {alias: number for alias, number in found.items() if number}
    connection = ConnectionString.parse(acs.connection_string)
    checking = CallbackAuth(acs.resource_id, acs.openid_config)  # the signed JWT, as in Azure
    return AcsSession(
        connection, book=book, numbers=numbers, ca=acs.ca, subscribe_simulator=True,
        callback_auth=checking,
    )  # fmt: skip


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
        theme=True,  # splash screens: a conference joined alone shows its welcome
    )
    try:
        sim = SimServer(config).start()
    except OSError as exc:
        print(f"pextui demo: cannot start the simulator: {exc}", file=sys.stderr)
        return 1
    try:
        pbx = demo_pbx(sim)
    except (OSError, RuntimeError) as exc:
        sim.stop()
        print(f"pextui demo: cannot start the PBX simulator: {exc}", file=sys.stderr)
        return 1
    try:
        acs = demo_acs(sim)
    except (OSError, RuntimeError, ValueError) as exc:
        pbx.stop()
        sim.stop()
        print(f"pextui demo: cannot start the ACS simulator: {exc}", file=sys.stderr)
        return 1
    try:
        fill_green_room(sim)
        joins = [
            JoinParams(
                node_url=sim.base_url, alias=alias, display_name=args.name, pin=DEMO_HOST_PIN
            )
            for alias in (DEMO_ALIAS, GREEN_ROOM_ALIAS)
        ]
        phone = demo_phone(pbx)
        acs_session = demo_acs_session(sim, acs, phone.desk.book)
        if args.smoke:
            from pextui.commands.smoke import run_smoke

            return run_smoke(
                make_app(
                    joins=joins, theme=args.theme, phone=phone, acs=acs_session, load_settings=False
                )
            )
        app = make_app(joins=joins, theme=args.theme, phone=phone, acs=acs_session)
        result = app.run()
    finally:
        acs.stop()
        pbx.stop()
        sim.stop()
    return app.return_code or int(result or 0)  # non-zero after a crash or without a join
