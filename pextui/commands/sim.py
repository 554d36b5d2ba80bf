"""`pextui sim`: run the simulated Pexip Infinity Conferencing Node in the foreground."""

from __future__ import annotations

import argparse
import signal
import socket
import sys
from collections.abc import Callable
from types import FrameType
from typing import TYPE_CHECKING

from pextui.commands.sim_acs import add_acs_arguments, make_acs
from pextui.logs import add_logging_arguments, setup_logging_from_args
from pextui.sim.companions import Companion, serve_together
from pextui.sim.config import SimConfig, VmrConfig, VmrKind, default_vmrs, parse_fault
from pextui.sim.node import MAX_PARTICIPANTS, SCENARIOS, Node

if TYPE_CHECKING:
    from pextui.sim.acs.server import AcsSim


def _bounded(kind: Callable[[str], float], low: float, high: float) -> Callable[[str], float]:
    def convert(text: str) -> float:
        try:
            value = kind(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"not a number: {text!r}") from None
        if not low <= value <= high:
            raise argparse.ArgumentTypeError(f"must be between {low:g} and {high:g}")
        return value

    return convert


def _vmr(kind: VmrKind) -> Callable[[str], VmrConfig]:
    def convert(text: str) -> VmrConfig:
        try:
            vmr = VmrConfig.parse(text)
        except ValueError as error:
            raise argparse.ArgumentTypeError(str(error)) from None
        if kind == "reception" and (vmr.host_pin or vmr.guest_pin):
            raise argparse.ArgumentTypeError("a Virtual Reception has no PINs")
        return VmrConfig(vmr.alias, vmr.host_pin, vmr.guest_pin, kind)

    return convert


def _fault(text: str) -> tuple[str, float]:
    try:
        return parse_fault(text)
    except ValueError as error:
        raise argparse.ArgumentTypeError(str(error)) from None


def _pbx_fault(text: str) -> tuple[str, float]:
    from pextui.sim.pbx.config import parse_fault as parse_pbx_fault

    try:
        return parse_pbx_fault(text)
    except ValueError as error:
        raise argparse.ArgumentTypeError(str(error)) from None


def _numbers(pairs: list[str]) -> dict[str, str]:
    numbers: dict[str, str] = {}
    for pair in pairs:
        number, sep, alias = pair.partition("=")
        if not sep or not number.strip() or not alias.strip():
            raise ValueError(f"--number expects NUMBER=ALIAS, not {pair!r}")
        numbers[number.strip()] = alias.strip()
    return numbers


def _check_numbers(numbers: dict[str, str], vmrs: list[VmrConfig]) -> None:
    conferences = {vmr.alias for vmr in vmrs if vmr.kind != "reception"}
    unknown = sorted(alias for alias in numbers.values() if alias not in conferences)
    if unknown:
        raise ValueError(f"--number names no served conference: {', '.join(unknown)}")


