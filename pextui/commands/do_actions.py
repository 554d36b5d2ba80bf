"""The actions of `pextui do`: how each one reads its values and calls the session, and how
--participant finds its participant (see `pextui.commands.do` for the command line)."""

from __future__ import annotations

import argparse
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from typing import Any

from pextui.commands.do_transfer import (
    TRANSFER_PIN_ENV,
    target_of,
    transfer_and_wait,
    transfer_pin,
)
from pextui.names import shown_name
from pextui.protocol.errors import PexipError
from pextui.protocol.models import Participant
from pextui.protocol.session import Session
from pextui.sanitize import json_text

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
    """The participant with this exact UUID, else the only one with this name: the display
    name as sent, or the name the console shows (cleaned, else the URI); exact case first."""

    def names(p: Participant) -> tuple[str, str]:
        return p.display_name, shown_name(p.display_name, p.uri, p.protocol)

    for participant in roster:
        if participant.uuid == query:
            return participant
    folded = query.casefold()
    for exact in (True, False):
        matches = [
            p
            for p in roster
            if any((name == query if exact else name.casefold() == folded) for name in names(p))
        ]
        if len(matches) == 1:
            return matches[0]
        if len(matches) > 1:
            listing = ", ".join(f"{p.uuid} ({names(p)[1]})" for p in matches[:10])
            raise ParticipantLookupError(
                f"{len(matches)} participants are named {query!r}: use a UUID: {listing}"
            )
    raise ParticipantLookupError(f"no participant has the UUID or name {query!r}")


def _switch(value: str) -> bool:
    lowered = value.lower()
    if lowered in ("on", "true", "yes", "1", "enable"):
        return True
    if lowered in ("off", "false", "no", "0", "disable"):
        return False
    raise ValueError(f"expected on or off, got {value!r}")


def _print_json(value: Any) -> None:
    print(json_text(value, indent=2))


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


@dataclass(frozen=True)
class ExitStatus:
    """A runner's own exit status (the default is 0 when it returns without raising)."""

    code: int


async def _transfer(
    s: Session, uuid: str | None, values: list[str], args: argparse.Namespace
) -> ExitStatus | None:
    assert uuid is not None
    target = target_of(values, args)
    role = (args.role or "guest").lower()
    if getattr(args, "wait", None) is not None:
        return ExitStatus(await transfer_and_wait(s, uuid, target, role, args.wait, args))
    await s.transfer(uuid, target, role, transfer_pin())
    return None


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
        f"move a participant to --to ALIAS (--role, --wait SECONDS; PIN: ${TRANSFER_PIN_ENV})",
        _transfer,
        participant=True,
        values=(0, 1),
        usage="--to ALIAS",
    ),
)

# Endpoint names (docs/protocol.md) and other spellings -> the action names above.
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
