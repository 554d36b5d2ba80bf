"""`pextui do ACTION [--participant NAME_OR_UUID] [VALUES]`: one host action, then leave.

    PEXTUI_PIN=1234 pextui do --node https://node --alias meet.demo mute --participant Alice
    pextui do "https://node/webapp/conference/meet.demo" layout 4:0
    pextui do ... participants | jq '.[].display_name'

Exits 0 on success, non-zero with the server's reason on stderr otherwise. Queries
(status, participants, layouts, dial) print JSON on stdout. The token is released on exit.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from typing import Any

from pextui.commands.connection import EXIT_USAGE, add_connection_options, run_with_session
from pextui.protocol.errors import PexipError
from pextui.protocol.models import Participant
from pextui.protocol.session import Session

TRANSFER_PIN_ENV = "PEXTUI_TRANSFER_PIN"

Runner = Callable[[Session, str | None, list[str], argparse.Namespace], Awaitable[Any]]


@dataclass(frozen=True)
class Action:
    name: str
    summary: str
    run: Runner
    participant: bool = False  # needs --participant
    values: tuple[int, int] = (0, 0)  # min, max positional values
    usage: str = ""


class ParticipantLookupError(ValueError):
    """--participant matches nobody, or more than one participant."""


def find_participant(roster: Sequence[Participant], query: str) -> Participant:
    """The participant with this exact UUID, else the only one with this display name."""
    for participant in roster:
        if participant.uuid == query:
            return participant
    for exact in (True, False):
        matches = [
            p
            for p in roster
            if (p.display_name == query if exact else p.display_name.casefold() == query.casefold())
        ]
        if len(matches) == 1:
            return matches[0]
        if len(matches) > 1:
            listing = ", ".join(f"{p.uuid} ({p.display_name})" for p in matches[:10])
            raise ParticipantLookupError(
                f"{len(matches)} participants are named {query!r}: use a UUID: {listing}"
            )
    raise ParticipantLookupError(f"no participant has the UUID or display name {query!r}")


def _switch(value: str) -> bool:
    lowered = value.lower()
    if lowered in ("on", "true", "yes", "1", "enable"):
        return True
    if lowered in ("off", "false", "no", "0", "disable"):
        return False
    raise ValueError(f"expected on or off, got {value!r}")


def _print_json(value: Any) -> None:
    print(json.dumps(value, ensure_ascii=False, indent=2))


async def _status(s: Session, _: str | None, __: list[str], ___: argparse.Namespace) -> None:
    _print_json((await s.conference_status()).model_dump(mode="json"))


async def _participants(s: Session, _: str | None, __: list[str], ___: argparse.Namespace) -> None:
    _print_json([p.model_dump(mode="json") for p in await s.participants()])


async def _layouts(s: Session, _: str | None, __: list[str], ___: argparse.Namespace) -> None:
    _print_json(await s.available_layouts())


async def _layout(s: Session, _: str | None, values: list[str], args: argparse.Namespace) -> None:
    try:
        available: list[str] | None = await s.available_layouts()
    except PexipError:
        available = None  # older nodes: check against the known set
    options: dict[str, Any] = {}
    if args.host_layout:
        options["host_layout"] = args.host_layout
    if args.guest_layout:
        options["guest_layout"] = args.guest_layout
    if args.overlay_text is not None:
        options["enable_overlay_text"] = _switch(args.overlay_text)
    await s.transform_layout(values[0] if values else None, available=available, **options)


async def _silent_video(
    s: Session, _: str | None, values: list[str], args: argparse.Namespace
) -> None:
    await s.silent_video_detection(
        enable=_switch(values[0]),
        silent_after=args.silent_after,
        require_no_faces=None if args.require_no_faces is None else _switch(args.require_no_faces),
        reactivate_after=args.reactivate_after,
    )


async def _dial(s: Session, _: str | None, values: list[str], args: argparse.Namespace) -> None:
    options: dict[str, Any] = {"protocol": args.protocol, "role": (args.role or "GUEST").upper()}
    if args.call_type:
        options["call_type"] = args.call_type
    if args.remote_name:
        options["remote_display_name"] = args.remote_name
    _print_json(await s.dial(values[0], **options))


async def _message(s: Session, uuid: str | None, values: list[str], _: argparse.Namespace) -> None:
    if uuid is None:
        await s.send_message(values[0])
    else:
        await s.send_private_message(uuid, values[0])


async def _unlock(s: Session, uuid: str | None, _: list[str], __: argparse.Namespace) -> None:
    if uuid is None:
        await s.unlock()
    else:
        await s.admit(uuid)


async def _transfer(
    s: Session, uuid: str | None, values: list[str], args: argparse.Namespace
) -> None:
    assert uuid is not None
    pin = os.environ.get(TRANSFER_PIN_ENV) or None
    await s.transfer(uuid, values[0], (args.role or "guest").lower(), pin)


async def _fecc(s: Session, uuid: str | None, values: list[str], args: argparse.Namespace) -> None:
    assert uuid is not None
    moves = []
    for move in values[1:]:
        axis, _, direction = move.partition(":")
        moves.append((axis, direction))
    await s.fecc(uuid, values[0], moves, args.fecc_timeout)


def _conference(method: str) -> Runner:
    async def runner(s: Session, _: str | None, __: list[str], ___: argparse.Namespace) -> None:
        await getattr(s, method)()

    return runner


def _participant(method: str, convert: Callable[[str], Any] | None = None) -> Runner:
    async def runner(
        s: Session, uuid: str | None, values: list[str], _: argparse.Namespace
    ) -> None:
        arguments = [convert(v) if convert else v for v in values]
        await getattr(s, method)(uuid, *arguments)

    return runner


async def _guests_can_unmute(
    s: Session, _: str | None, values: list[str], __: argparse.Namespace
) -> None:
    await s.set_guests_can_unmute(_switch(values[0]))


ACTIONS: tuple[Action, ...] = (
    Action("status", "print the conference status (JSON)", _status),
    Action("participants", "print the participant list (JSON)", _participants),
    Action("layouts", "print the available layouts (JSON)", _layouts),
    Action("lock", "lock the conference", _conference("lock")),
    Action("unlock", "unlock the conference (with --participant: admit)", _unlock),
    Action(
        "start", "start the conference (let waiting guests in)", _conference("start_conference")
    ),
    Action("mute-guests", "mute all guests", _conference("mute_guests")),
    Action("unmute-guests", "unmute all guests", _conference("unmute_guests")),
    Action(
        "guests-can-unmute",
        "let guests unmute themselves",
        _guests_can_unmute,
        values=(1, 1),
        usage="on|off",
    ),
    Action(
        "disconnect-all",
        "disconnect everyone, this session included",
        _conference("disconnect_all"),
    ),
    Action(
        "message",
        "send a chat message (with --participant: privately)",
        _message,
        values=(1, 1),
        usage="TEXT",
    ),
    Action(
        "layout",
        "change the layout (--host-layout, --guest-layout, --overlay-text)",
        _layout,
        values=(0, 1),
        usage="[NAME]",
    ),
    Action("clear-hands", "lower every raised hand", _conference("clear_all_buzz")),
    Action(
        "silent-video",
        "silent video detection (--silent-after, --reactivate-after)",
        _silent_video,
        values=(1, 1),
        usage="on|off",
    ),
    Action(
        "dial",
        "dial out (--protocol, --role, --call-type, --remote-name); prints new UUIDs",
        _dial,
        values=(1, 1),
        usage="DESTINATION",
    ),
    Action(
        "disconnect",
        "disconnect a participant",
        _participant("disconnect_participant"),
        participant=True,
    ),
    Action("mute", "mute a participant's audio", _participant("mute"), participant=True),
    Action("unmute", "unmute a participant's audio", _participant("unmute"), participant=True),
    Action(
        "video-mute", "mute a participant's video", _participant("mute_video"), participant=True
    ),
    Action(
        "video-unmute",
        "unmute a participant's video",
        _participant("unmute_video"),
        participant=True,
    ),
    Action(
        "allow-presentation",
        "let a participant receive the presentation",
        _participant("allow_rx_presentation"),
        participant=True,
    ),
    Action(
        "deny-presentation",
        "stop a participant receiving the presentation",
        _participant("deny_rx_presentation"),
        participant=True,
    ),
    Action(
        "spotlight-on", "spotlight a participant", _participant("spotlight_on"), participant=True
    ),
    Action(
        "spotlight-off",
        "remove a participant's spotlight",
        _participant("spotlight_off"),
        participant=True,
    ),
    Action(
        "admit",
        "let a participant in from the waiting room",
        _participant("admit"),
        participant=True,
    ),
    Action(
        "dtmf",
        "send DTMF digits (0-9 * # A-D)",
        _participant("send_dtmf"),
        participant=True,
        values=(1, 1),
        usage="DIGITS",
    ),
    Action(
        "overlay-text",
        "set a participant's name overlay",
        _participant("set_overlay_text"),
        participant=True,
        values=(1, 1),
        usage="TEXT",
    ),
    Action(
        "pres-in-mix",
        "show the presentation in the participant's mix",
        _participant("set_pres_in_mix", _switch),
        participant=True,
        values=(1, 1),
        usage="on|off",
    ),
    Action(
        "role",
        "make a participant host or guest",
        _participant("set_role"),
        participant=True,
        values=(1, 1),
        usage="host|guest",
    ),
    Action(
        "fecc",
        "far-end camera control, e.g. `fecc start pan:left zoom:in`",
        _fecc,
        participant=True,
        values=(2, 4),
        usage="start|stop|continue AXIS:DIRECTION...",
    ),
    Action("raise-hand", "raise a participant's hand", _participant("buzz"), participant=True),
    Action(
        "lower-hand", "lower a participant's hand", _participant("clear_buzz"), participant=True
    ),
    Action(
        "transfer",
        f"move a participant to another conference (--role; PIN from ${TRANSFER_PIN_ENV})",
        _transfer,
        participant=True,
        values=(1, 1),
        usage="ALIAS",
    ),
)

# Endpoint names (docs/protocol.md, "Host functions") and other spellings -> the action names above.
ALIASES: dict[str, str] = {
    "conference_status": "status",
    "available_layouts": "layouts",
    "start_conference": "start",
    "muteguests": "mute-guests",
    "unmuteguests": "unmute-guests",
    "set_guests_can_unmute": "guests-can-unmute",
    "transform_layout": "layout",
    "clearallbuzz": "clear-hands",
    "silent_video_detection": "silent-video",
    "video_muted": "video-mute",
    "video_unmuted": "video-unmute",
    "allowrxpresentation": "allow-presentation",
    "denyrxpresentation": "deny-presentation",
    "spotlighton": "spotlight-on",
    "spotlightoff": "spotlight-off",
    "overlaytext": "overlay-text",
    "pres_in_mix": "pres-in-mix",
    "buzz": "raise-hand",
    "clearbuzz": "lower-hand",
}
_BY_NAME = {action.name: action for action in ACTIONS}


def lookup_action(name: str) -> Action:
    key = name.strip().lower()
    key = ALIASES.get(key, key)
    key = ALIASES.get(key.replace("-", "_"), key.replace("_", "-"))
    action = _BY_NAME.get(key)
    if action is None:
        raise ValueError(f"unknown action {name!r}; one of: {', '.join(_BY_NAME)}")
    return action


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
        await action.run(session, uuid, values, args)
        return 0

    return run_with_session(args, body)