def configure(parser: argparse.ArgumentParser) -> None:
    parser.description = (
        "Serve a simulated Pexip Infinity Conferencing Node (client REST API v2) for the "
        "console, tests and other Pexip clients. Without --vmr: meet.demo (host PIN 1234, "
        "guests without PIN), meet.board (host 1234, guest 5678), townhall (Virtual "
        "Auditorium, host 1234) and reception (Virtual Reception)."
    )
    parser.add_argument("--host", default="127.0.0.1", help="address to listen on")
    parser.add_argument(
        "--port",
        type=_bounded(int, 0, 65535),
        default=8080,
        help="port (default 8080); 0 picks a free one",
    )
    parser.add_argument(
        "--vmr",
        action="append",
        type=_vmr("conference"),
        default=[],
        metavar="ALIAS[:HOST_PIN[:GUEST_PIN]]",
        help="serve this Virtual Meeting Room (repeatable; replaces the default set)",
    )
    parser.add_argument(
        "--auditorium",
        action="append",
        type=_vmr("auditorium"),
        default=[],
        metavar="ALIAS[:HOST_PIN[:GUEST_PIN]]",
        help="also serve a Virtual Auditorium (repeatable; replaces the default set)",
    )
    parser.add_argument(
        "--reception",
        action="append",
        type=_vmr("reception"),
        default=[],
        metavar="ALIAS",
        help="also serve a Virtual Reception (repeatable; replaces the default set)",
    )
    parser.add_argument(
        "--scenario",
        choices=SCENARIOS,
        default="quiet",
        help="demo: a lively scripted meeting in the first conference; workshop: the same "
        "people with slides and rounds of breakout rooms; quiet: only who joins",
    )
    parser.add_argument("--seed", type=int, default=1, help="seed of the scenario and churn")
    parser.add_argument(
        "--participants",
        type=_bounded(int, 0, MAX_PARTICIPANTS),
        default=0,
        metavar="N",
        help="pre-populate the first conference with N participants",
    )
    parser.add_argument(
        "--churn",
        type=_bounded(float, 0, 100_000),
        default=0.0,
        metavar="EVENTS_PER_SECOND",
        help="participant events per second (updates, joins, leaves) in the first conference",
    )
    parser.add_argument(
        "--token-expires",
        type=_bounded(int, 1, 86_400),
        default=120,
        metavar="SECONDS",
        help="token lifetime (default 120)",
    )
    parser.add_argument(
        "--fault",
        action="append",
        type=_fault,
        default=[],
        metavar="NAME=VALUE",
        help=(
            "inject a fault (repeatable): drop-stream-every=SECONDS, error-rate=FRACTION, "
            "latency-ms=MS, malformed-rate=FRACTION, refuse-refresh=1, maintenance=1"
        ),
    )
    parser.add_argument(
        "--transfer-overlap",
        type=_bounded(float, 0, 60),
        default=0.0,
        metavar="SECONDS",
        help="after a transfer the target shows the participant while the source still does, "
        "for SECONDS (default 0); a transfer to gateway.reject is accepted, then rejected",
    )
    parser.add_argument(
        "--splash-screens",
        action="store_true",
        help="give every conference a theme (theme/) and send its splash screens: waiting "
        "for the host in a locked room, welcome while alone",
    )
    parser.add_argument(
        "--number",
        action="append",
        default=[],
        metavar="NUMBER=ALIAS",
        help="number plan: NUMBER reaches conference ALIAS (default 8001, 8002, ... in order)",
    )
    phone = parser.add_argument_group("PBX (a simulated Yeastar P-Series, docs/phone.md)")
    phone.add_argument("--pbx", action="store_true", help="also serve the simulated PBX")
    phone.add_argument(
        "--pbx-port", type=_bounded(int, 0, 65535), default=8088, metavar="PORT",
        help="the PBX's port (default 8088; 0 picks a free one)",
    )  # fmt: skip
    phone.add_argument(
        "--pbx-scenario", choices=("quiet", "demo"), default="demo",
        help="demo: three callers at the operator's extension 2005 (default); quiet: none",
    )  # fmt: skip
    phone.add_argument(
        "--pbx-fault", action="append", type=_pbx_fault, default=[], metavar="NAME=VALUE",
        help="drop-ws-every=SECONDS, error-rate=FRACTION, latency-ms=MS, "
        "malformed-rate=FRACTION, refuse-refresh=1",
    )  # fmt: skip
    tls = parser.add_argument_group("TLS")
    tls.add_argument(
        "--ssl-certfile",
        metavar="PEM",
        help="serve HTTPS with this certificate (needs --ssl-keyfile)",
    )
    tls.add_argument("--ssl-keyfile", metavar="PEM", help="the certificate's private key")
    add_acs_arguments(parser)
    add_logging_arguments(parser)


def describe(vmr: VmrConfig) -> str:
    kinds = {
        "conference": "Virtual Meeting Room",
        "auditorium": "Virtual Auditorium",
        "reception": "Virtual Reception",
    }
    if vmr.kind == "reception":
        access = "routes by conference_extension to the others"
    elif vmr.host_pin is None:
        access = "no PIN: everyone joins as host"
    else:
        guests = f"guest PIN {vmr.guest_pin}" if vmr.guest_pin else "guests without PIN"
        access = f"host PIN {vmr.host_pin}, {guests}"
    return f"  {vmr.alias:<16} {kinds[vmr.kind]:<21} {access}"


