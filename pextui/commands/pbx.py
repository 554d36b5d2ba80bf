"""`pextui pbx calls [--watch]` and `pextui pbx transfer CALL_ID --to ALIAS|NUMBER`.

    PEXTUI_PBX_CLIENT_ID=... PEXTUI_PBX_CLIENT_SECRET=... pextui pbx calls --watch
    pextui pbx transfer 1650029138.338 --to meet.demo --wait 30
    pextui pbx transfer 1650029138.338 --to meet.demo --attended complete

The PBX's URL, the operator's extension and the conference numbers come from the
settings file ([pbx], docs/phone.md) or --base-url / --operator. The Client ID and Secret
come from the environment or a prompt, never from argv. JSON lines on stdout; exit codes
as `pextui do`: 0 done, 1 the PBX refused (its errmsg on stderr) or the transfer failed,
2 usage (unknown call, no number for the conference), 3 credentials refused, 4 the PBX is
unreachable, 5 still under way when --wait ran out. The token is revoked on every exit.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import signal
import sys
from collections.abc import Awaitable, Callable
from typing import Any, TextIO

from pextui.commands.connection import EXIT_FAILED, EXIT_OK, EXIT_USAGE
from pextui.config import ConfigError, load_config
from pextui.logs import add_logging_arguments, setup_logging_from_args
from pextui.phone.calls import Call
from pextui.phone.settings import PbxSettings
from pextui.phone.yeastar.client import ATTENDED_OPERATIONS, YeastarClient
from pextui.phone.yeastar.credentials import MissingCredentials, load_credentials
from pextui.phone.yeastar.desk import DeskError, YeastarDesk
from pextui.phone.yeastar.errors import AuthFailed, Unreachable, YeastarError
from pextui.phone.yeastar.stream import EventStream
from pextui.sanitize import safe_text

EXIT_REFUSED = 3
EXIT_UNREACHABLE = 4
EXIT_TIMED_OUT = 5
ATTENDED_CHOICES = ("consult", *ATTENDED_OPERATIONS)


def configure(parser: argparse.ArgumentParser) -> None:
    parser.description = (
        "The Yeastar P-Series PBX's calls, and bringing a caller into a conference "
        "(blind, or attended: consult then complete / abort / threeway / swap)."
    )
    parser.add_argument("--base-url", metavar="URL", help="the PBX's URL (default: [pbx] base_url)")
    parser.add_argument("--operator", metavar="EXT", help="operator extension (default: [pbx])")
    parser.add_argument(
        "--insecure", action="store_true", help="do NOT verify the PBX's TLS certificate"
    )
    parser.add_argument("--timeout", type=float, default=10.0, metavar="SECONDS")
    add_logging_arguments(parser)
    commands = parser.add_subparsers(dest="pbx_command", required=True, metavar="COMMAND")
    calls = commands.add_parser("calls", help="the PBX's calls as JSON lines")
    calls.add_argument("--watch", action="store_true", help="keep printing each change")
    move = commands.add_parser("transfer", help="bring a caller into a conference")
    move.add_argument("call_id", metavar="CALL_ID")
    move.add_argument("--to", metavar="ALIAS|NUMBER", help="conference alias, or number")
    move.add_argument("--attended", choices=ATTENDED_CHOICES, help="attended (default blind)")
    move.add_argument("--wait", type=float, default=0.0, metavar="SECONDS",
                      help="wait until the call left the PBX for the conference")  # fmt: skip


def _settings(args: argparse.Namespace) -> PbxSettings:
    try:
        configured = load_config().pbx
    except ConfigError as exc:
        raise DeskError(str(exc)) from None
    base_url = args.base_url or (configured.base_url if configured else None)
    operator = args.operator or (configured.operator if configured else None)
    if not base_url or not operator:
        raise DeskError("set [pbx] base_url and operator in the settings file, or pass "
                        "--base-url and --operator")  # fmt: skip
    numbers = dict(configured.numbers) if configured else {}
    insecure = args.insecure or bool(configured and configured.insecure)
    return PbxSettings(base_url, operator, numbers, insecure)


def run(
    args: argparse.Namespace, *, stdout: TextIO | None = None, stderr: TextIO | None = None
) -> int:
    out, err = stdout or sys.stdout, stderr or sys.stderr
    try:
        setup_logging_from_args(args)
        settings = _settings(args)
        credentials = load_credentials()
    except (OSError, ValueError, DeskError, MissingCredentials) as exc:
        _say(err, str(exc))
        return EXIT_USAGE
    client = YeastarClient(settings.base_url, credentials, verify=not settings.insecure,
                           timeout=args.timeout)  # fmt: skip
    desk = YeastarDesk(client, operator=settings.operator, numbers=settings.numbers)
    body = _calls if args.pbx_command == "calls" else _transfer
    return asyncio.run(_main(client, lambda: body(desk, args, out), err))


async def _main(client: YeastarClient, body: Callable[[], Awaitable[int]], err: TextIO) -> int:
    task = asyncio.current_task()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        with contextlib.suppress(NotImplementedError, RuntimeError, ValueError):
            loop.add_signal_handler(sig, lambda: task.cancel() if task else None)
    try:
        async with client:  # del_token however this ends
            return await body()
    except asyncio.CancelledError:
        return EXIT_OK
    except AuthFailed as exc:
        _say(err, f"the PBX refused the Client ID / Secret: {exc.errmsg}")
        return EXIT_REFUSED
    except Unreachable as exc:
        _say(err, str(exc))
        return EXIT_UNREACHABLE
    except DeskError as exc:
        _say(err, str(exc))
        return EXIT_USAGE
    except YeastarError as exc:
        _say(err, str(exc))
        return EXIT_FAILED


def _say(err: TextIO, text: str) -> None:
    """One line on stderr; the PBX's errmsg is untrusted text: no escapes reach the terminal."""
    print(f"pextui pbx: {safe_text(text, 500)}", file=err)


