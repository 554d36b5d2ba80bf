"""`pextui serve`: the console in a browser, one console process per browser tab.

The same command line as the console: a join link, `--node URL --alias ALIAS`, `demo` (the
embedded simulator, shared by every tab), or nothing (the connect screen). Loopback only by
default; `--host` elsewhere needs `--allow-remote` and PEXTUI_SERVE_SECRET (see
`pextui.serve.access`). Each console process gets the join as options and the PIN as
PEXTUI_PIN in its environment, never on its command line.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import signal
import ssl
import sys

from pextui.commands.connection import (
    EXIT_FAILED,
    EXIT_USAGE,
    PIN_ENV,
    UsageError,
    add_connection_options,
    join_params,
)
from pextui.logs import setup_logging_from_args
from pextui.protocol.params import NO_PIN, JoinParams
from pextui.serve.access import SECRET_ENV, Access, BindRefused, check_binding, is_loopback
from pextui.serve.process import ChildSpec

DEMO = "demo"
DEFAULT_PORT = 8000
DEFAULT_MAX_CONSOLES = 8
PLAIN_HTTP_WARNING = (
    "warning: serving without TLS beyond loopback: the secret and the console cross the "
    "network readable; give --tls-cert/--tls-key or put a TLS proxy in front "
    "(browsers also allow copying to the clipboard only over https or on loopback)"
)


def configure(parser: argparse.ArgumentParser) -> None:
    parser.description = (
        "Serve the console to a browser: a join link, --node/--alias, or `demo`. "
        "Loopback only unless --allow-remote and " + SECRET_ENV + " are given."
    )
    add_connection_options(parser)
    parser.add_argument("--theme", metavar="NAME", help="colour theme, e.g. ansi-dark")
    group = parser.add_argument_group("serving")
    group.add_argument(
        "--host", default="127.0.0.1", metavar="ADDRESS", help="address to listen on"
    )
    group.add_argument(
        "--port",
        type=int,
        default=DEFAULT_PORT,
        metavar="N",
        help=f"port to listen on (default {DEFAULT_PORT}; 0: any free one)",
    )
    group.add_argument(
        "--allow-remote",
        action="store_true",
        help=f"allow an address other than loopback (needs {SECRET_ENV})",
    )
    group.add_argument(
        "--max-consoles",
        type=int,
        default=DEFAULT_MAX_CONSOLES,
        metavar="N",
        help=f"browser tabs served at once, one process each (default {DEFAULT_MAX_CONSOLES})",
    )
    group.add_argument("--tls-cert", metavar="PEM", help="serve https with this certificate")
    group.add_argument("--tls-key", metavar="PEM", help="the certificate's private key")
    from pextui.sim.node import SCENARIOS

    demo = parser.add_argument_group("demo (with `pextui serve demo`)")
    demo.add_argument(
        "--scenario",
        choices=SCENARIOS,
        default="demo",
        help="demo: a lively scripted meeting (default); quiet: nothing changes by itself",
    )
    demo.add_argument("--seed", type=int, default=1, metavar="N", help="the scenario's seed")
    demo.add_argument(
        "--participants", type=int, default=12, metavar="N", help="participants (default 12)"
    )


def child_spec(
    join: JoinParams | None, *, theme: str | None, log_level: str | None = None
) -> ChildSpec:
    """The console process each browser connection runs; the PIN goes in its environment."""
    argv = [sys.executable, "-m", "pextui"]
    env: dict[str, str] = {}
    if join is not None:
        argv += ["--node", join.node_url, "--alias", join.alias, "--name", join.display_name]
        if join.conference_extension:
            argv += ["--extension", join.conference_extension]
        if join.verify is False:
            argv.append("--insecure")
        elif isinstance(join.verify, str):
            argv += ["--ca-bundle", os.path.abspath(os.path.expanduser(join.verify))]
        argv += ["--timeout", repr(join.timeout_s)]
        if join.pin == NO_PIN:
            argv.append("--guest")
        elif join.pin:
            env[PIN_ENV] = join.pin
    if theme:
        argv += ["--theme", theme]
    if log_level:
        argv += ["--log-level", log_level]
    return ChildSpec(tuple(argv), env, frozenset({SECRET_ENV, PIN_ENV}))


def _tls(args: argparse.Namespace) -> ssl.SSLContext | None:
    if not args.tls_cert and not args.tls_key:
        return None
    if not (args.tls_cert and args.tls_key):
        raise UsageError("--tls-cert and --tls-key go together")
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    try:
        context.load_cert_chain(args.tls_cert, args.tls_key)
    except (OSError, ssl.SSLError) as exc:
        raise UsageError(f"cannot load the TLS certificate: {exc}") from None
    return context


def _check(args: argparse.Namespace, secret: str | None) -> ssl.SSLContext | None:
    if not 0 <= args.port <= 65535:
        raise UsageError("--port is 0-65535")
    if args.max_consoles < 1:
        raise UsageError("--max-consoles is at least 1")
    if args.participants < 0:
        raise UsageError("--participants is not negative")
    try:
        check_binding(args.host, allow_remote=args.allow_remote, secret=secret)
    except BindRefused as exc:
        raise UsageError(str(exc)) from None
    return _tls(args)


def run(args: argparse.Namespace) -> int:
    try:
        setup_logging_from_args(args)
    except (OSError, ValueError) as exc:
        print(f"pextui serve: cannot open the log file: {exc}", file=sys.stderr)
        return EXIT_USAGE
    secret = os.environ.get(SECRET_ENV) or None
    try:
        tls = _check(args, secret)
        demo = args.link == DEMO
        join = None
        if not demo and (args.link or args.node or args.alias):
            join = join_params(args)
    except UsageError as exc:
        print(f"pextui serve: {exc}", file=sys.stderr)
        return EXIT_USAGE
    if not is_loopback(args.host) and tls is None:
        print(PLAIN_HTTP_WARNING, file=sys.stderr)
    if not demo:
        conference = join.alias if join else ""
        return _serve(args, child_spec(join, theme=args.theme), conference, tls, secret)
    return _serve_demo(args, tls, secret)


def _serve_demo(args: argparse.Namespace, tls: ssl.SSLContext | None, secret: str | None) -> int:
    from pextui.commands.demo import DEMO_ALIAS, DEMO_HOST_PIN
    from pextui.sim.config import SimConfig
    from pextui.sim.server import SimServer

    config = SimConfig(
        scenario=args.scenario, seed=args.seed, participants=args.participants, host="127.0.0.1"
    )
    try:
        sim = SimServer(config).start()
    except OSError as exc:
        print(f"pextui serve: cannot start the simulator: {exc}", file=sys.stderr)
        return EXIT_FAILED
    try:
        join = JoinParams(
            node_url=sim.base_url,
            alias=DEMO_ALIAS,
            display_name=args.name or "Host",
            pin=DEMO_HOST_PIN,
        )
        notes = [f"the demo simulator is at {sim.base_url} (GET /_sim/state to watch it)"]
        spec = child_spec(join, theme=args.theme)
        return _serve(args, spec, f"{DEMO_ALIAS} (demo)", tls, secret, notes)
    finally:
        sim.stop()


def _serve(
    args: argparse.Namespace,
    spec: ChildSpec,
    conference: str,
    tls: ssl.SSLContext | None,
    secret: str | None,
    notes: list[str] | None = None,
) -> int:
    from pextui.serve.server import ConsoleServer

    server = ConsoleServer(
        spec,
        conference=conference,
        host=args.host,
        port=args.port,
        access=Access(secret),
        max_consoles=args.max_consoles,
        ssl_context=tls,
    )

    def ready(url: str) -> None:
        print(f"pextui serve: open {url} in a browser (one console per tab)", flush=True)
        if secret:
            print(f"pextui serve: the browser asks for the secret in {SECRET_ENV}", flush=True)
        for note in notes or []:
            print(f"pextui serve: {note}", flush=True)
        print("pextui serve: press Ctrl+C to stop", flush=True)

    async def main() -> None:
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGINT, signal.SIGTERM):
            with contextlib.suppress(NotImplementedError, RuntimeError):
                loop.add_signal_handler(sig, server.stop)
        await server.run(ready)

    try:
        asyncio.run(main())
    except OSError as exc:
        print(f"pextui serve: cannot listen on {args.host}:{args.port}: {exc}", file=sys.stderr)
        return EXIT_FAILED
    return 0
