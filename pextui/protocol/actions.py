"""Every host function of the client API as a typed async method.

`HostActions` builds and validates the request (pextui.protocol.requests) and hands it to
`_call`, which the session implements with its current token and alias. Every failure is an
`ActionError` carrying the server's reason; invalid arguments raise
`RequestValidationError` (a ValueError) before anything is sent.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Iterable
from typing import Any

from pydantic import ValidationError

from pextui.protocol import requests as rq
from pextui.protocol.breakouts import BreakoutActions
from pextui.protocol.errors import ActionError, protect_secret
from pextui.protocol.models import ConferenceStatus, Participant


class HostActions(BreakoutActions, ABC):
    """Conference and participant functions (docs/protocol.md, "Host functions"; and, from
    `BreakoutActions`, the breakout, caption and personal-mix functions)."""

    @abstractmethod
    async def _call(self, action: str, method: str, path: str, body: Any = None) -> Any:
        """Send one token-bearing request for `action`; return `result` or raise ActionError."""

    def _participant(self, participant_uuid: str, endpoint: str) -> str:
        if not participant_uuid or "/" in participant_uuid:
            raise rq.RequestValidationError("participant uuid must be a non-empty id")
        return f"participants/{participant_uuid}/{endpoint}"

    async def _post(self, action: str, path: str, body: Any = None) -> None:
        await self._call(action, "POST", path, body)

    # -- conference functions -------------------------------------------------------------

    async def conference_status(self) -> ConferenceStatus:
        result = await self._call("conference_status", "GET", "conference_status")
        try:
            return ConferenceStatus.model_validate(result)
        except ValidationError:
            raise ActionError("conference_status", "the server sent an invalid status") from None

    async def participants(self) -> list[Participant]:
        """The full participant list (GET participants); malformed entries are skipped."""
        result = await self._call("participants", "GET", "participants")
        if not isinstance(result, list):
            raise ActionError("participants", "the server sent an invalid participant list")
        roster = []
        for item in result:
            try:
                roster.append(Participant.model_validate(item))
            except ValidationError:
                continue
        return roster

    async def available_layouts(self) -> list[str]:
        """Layout names the node offers (plain names or annotated {name, tags})."""
        result = await self._call("available_layouts", "GET", "available_layouts")
        if not isinstance(result, list):
            raise ActionError("available_layouts", "the server sent an invalid layout list")
        names = []
        for item in result:
            if isinstance(item, str):
                names.append(item)
            elif isinstance(item, dict) and isinstance(item.get("name"), str):
                names.append(item["name"])
        return names

    async def lock(self) -> None:
        await self._post("lock", "lock")

    async def unlock(self) -> None:
        await self._post("unlock", "unlock")

    async def start_conference(self) -> None:
        await self._post("start_conference", "start_conference")

    async def mute_guests(self) -> None:
        await self._post("muteguests", "muteguests")

    async def unmute_guests(self) -> None:
        await self._post("unmuteguests", "unmuteguests")

    async def set_guests_can_unmute(self, setting: bool) -> None:
        await self._post(
            "set_guests_can_unmute", "set_guests_can_unmute", rq.guests_can_unmute_body(setting)
        )

    async def disconnect_all(self) -> None:
        """Disconnect every participant, this session included."""
        await self._post("disconnect", "disconnect")

    async def send_message(self, payload: str, content_type: str = "text/plain") -> None:
        await self._post("message", "message", rq.message_body(payload, content_type))

    async def transform_layout(
        self,
        layout: str | None = None,
        *,
        host_layout: str | None = None,
        guest_layout: str | None = None,
        streaming_layout: str | None = None,
        enable_overlay_text: bool | None = None,
        enable_extended_ac: bool | None = None,
        enable_active_speaker_indication: bool | None = None,
        streaming_indicator: bool | None = None,
        recording_indicator: bool | None = None,
        free_form_overlay_text: list[str] | None = None,
        available: Iterable[str] | None = None,
    ) -> None:
        """Change layouts and indicators; names are checked against `available` (the node's
        available_layouts) or the known set before sending."""
        body = rq.transform_layout_body(
            layout,
            host_layout=host_layout,
            guest_layout=guest_layout,
            streaming_layout=streaming_layout,
            enable_overlay_text=enable_overlay_text,
            enable_extended_ac=enable_extended_ac,
            enable_active_speaker_indication=enable_active_speaker_indication,
            streaming_indicator=streaming_indicator,
            recording_indicator=recording_indicator,
            free_form_overlay_text=free_form_overlay_text,
            available=list(available) if available is not None else None,
        )
        await self._post("transform_layout", "transform_layout", body)

    async def clear_all_buzz(self) -> None:
        """Lower every raised hand."""
        await self._post("clearallbuzz", "clearallbuzz")

    async def silent_video_detection(
        self,
        enable: bool | None = None,
        silent_after: float | None = None,
        require_no_faces: bool | None = None,
        reactivate_after: float | None = None,
    ) -> None:
        body = rq.silent_video_detection_body(
            enable, silent_after, require_no_faces, reactivate_after
        )
        await self._post("silent_video_detection", "silent_video_detection", body)

    async def dial(
        self,
        destination: str,
        *,
        role: str = "GUEST",
        protocol: str = "auto",
        call_type: str | None = None,
        source_display_name: str | None = None,
        remote_display_name: str | None = None,
        text: str | None = None,
        dtmf_sequence: str | None = None,
        presentation_url: str | None = None,
        streaming: bool | None = None,
        keep_conference_alive: str | None = None,
    ) -> list[str]:
        """Dial out (role HOST|GUEST, protocol sip|h323|rtmp|mssip|auto, call type
        video|video-only|audio); returns the UUIDs of the new participants."""
        body = rq.dial_body(
            destination,
            role=role,
            protocol=protocol,
            call_type=call_type,
            source_display_name=source_display_name,
            remote_display_name=remote_display_name,
            text=text,
            dtmf_sequence=dtmf_sequence,
            presentation_url=presentation_url,
            streaming=streaming,
            keep_conference_alive=keep_conference_alive,
        )
        result = await self._call("dial", "POST", "dial", body)
        if not isinstance(result, list) or not all(isinstance(u, str) for u in result):
            raise ActionError("dial", "the server did not return the new participant ids")
        return list(result)

    # -- participant functions ------------------------------------------------------------

    async def disconnect_participant(self, participant_uuid: str) -> None:
        await self._post("disconnect", self._participant(participant_uuid, "disconnect"))

    async def mute(self, participant_uuid: str) -> None:
        await self._post("mute", self._participant(participant_uuid, "mute"))

    async def unmute(self, participant_uuid: str) -> None:
        await self._post("unmute", self._participant(participant_uuid, "unmute"))

    async def mute_video(self, participant_uuid: str) -> None:
        await self._post("video_muted", self._participant(participant_uuid, "video_muted"))

    async def unmute_video(self, participant_uuid: str) -> None:
        await self._post("video_unmuted", self._participant(participant_uuid, "video_unmuted"))

    async def allow_rx_presentation(self, participant_uuid: str) -> None:
        await self._post(
            "allowrxpresentation", self._participant(participant_uuid, "allowrxpresentation")
        )

    async def deny_rx_presentation(self, participant_uuid: str) -> None:
        await self._post(
            "denyrxpresentation", self._participant(participant_uuid, "denyrxpresentation")
        )

    async def spotlight_on(self, participant_uuid: str) -> None:
        await self._post("spotlighton", self._participant(participant_uuid, "spotlighton"))

    async def spotlight_off(self, participant_uuid: str) -> None:
        await self._post("spotlightoff", self._participant(participant_uuid, "spotlightoff"))

    async def admit(self, participant_uuid: str) -> None:
        """Let a participant in from the waiting room (participant `unlock`)."""
        await self._post("unlock", self._participant(participant_uuid, "unlock"))

    async def send_dtmf(self, participant_uuid: str, digits: str) -> None:
        await self._post("dtmf", self._participant(participant_uuid, "dtmf"), rq.dtmf_body(digits))

    async def set_overlay_text(self, participant_uuid: str, text: str) -> None:
        await self._post(
            "overlaytext",
            self._participant(participant_uuid, "overlaytext"),
            rq.overlay_text_body(text),
        )

    async def set_pres_in_mix(self, participant_uuid: str, state: bool) -> None:
        await self._post(
            "pres_in_mix",
            self._participant(participant_uuid, "pres_in_mix"),
            rq.pres_in_mix_body(state),
        )

    async def set_role(self, participant_uuid: str, role: str) -> None:
        """Make a participant host (`chair`, also `host`) or `guest`."""
        await self._post("role", self._participant(participant_uuid, "role"), rq.role_body(role))

    async def fecc(
        self,
        participant_uuid: str,
        action: str,
        movement: Iterable[tuple[str, str]],
        timeout_ms: int | None = None,
    ) -> None:
        """Far-end camera control, e.g. fecc(uuid, "start", [("pan", "left")], 1000)."""
        body = rq.fecc_body(action, movement, target=participant_uuid, timeout_ms=timeout_ms)
        await self._post("fecc", self._participant(participant_uuid, "fecc"), body)

    async def buzz(self, participant_uuid: str) -> None:
        """Raise the participant's hand."""
        await self._post("buzz", self._participant(participant_uuid, "buzz"))

    async def clear_buzz(self, participant_uuid: str) -> None:
        """Lower the participant's hand."""
        await self._post("clearbuzz", self._participant(participant_uuid, "clearbuzz"))

    async def transfer(
        self, participant_uuid: str, alias: str, role: str = "guest", pin: str | None = None
    ) -> None:
        """Move a participant to another conference as `host` or `guest` (PIN if needed)."""
        protect_secret(pin)
        body = rq.transfer_body(alias, role, pin)
        await self._post("transfer", self._participant(participant_uuid, "transfer"), body)

    async def send_private_message(
        self, participant_uuid: str, payload: str, content_type: str = "text/plain"
    ) -> None:
        await self._post(
            "message",
            self._participant(participant_uuid, "message"),
            rq.message_body(payload, content_type),
        )
