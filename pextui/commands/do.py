"""`pextui do ACTION [--participant NAME_OR_UUID] [VALUES]`: one host action, then leave.

    PEXTUI_PIN=1234 pextui do --node https://node --alias meet.demo mute --participant Alice
    pextui do "https://node/webapp/conference/meet.demo" layout 4:0
    pextui do ... participants | jq '.[].display_name'

Exits 0 on success, non-zero with the server's reason on stderr otherwise. Queries
(status, participants, layouts, dial) print JSON on stdout. The token is released on exit.
"""

from __future__ import annotations

import argparse
import sys

from pextui.commands.connection import EXIT_USAGE, add_connection_options, run_with_session
from pextui.commands.do_actions import (
    ACTIONS,
    Action,
    ExitStatus,
    ParticipantLookupError,
    find_participant,
    lookup_action,
)
from pextui.commands.do_transfer import TRANSFER_PIN_ENV, target_of
from pextui.protocol.session import Session

MAX_WAIT_S = 3600.0

__all__ = ["ACTIONS", "Action", "ParticipantLookupError", "configure", "find_participant", "run"]


def configure(parser: argparse.ArgumentParser) -> None:
    parser.description = (
        "Join a conference, perform one host action, and leave. Exit status is non-zero "
        "with the server's reason on stderr when the action fails."
    )
    parser.formatter_class = argparse.RawDescriptionHelpFormatter
    parser.usage = "%(prog)s [LINK] ACTION [VALUE ...] [--participant NAME_OR_UUID] [options]"
    parser.epilog = (
        "actions:\n"
        + "\n".join(
            f"  {(a.name + ' ' + a.usage).strip():<40} {a.summary}"
            + (" [needs --participant]" if a.participant else "")
            for a in ACTIONS
        )
        + (
            "\n\nThe PIN comes from $PEXTUI_PIN (or a prompt on a terminal); a transfer's target"
            f" PIN from ${TRANSFER_PIN_ENV}.\nExit status: 0 done, 1 the action failed (the"
            " server's reason on stderr), 2 usage, 3 join refused, 4 node unreachable."
        )
    )
    parser.add_argument(
        "words",
        nargs="+",
        metavar="[LINK] ACTION [VALUE ...]",
        help="optional join link, then the action and its values",
    )
    add_connection_options(parser, link_positional=False)
    group = parser.add_argument_group("action options")
    group.add_argument("--participant", metavar="NAME_OR_UUID", help="the participant to act on")
    group.add_argument("--role", help="transfer role host|guest, or dial role HOST|GUEST")
    group.add_argument("--to", metavar="ALIAS", help="transfer: the target conference")
    group.add_argument(
        "--wait",
        type=float,
        metavar="SECONDS",
        help="transfer: watch the target and exit 0 only when the participant arrives",
    )
    group.add_argument("--protocol", default="auto", help="dial protocol: sip|h323|rtmp|mssip|auto")
    group.add_argument("--call-type", help="dial call type: video|video-only|audio")
    group.add_argument("--remote-name", help="dial: display name of the called party")
    group.add_argument("--host-layout", help="layout: host layout (Virtual Auditorium)")
    group.add_argument("--guest-layout", help="layout: guest layout (Virtual Auditorium)")
    group.add_argument("--overlay-text", metavar="on|off", help="layout: name overlays")
    group.add_argument("--silent-after", type=float, help="silent-video: seconds (1-120)")
    group.add_argument("--reactivate-after", type=float, help="silent-video: seconds (1-5)")
    group.add_argument("--require-no-faces", metavar="on|off", help="silent-video option")
    group.add_argument("--fecc-timeout", type=int, metavar="MS", help="fecc: duration in ms")


def split_words(words: list[str]) -> tuple[str | None, str, list[str]]:
    """(link, action, values) from the positional words."""
    link = None
    if words and ("://" in words[0] or words[0].startswith("pexip:")):
        link, words = words[0], words[1:]
    if not words:
        raise ValueError("name an action, e.g. `pextui do ... mute --participant NAME`")
    return link, words[0], words[1:]


def run(args: argparse.Namespace) -> int:
    try:
        link, name, values = split_words(args.words)
        action = lookup_action(name)
        if action.participant and not args.participant:
            hint = " (use disconnect-all for everyone)" if action.name == "disconnect" else ""
            raise ValueError(f"{action.name} needs --participant NAME_OR_UUID{hint}")
        if args.wait is not None and not (0 < args.wait <= MAX_WAIT_S):
            raise ValueError(f"--wait takes 0 to {MAX_WAIT_S:g} seconds")
        if action.name == "transfer":
            target_of(values, args)  # --to ALIAS or the positional one, once
        low, high = action.values
        if not low <= len(values) <= high:
            usage = f" {action.usage}" if action.usage else ""
            raise ValueError(f"usage: pextui do {action.name}{usage}")
    except ValueError as exc:
        print(f"pextui: {exc}", file=sys.stderr)
        return EXIT_USAGE
    args.link = link

    async def body(session: Session) -> int:
        uuid = None
        if args.participant:
            try:
                uuid = find_participant(await session.participants(), args.participant).uuid
            except ParticipantLookupError as exc:
                print(f"pextui: {exc}", file=sys.stderr)
                return EXIT_USAGE
        result = await action.run(session, uuid, values, args)
        return result.code if isinstance(result, ExitStatus) else 0

    return run_with_session(args, body)
