"""Breakout rooms, live captions and personal mixes as typed async methods.

`BreakoutActions` (mixed into `HostActions`, so every `Session` has it) holds the
functions of the main conference: create rooms, move people, message or close them all,
leave a room, ask for help. `session.room(breakout_uuid)` gives a `RoomActions` for the
functions of one room (`breakouts/<uuid>/...`) and of the people in it (their UUIDs
inside the room). Failures are `ActionError`s; bad arguments `RequestValidationError`.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Awaitable, Callable, Iterable, Mapping
from typing import Any

from pydantic import ValidationError

from pextui.protocol import breakout_requests as brq
from pextui.protocol import requests as rq
from pextui.protocol.errors import ActionError, protect_secret
from pextui.protocol.models import ConferenceStatus, Participant

Caller = Callable[[str, str, str, Any], Awaitable[Any]]


def _status(action: str, result: Any) -> ConferenceStatus:
    try:
        return ConferenceStatus.model_validate(result)
    except ValidationError:
        raise ActionError(action, "the server sent an invalid status") from None


def _roster(action: str, result: Any) -> list[Participant]:
    if not isinstance(result, list):
        raise ActionError(action, "the server sent an invalid participant list")
    roster = []
    for item in result:
        try:
            roster.append(Participant.model_validate(item))
        except ValidationError:
            continue
    return roster


class _Functions:
    """Functions shared by the main room and a breakout room (`prefix` tells which)."""

    prefix = ""

    async def _send(self, action: str, method: str, path: str, body: Any = None) -> Any:
        raise NotImplementedError

    def _at(self, path: str) -> str:
        return self.prefix + path

    def _person(self, participant_uuid: str, endpoint: str) -> str:
        uuid = brq.validate_id("participant uuid", participant_uuid)
        return self._at(f"participants/{uuid}/{endpoint}")

    async def _do(self, action: str, path: str, body: Any = None) -> None:
        await self._send(action, "POST", path, body)

    async def show_live_captions(self, participant_uuid: str) -> None:
        """Start live captions for `participant_uuid` (normally our own participant)."""
        await self._do("show_live_captions", self._person(participant_uuid, "show_live_captions"))

    async def hide_live_captions(self, participant_uuid: str) -> None:
        await self._do("hide_live_captions", self._person(participant_uuid, "hide_live_captions"))

    async def take_floor(self, participant_uuid: str) -> None:
        """Start presenting (our own participant)."""
        await self._do("take_floor", self._person(participant_uuid, "take_floor"))

    async def release_floor(self, participant_uuid: str) -> None:
        await self._do("release_floor", self._person(participant_uuid, "release_floor"))

    async def create_video_mix(self, mix_name: str) -> None:
        """A personal layout mix, e.g. `main.!personal` as Pexip's SDK creates it."""
        name = brq.validate_id("mix name", mix_name)
        await self._do("video_mixes/create", self._at("video_mixes/create"), {"mix_name": name})

    async def configure_video_mix(self, mix_name: str, layout: str) -> None:
        name = brq.validate_id("mix name", mix_name)
        body = {"transform_layout": {"layout": rq.validate_layout(layout)}}
        await self._do("video_mixes/configure", self._at(f"video_mixes/{name}/configure"), body)

    async def delete_video_mix(self, mix_name: str) -> None:
        name = brq.validate_id("mix name", mix_name)
        await self._do("video_mixes/delete", self._at(f"video_mixes/{name}/delete"))

    async def move_to_room(self, participants: Iterable[str], target: str | None) -> None:
        """Move people (UUIDs where they are now) to room `target`, or back to main (None)."""
        await self._do(
            "participants/breakout",
            self._at("participants/breakout"),
            brq.move_body(target, participants),
        )