def _line(out: TextIO, value: dict[str, Any]) -> None:
    out.write(json.dumps(value, ensure_ascii=False, sort_keys=True) + "\n")
    out.flush()


async def _calls(desk: YeastarDesk, args: argparse.Namespace, out: TextIO) -> int:
    desk.load(await desk.client.query_calls())
    for call in desk.book.live():
        _line(out, call.to_json())
    if not args.watch:
        return EXIT_OK

    def changed(event: Any) -> None:
        call = desk.apply(event)
        if call is not None:
            _line(out, call.to_json())

    await EventStream(desk.client).run(changed)
    return EXIT_OK


async def _transfer(desk: YeastarDesk, args: argparse.Namespace, out: TextIO) -> int:
    desk.load(await desk.client.query_calls())
    call = desk.book.get("yeastar", args.call_id)
    if call is None:
        raise DeskError(f"no call {args.call_id!r} on the PBX (see `pextui pbx calls`)")
    operation = args.attended
    if operation in ("abort", "swap") or (operation and not args.to):
        channel = call.extra.get("operator_channel", "")
        await desk.client.attended_operate(channel, operation)
        _line(out, {"call_id": call.id, "attended_operate": operation, "state": "accepted"})
        return EXIT_OK
    if not args.to:
        raise DeskError("--to ALIAS|NUMBER is needed")
    events: asyncio.Queue[None] = asyncio.Queue()
    stream = EventStream(desk.client)

    def changed(event: Any) -> None:
        desk.apply(event)
        events.put_nowait(None)

    watching = asyncio.create_task(stream.run(changed))
    try:
        if operation is None:
            transfer = await desk.bring_in(call.id, args.to)
        else:
            transfer = await desk.consult(call.id, args.to)
            if operation != "consult":
                await _consult_answered(desk, transfer.number, max(args.wait, 10.0))
                await desk.operate(call.id, operation)
        if args.wait > 0 and operation != "consult":
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(_until_left(call, events), args.wait)
        _line(out, call.to_json())
        return _exit_for(call, waited=args.wait > 0 and operation != "consult")
    finally:
        await stream.stop()
        watching.cancel()
        with contextlib.suppress(asyncio.CancelledError, Exception):
            await watching


async def _until_left(call: Call, events: asyncio.Queue[None]) -> None:
    while call.transfer is not None and call.transfer.state in ("requested", "accepted"):
        await events.get()


async def _consult_answered(desk: YeastarDesk, number: str, limit: float) -> None:
    """Poll call/query until the operator's consult call to `number` is answered."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + limit
    while loop.time() < deadline:
        for info in await desk.client.query_calls():
            members = [
                next(iter(m.values())) for m in info.get("members", []) if isinstance(m, dict)
            ]
            if any(m.get("to") == number and m.get("member_status") == "ANSWER" for m in members
                   if isinstance(m, dict)):  # fmt: skip
                return
        await asyncio.sleep(0.2)
    raise DeskError(f"the consult call to {number} was not answered in {limit:g} s")


def _exit_for(call: Call, *, waited: bool) -> int:
    transfer = call.transfer
    if transfer is None or transfer.state in ("failed", "timed_out"):
        return EXIT_FAILED
    if waited and transfer.state not in ("left", "arrived"):
        return EXIT_TIMED_OUT
    return EXIT_OK
