"""`pextui acs calls|transfer`: ACS Call Automation from the command line, JSON out.

    export PEXTUI_ACS_CONNECTION_STRING="$(cat /tmp/pextui-acs-tls-*/connection-string)"
    pextui acs calls --watch --answer --acs-ca CA.pem --subscribe-sim
    pextui acs transfer CALL_CONNECTION_ID --to meet.demo --number meet.demo=+15550108001

ACS has no "list calls" API: `calls` runs the callback receiver and shows the calls Event
Grid announces (IncomingCall), for `--for` seconds or, with `--watch`, as JSON lines until
interrupted; `--answer` answers each. `transfer` hands a call into a conference and waits
for ACS's callback (`--wait`), asking ACS for the call when none comes. The connection
string comes from $PEXTUI_ACS_CONNECTION_STRING or a hidden prompt, never from argv.
Exit codes as `pextui do`: 0 done (the caller left ACS for the conference), 1 failed or
timed out (reason on stderr), 2 usage, 3 refused (wrong key), 4 unreachable.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import sys
from collections.abc import Awaitable, Callable
from typing import Any, TextIO

import httpx
from azure.core.exceptions import AzureError, ClientAuthenticationError, HttpResponseError

from pextui.commands.acs_options import (
    UNCHECKED,
    callback_auth,
    endpoint_options,
    number_option,
)
from pextui.commands.connection import EXIT_FAILED, EXIT_OK, EXIT_USAGE
from pextui.logs import add_logging_arguments, setup_logging_from_args
from pextui.phone.acs.connection import (
    ConnectionString,
    connection_string,
    hidden_prompt,
)
from pextui.phone.acs.desk import AcsDesk, DeskError
from pextui.phone.acs.endpoint import AcsEndpoint, SubscriptionError
from pextui.phone.calls import Call

EXIT_REFUSED = 3
EXIT_UNREACHABLE = 4


def _common(parser: argparse.ArgumentParser) -> None:
    group = parser.add_argument_group("ACS endpoint")
    endpoint_options(group)
    group.add_argument(
        "--subscribe-sim",
        action="store_true",
        help="register the Event Grid webhook with the simulator (real ACS: Event Grid does)",
    )
    group.add_argument("--timeout", type=float, default=10.0, metavar="SECONDS", help="per request")


def configure(parser: argparse.ArgumentParser) -> None:
    parser.description = __doc__.split("\n\n")[0] if __doc__ else ""
    add_logging_arguments(parser)
    commands = parser.add_subparsers(dest="acs_command", required=True, metavar="COMMAND")
    calls = commands.add_parser("calls", help="show the calls ACS announces (JSON)")
    calls.add_argument("--watch", action="store_true", help="JSON lines until interrupted")
    calls.add_argument("--answer", action="store_true", help="answer every incoming call")
    calls.add_argument("--for", dest="seconds", type=float, default=5.0, metavar="SECONDS")
    calls.add_argument(
        "--count", type=int, metavar="N", help="stop once N calls were seen (answered)"
    )
    _common(calls)
    transfer = commands.add_parser("transfer", help="hand a call into a conference")
    transfer.add_argument("call_connection_id", metavar="CALL_CONNECTION_ID")
    transfer.add_argument("--to", required=True, metavar="ALIAS|+E164|SIP")
    transfer.add_argument(
        "--number",
        action="append",
        type=number_option,
        default=[],
        metavar="ALIAS=NUMBER",
        help="a conference's PSTN number (repeatable): --to ALIAS dials it",
    )
    transfer.add_argument("--wait", type=float, default=30.0, metavar="SECONDS")
    transfer.add_argument("--new", action="store_true", help="a new transfer, not a retry")
    _common(transfer)


def _emit(out: TextIO, value: Any) -> None:
    out.write(json.dumps(value, ensure_ascii=False) + "\n")
    out.flush()


def run(args: argparse.Namespace) -> int:
    try:
        setup_logging_from_args(args)
    except (OSError, ValueError) as error:
        print(f"pextui acs: cannot open the log file: {error}", file=sys.stderr)
        return EXIT_USAGE
    try:
        checking = callback_auth(args)
        connection = connection_string(prompt=hidden_prompt if sys.stdin.isatty() else None)
    except ValueError as error:  # ConnectionStringError too
        print(f"pextui acs: {error}", file=sys.stderr)
        return EXIT_USAGE
    if checking is None and args.acs_callback_url:
        print(f"pextui acs: {UNCHECKED}", file=sys.stderr)
    command = calls if args.acs_command == "calls" else transfer
    try:
        return asyncio.run(_session(args, connection, command))
    except ClientAuthenticationError:
        print("pextui acs: ACS refused the access key (401)", file=sys.stderr)
        return EXIT_REFUSED
    except HttpResponseError as error:
        print(f"pextui acs: ACS answered {error.status_code}: {error.reason}", file=sys.stderr)
        return EXIT_FAILED
    except (AzureError, httpx.HTTPError, OSError) as error:
        print(f"pextui acs: cannot reach ACS or listen: {type(error).__name__}", file=sys.stderr)
        return EXIT_UNREACHABLE
    except (DeskError, SubscriptionError) as error:
        print(f"pextui acs: {error}", file=sys.stderr)
        return EXIT_USAGE


Command = Callable[[argparse.Namespace, AcsDesk], Awaitable[int]]


async def _session(args: argparse.Namespace, connection: ConnectionString, command: Command) -> int:
    endpoint = AcsEndpoint(
        connection,
        numbers=dict(getattr(args, "number", [])),
        listen=args.acs_callback_listen,
        public_url=args.acs_callback_url,
        ca=args.acs_ca,
        request_timeout=args.timeout,
        transfer_timeout=float(getattr(args, "wait", 30.0)),
        callback_auth=callback_auth(args),  # checked in run()
    )
    verifier = endpoint.verifier
    if verifier is not None:  # keys lost or back: said on stderr (the log has it too)
        verifier.on_change = lambda: print(
            f"pextui acs: {verifier.problem or 'the signing keys are back'}", file=sys.stderr
        )
    async with endpoint:
        for line in endpoint.receiver.describe():
            print(line, file=sys.stderr)
        if args.subscribe_sim:
            await endpoint.subscribe_simulator()
            print("Event Grid subscription validated", file=sys.stderr)
        return await command(args, endpoint.desk)


async def calls(args: argparse.Namespace, desk: AcsDesk, out: TextIO = sys.stdout) -> int:
    answered: set[str] = set()
    shown: dict[str, str] = {}
    loop = asyncio.get_running_loop()
    deadline = None if args.watch else loop.time() + args.seconds
    while deadline is None or loop.time() < deadline:
        for call in desk.book:
            if args.answer and call.state == "ringing" and call.id not in answered:
                answered.add(call.id)
                with contextlib.suppress(AzureError, DeskError):
                    await desk.answer(call.id)
        if args.watch:
            for call in desk.book:
                text = json.dumps(call.to_json(), sort_keys=True)
                if shown.get(call.id) != text:
                    shown[call.id] = text
                    _emit(out, call.to_json())
        if args.count is not None and _enough(desk, args.count, args.answer):
            break
        left = 0.5 if deadline is None else max(0.0, min(0.5, deadline - loop.time()))
        await desk.wait_changed(left)
    if not args.watch:
        _emit(out, [c.to_json() for c in desk.book])
    return EXIT_OK


def _enough(desk: AcsDesk, count: int, answering: bool) -> bool:
    seen = [c for c in desk.book if not answering or c.state != "ringing"]
    return len(seen) >= count


def transfer_json(call: Call, desk: AcsDesk) -> dict[str, Any]:
    record = desk.transfers.get(call.id)
    result = record.result if record else None
    return {
        **call.to_json(),
        "repeatability_request_id": record.repeat.request_id if record else None,
        "sends": record.sends if record else 0,
        "result_information": (
            {"code": result.code, "subCode": result.sub_code, "message": result.message}
            if result
            else None
        ),
    }


async def transfer(args: argparse.Namespace, desk: AcsDesk, out: TextIO = sys.stdout) -> int:
    call = desk.adopt(args.call_connection_id)
    result = await desk.transfer(call.id, args.to, new=args.new)
    loop = asyncio.get_running_loop()
    deadline = loop.time() + args.wait
    while result.state not in ("left", "arrived") and not result.settled:
        if loop.time() >= deadline:
            desk.transfers[call.id].deadline = 0.0  # overdue now: ask ACS, then time out
            await desk.expire()
            break
        await desk.wait_changed(min(0.5, max(0.0, deadline - loop.time())))
    _emit(out, transfer_json(call, desk))
    if result.state in ("left", "arrived"):
        return EXIT_OK
    print(f"pextui acs: transfer {result.state}: {result.reason}", file=sys.stderr)
    return EXIT_FAILED