class BreakoutActions(_Functions, ABC):
    """The main conference's breakout functions (mixed into `HostActions`)."""

    @abstractmethod
    async def _call(self, action: str, method: str, path: str, body: Any = None) -> Any:
        """Send one token-bearing request; see `HostActions._call`."""

    async def _send(self, action: str, method: str, path: str, body: Any = None) -> Any:
        return await self._call(action, method, path, body)

    def room(self, breakout_uuid: str) -> RoomActions:
        """The functions of one breakout room and of the people in it."""
        return RoomActions(self._call, breakout_uuid)

    async def create_breakout(
        self,
        name: str,
        *,
        description: str | None = None,
        duration_s: float | None = None,
        end_action: str | None = None,
        participants: Mapping[str, Iterable[str]] | None = None,
        guests_allowed_to_leave: bool | None = None,
    ) -> str:
        """Open a room and move people in (`participants`: {"main" or room UUID: [UUIDs]});
        returns the new room's UUID."""
        body = brq.breakout_body(
            name,
            description=description,
            duration_s=duration_s,
            end_action=end_action,
            participants=participants,
            guests_allowed_to_leave=guests_allowed_to_leave,
        )
        result = await self._call("breakouts", "POST", "breakouts", body)
        uuid = result.get("breakout_uuid") if isinstance(result, dict) else None
        if not isinstance(uuid, str) or not uuid:
            raise ActionError("breakouts", "the server did not return the new room's id")
        return uuid

    async def theme(self) -> dict[str, Any]:
        """The conference's theme (`theme/`): splash screens by key; {} when it has none
        (204). Splash screen events name a key of it."""
        try:
            result = await self._call("theme/", "GET", "theme/")
        except ActionError as exc:
            if exc.status == 204:
                return {}
            raise
        return dict(result) if isinstance(result, dict) else {}

    async def message_all_rooms(self, payload: str, content_type: str = "text/plain") -> None:
        await self._do(
            "breakouts/message", "breakouts/message", rq.message_body(payload, content_type)
        )

    async def close_all_rooms(self) -> None:
        """Close every room; their people come back to the main room."""
        await self._do("breakouts/disconnect", "breakouts/disconnect")

    async def empty_all_rooms(self) -> None:
        """Bring everyone back to the main room; the rooms stay open."""
        await self._do("breakouts/empty", "breakouts/empty")

    async def leave_breakout(self) -> None:
        """Leave the room we are in, back to the main room."""
        await self._do("leavebreakout", "leavebreakout")

    async def breakout_buzz(self) -> None:
        """Ask the hosts for help in the room we are in."""
        await self._do("breakoutbuzz", "breakoutbuzz")

    async def clear_breakout_buzz(self) -> None:
        await self._do("clearbreakoutbuzz", "clearbreakoutbuzz")