def run(args: argparse.Namespace) -> int:
    from pextui.sim.app import create_app
    from pextui.sim.server import PromptServer, bind_socket, url_of, uvicorn_config

    if bool(args.ssl_certfile) != bool(args.ssl_keyfile):
        print("pextui sim: --ssl-certfile and --ssl-keyfile go together", file=sys.stderr)
        return 2
    try:
        setup_logging_from_args(args)
    except (OSError, ValueError) as error:
        print(f"pextui sim: cannot open the log file: {error}", file=sys.stderr)
        return 2
    vmrs = [*args.vmr, *args.auditorium, *args.reception] or list(default_vmrs())
    try:
        numbers = _numbers(args.number)
        _check_numbers(numbers, vmrs)
    except ValueError as error:
        print(f"pextui sim: {error}", file=sys.stderr)
        return 2
    config = SimConfig(
        vmrs=vmrs,
        scenario=args.scenario,
        seed=args.seed,
        participants=args.participants,
        churn=args.churn,
        token_expires=args.token_expires,
        faults=dict(args.fault),
        host=args.host,
        port=args.port,
        ssl_certfile=args.ssl_certfile,
        ssl_keyfile=args.ssl_keyfile,
        numbers=numbers,
        transfer_overlap=args.transfer_overlap,
        theme=args.splash_screens,
    )
    # until the server takes the signals over, SIGTERM behaves like Ctrl-C
    signal.signal(signal.SIGTERM, _interrupt)
    sock: socket.socket | None = None
    pbx_sock: socket.socket | None = None
    acs: AcsSim | None = None
    companions: list[Companion] = []
    try:
        try:
            app = create_app(config)
            uvicorn = uvicorn_config(
                app, ssl_certfile=config.ssl_certfile, ssl_keyfile=config.ssl_keyfile
            )
            sock = bind_socket(config.host, config.port)
            if args.pbx:
                pbx_sock = bind_socket(config.host, args.pbx_port)
            if args.acs:
                acs = make_acs(args, app.state.node)
                companions.append(acs.companion())
        except (ValueError, OSError) as error:
            print(f"pextui sim: {error}", file=sys.stderr)
            return 2
        if acs is not None:  # its CA and connection-string file on the first lines
            print("\n".join(acs.banner()), flush=True)
        url = url_of(config.host, sock.getsockname()[1], config.scheme)
        print(f"pextui sim listening on {url}", flush=True)
        print("\n".join(banner(config)), flush=True)
        server = PromptServer(uvicorn, app.state.node.close_all_streams)
        if pbx_sock is not None:
            companions.append(_pbx_companion(args, config, app.state.node, pbx_sock))
        if companions:
            serve_together(server, sock, companions)
        else:
            server.run(sockets=[sock])
    except KeyboardInterrupt:
        pass  # a signal before the server took them over: nothing to clean but the socket
    finally:
        for opened in (sock, pbx_sock, *(c.sock for c in companions)):
            if opened is not None:
                opened.close()
        if acs is not None:
            acs.cleanup()
    return 0


def _pbx_companion(
    args: argparse.Namespace, config: SimConfig, node: Node, pbx_sock: socket.socket
) -> Companion:
    from pextui.sim.pbx.config import PbxConfig, credentials_from_env
    from pextui.sim.pbx.server import pbx_companion
    from pextui.sim.server import url_of

    pbx = credentials_from_env(
        PbxConfig(scenario=args.pbx_scenario, faults=dict(args.pbx_fault), seed=config.seed)
    )
    url = url_of(config.host, pbx_sock.getsockname()[1])
    print(f"pextui sim: simulated Yeastar P-Series PBX on {url} (OpenAPI under /openapi/v1.0/)")
    print(f"  client ID {pbx.client_id}; operator extension {pbx.operator}; "
          f"{len(pbx.scenario_callers())} callers waiting", flush=True)  # fmt: skip
    return pbx_companion(node, pbx, pbx_sock)


def banner(config: SimConfig) -> list[str]:
    """The conferences with their PINs, then the scenario and what else is switched on."""
    lines = [describe(vmr) for vmr in config.resolved_vmrs()]
    extras = [f"scenario {config.scenario}", f"seed {config.seed}"]
    if config.participants:
        extras.append(f"{config.participants} participants")
    if config.churn:
        extras.append(f"churn {config.churn:g}/s")
    if config.theme:
        extras.append("splash screens")
    extras += [f"fault {name}={value:g}" for name, value in config.faults.items()]
    return [*lines, "  " + ", ".join(extras)]


def _interrupt(sig: int, frame: FrameType | None) -> None:
    raise KeyboardInterrupt
