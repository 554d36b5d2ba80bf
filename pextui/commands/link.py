"""`pextui link parse URL` and `pextui link build ...`: Infinity Connect join links.

parse prints the link's join parameters as JSON (PIN masked unless --show-pin); URL `-`
reads the link from standard input, which keeps a PIN out of the process list.
build prints guest and host invite links, web app and pexip://. PINs come from
--guest-pin / --host-pin (visible in `ps`, hence a warning) or from PEXTUI_GUEST_PIN /
PEXTUI_HOST_PIN. A host link carries the host PIN only with --include-host-pin.
Exit status: 0 on success, 2 for a bad link or bad options (the reason on stderr).
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import sys
from collections.abc import Mapping
from typing import TextIO

from pextui.links import (
    BANDWIDTH_MAX,
    BANDWIDTH_MIN,
    CALL_TYPES,
    LinkError,
    build_links,
    parse_link,
)
from pextui.logs import add_logging_arguments, setup_logging_from_args

GUEST_PIN_ENV = "PEXTUI_GUEST_PIN"
HOST_PIN_ENV = "PEXTUI_HOST_PIN"
EXIT_OK = 0
EXIT_USAGE = 2

log = logging.getLogger(__name__)


def configure(parser: argparse.ArgumentParser) -> None:
    # --log-file / --log-level live on each sub-command (after `parse` / `build`): on the
    # parent too, a sub-command's defaults would silently override the parent's values.
    commands = parser.add_subparsers(dest="link_command", metavar="{parse,build}", required=True)

    parse = commands.add_parser(
        "parse",
        help="print a join link's parameters as JSON",
        description="Print the join parameters of a web app or pexip:// link as JSON.",
    )
    parse.add_argument("url", metavar="URL", help="the join link, or - to read it from stdin")
    parse.add_argument("--show-pin", action="store_true", help="show the PIN instead of ****")
    add_logging_arguments(parse)

    build = commands.add_parser(
        "build",
        help="print guest and host invite links for a conference",
        description=(
            "Print guest and host invite links (web app and pexip://). Guest links carry the "
            "guest PIN when there is one, else role=guest. Host links carry the host PIN "
            f"only with --include-host-pin. PINs: ${GUEST_PIN_ENV} / ${HOST_PIN_ENV}, or the "
            "options (which show in the process list)."
        ),
    )
    build.add_argument("--node", required=True, metavar="URL", help="node address or URL")
    build.add_argument("--alias", required=True, metavar="ALIAS", help="conference alias")
    build.add_argument("--name", metavar="NAME", help="display name to pre-fill")
    build.add_argument(
        "--role",
        choices=("guest", "host", "both"),
        default="both",
        help="which links to print (default: both)",
    )
    build.add_argument("--guest-pin", metavar="PIN", help=f"guest PIN (or ${GUEST_PIN_ENV})")
    build.add_argument("--host-pin", metavar="PIN", help=f"host PIN (or ${HOST_PIN_ENV})")
    build.add_argument(
        "--include-host-pin",
        action="store_true",
        help="put the host PIN into the host links (anyone with the link joins as host)",
    )
    build.add_argument("--mute-microphone", action="store_true", help="join with mic muted")
    build.add_argument("--mute-camera", action="store_true", help="join with camera muted")
    build.add_argument(
        "--call-type", choices=CALL_TYPES, help="web app call type (none = control only)"
    )
    build.add_argument("--extension", metavar="EXT", help="Virtual Reception extension")
    build.add_argument(
        "--bandwidth",
        type=int,
        metavar="KBPS",
        help=f"maximum call bandwidth, {BANDWIDTH_MIN}-{BANDWIDTH_MAX} kbps",
    )
    build.add_argument("--json", action="store_true", help="print JSON instead of lines")
    add_logging_arguments(build)


def run(
    args: argparse.Namespace,
    *,
    stdin: TextIO | None = None,
    stdout: TextIO | None = None,
    stderr: TextIO | None = None,
    env: Mapping[str, str] | None = None,
) -> int:
    out = stdout or sys.stdout
    err = stderr or sys.stderr
    try:
        setup_logging_from_args(args)
    except OSError as exc:  # the log is not needed to print links: say so and carry on
        print(f"pextui link: warning: cannot open the log file: {exc}", file=err)
    try:
        if args.link_command == "parse":
            return _parse(args, stdin or sys.stdin, out, err)
        return _build(args, out, err, os.environ if env is None else env)
    except LinkError as exc:
        log.info("link %s refused: %s", args.link_command, exc)
        print(f"pextui link: error: {exc}", file=err)
        return EXIT_USAGE


def _parse(args: argparse.Namespace, stdin: TextIO, out: TextIO, err: TextIO) -> int:
    url: str = args.url
    if url == "-":
        url = stdin.readline()
    link = parse_link(url)
    log.info("parsed a %s link for alias %r", link.kind, link.alias)
    print(json.dumps(link.to_dict(show_pin=args.show_pin), indent=2, ensure_ascii=False), file=out)
    return EXIT_OK


def _pin(
    option: str | None, env: Mapping[str, str], variable: str, flag: str, err: TextIO
) -> str | None:
    if option:
        print(
            f"pextui link: warning: {flag} shows the PIN in the process list (ps); "
            f"prefer ${variable}",
            file=err,
        )
        return option
    return env.get(variable) or None


def _build(args: argparse.Namespace, out: TextIO, err: TextIO, env: Mapping[str, str]) -> int:
    guest_pin = _pin(args.guest_pin, env, GUEST_PIN_ENV, "--guest-pin", err)
    host_pin = _pin(args.host_pin, env, HOST_PIN_ENV, "--host-pin", err)
    if args.include_host_pin and host_pin is None:
        raise LinkError(f"--include-host-pin needs --host-pin or ${HOST_PIN_ENV}")
    links = build_links(
        args.node,
        args.alias,
        host_pin=host_pin,
        guest_pin=guest_pin,
        name=args.name,
        include_pin=args.include_host_pin,
        mute_microphone=args.mute_microphone,
        mute_camera=args.mute_camera,
        call_type=args.call_type,
        extension=args.extension,
        bandwidth=args.bandwidth,
    )
    wanted = ("guest", "host") if args.role == "both" else (args.role,)
    chosen = {key: value for key, value in links.to_dict().items() if key.split("_")[0] in wanted}
    log.info("built %s invite links for alias %r", "/".join(wanted), args.alias)
    if args.json:
        print(json.dumps(chosen, indent=2, ensure_ascii=False), file=out)
        return EXIT_OK
    labels = {
        "guest_webapp": "guest, web app:",
        "guest_pexip": "guest, pexip://:",
        "host_webapp": "host, web app:",
        "host_pexip": "host, pexip://:",
    }
    for key, url in chosen.items():
        print(f"{labels[key]:<18}{url}", file=out)
    return EXIT_OK