class RoomActions(_Functions):
    """`breakouts/<breakout_uuid>/...`: one room, and the people in it by their room UUIDs."""

    def __init__(self, call: Caller, breakout_uuid: str) -> None:
        self._caller = call
        self.breakout_uuid = brq.validate_id("room", breakout_uuid)
        self.prefix = f"breakouts/{self.breakout_uuid}/"

    async def _send(self, action: str, method: str, path: str, body: Any = None) -> Any:
        return await self._caller(action, method, path, body)

    # -- the room

    async def status(self) -> ConferenceStatus:
        return _status(
            "conference_status",
            await self._send("conference_status", "GET", self._at("conference_status")),
        )

    async def participants(self) -> list[Participant]:
        return _roster(
            "participants", await self._send("participants", "GET", self._at("participants"))
        )

    async def close(self) -> None:
        """Close the room; its people come back to the main room."""
        await self._do("disconnect", self._at("disconnect"))

    async def lock(self) -> None:
        await self._do("lock", self._at("lock"))

    async def unlock(self) -> None:
        await self._do("unlock", self._at("unlock"))

    async def mute_guests(self) -> None:
        await self._do("muteguests", self._at("muteguests"))

    async def unmute_guests(self) -> None:
        await self._do("unmuteguests", self._at("unmuteguests"))

    async def send_message(self, payload: str, content_type: str = "text/plain") -> None:
        await self._do("message", self._at("message"), rq.message_body(payload, content_type))

    async def transform_layout(self, layout: str) -> None:
        body = rq.transform_layout_body(layout)
        await self._do("transform_layout", self._at("transform_layout"), body)

    async def breakout_buzz(self) -> None:
        await self._do("breakoutbuzz", self._at("breakoutbuzz"))

    async def clear_breakout_buzz(self) -> None:
        """Mark the room's request for help as handled."""
        await self._do("clearbreakoutbuzz", self._at("clearbreakoutbuzz"))

    async def clear_all_buzz(self) -> None:
        await self._do("clearallbuzz", self._at("clearallbuzz"))

    async def request_guest_token(self) -> str:
        """A one-time token that joins this room directly (request_token body `token`)."""
        result = await self._send("request_guest_token", "POST", self._at("request_guest_token"))
        if not isinstance(result, str) or not result:
            raise ActionError("request_guest_token", "the server did not return a token")
        protect_secret(result)
        return result

    # -- the people in it (their UUIDs inside the room)

    async def mute(self, participant_uuid: str) -> None:
        await self._do("mute", self._person(participant_uuid, "mute"))

    async def unmute(self, participant_uuid: str) -> None:
        await self._do("unmute", self._person(participant_uuid, "unmute"))

    async def client_mute(self, participant_uuid: str) -> None:
        await self._do("client_mute", self._person(participant_uuid, "client_mute"))

    async def client_unmute(self, participant_uuid: str) -> None:
        await self._do("client_unmute", self._person(participant_uuid, "client_unmute"))

    async def mute_video(self, participant_uuid: str) -> None:
        await self._do("video_muted", self._person(participant_uuid, "video_muted"))

    async def unmute_video(self, participant_uuid: str) -> None:
        await self._do("video_unmuted", self._person(participant_uuid, "video_unmuted"))

    async def set_overlay_text(self, participant_uuid: str, text: str) -> None:
        body = rq.overlay_text_body(text)
        await self._do("overlaytext", self._person(participant_uuid, "overlaytext"), body)

    async def admit(self, participant_uuid: str) -> None:
        await self._do("unlock", self._person(participant_uuid, "unlock"))

    async def disconnect_participant(self, participant_uuid: str) -> None:
        await self._do("disconnect", self._person(participant_uuid, "disconnect"))

    async def buzz(self, participant_uuid: str) -> None:
        await self._do("buzz", self._person(participant_uuid, "buzz"))

    async def clear_buzz(self, participant_uuid: str) -> None:
        await self._do("clearbuzz", self._person(participant_uuid, "clearbuzz"))

    async def spotlight_on(self, participant_uuid: str) -> None:
        await self._do("spotlighton", self._person(participant_uuid, "spotlighton"))

    async def spotlight_off(self, participant_uuid: str) -> None:
        await self._do("spotlightoff", self._person(participant_uuid, "spotlightoff"))

    async def send_dtmf(self, participant_uuid: str, digits: str) -> None:
        await self._do("dtmf", self._person(participant_uuid, "dtmf"), rq.dtmf_body(digits))

    async def transfer(
        self, participant_uuid: str, alias: str, role: str = "guest", pin: str | None = None
    ) -> None:
        protect_secret(pin)
        body = rq.transfer_body(alias, role, pin)
        await self._do("transfer", self._person(participant_uuid, "transfer"), body)

    async def fecc(
        self,
        participant_uuid: str,
        action: str,
        movement: Iterable[tuple[str, str]],
        timeout_ms: int | None = None,
    ) -> None:
        body = rq.fecc_body(action, movement, target=participant_uuid, timeout_ms=timeout_ms)
        await self._do("fecc", self._person(participant_uuid, "fecc"), body)
