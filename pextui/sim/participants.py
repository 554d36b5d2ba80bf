"""Participant objects with the full field set, each serialized once (docs/protocol.md)."""

from __future__ import annotations

import json
import uuid as uuid_module
from dataclasses import dataclass, field
from typing import Any, Literal

Protocol = Literal["api", "webrtc", "sip", "rtmp", "h323", "mssip", ""]
PROTOCOLS: tuple[str, ...] = ("api", "webrtc", "sip", "rtmp", "h323", "mssip")

VENDORS: dict[str, str] = {
    "api": "pextui/0.1",
    "webrtc": "Mozilla/5.0 (X11; Linux x86_64) Chrome/126.0 Safari/537.36",
    "sip": "Cisco Room Kit CE9.15",
    "h323": "Polycom HDX 8000 HD 3.1.14",
    "rtmp": "Wirecast/15.0",
    "mssip": "Microsoft Skype for Business 16.0",
}


def dumps(value: object) -> bytes:
    """Compact JSON as bytes (one serialization, shared by every stream)."""
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False).encode()


def new_uuid() -> str:
    return str(uuid_module.uuid4())


@dataclass(eq=False)
class Participant:
    """One participant of a conference. `data` is the wire object; `token` marks API clients."""

    data: dict[str, Any]
    token_holder: bool = False  # joined through request_token (has a token and streams)
    _json: bytes | None = field(default=None, repr=False)

    @property
    def uuid(self) -> str:
        return str(self.data["uuid"])

    @property
    def role(self) -> str:
        return str(self.data["role"])

    @property
    def is_host(self) -> bool:
        return bool(self.data["role"] == "chair")

    @property
    def display_name(self) -> str:
        return str(self.data["display_name"])

    @property
    def service_type(self) -> str:
        return str(self.data["service_type"])

    def update(self, **changes: Any) -> bool:
        """Apply changes; True when something actually changed."""
        changed = False
        for key, value in changes.items():
            if self.data.get(key) != value or type(self.data.get(key)) is not type(value):
                self.data[key] = value
                changed = True
        if changed:
            self._json = None
        return changed

    def json(self) -> bytes:
        if self._json is None:
            self._json = dumps(self.data)
        return self._json


def make_participant(
    *,
    display_name: str,
    role: str,
    protocol: str,
    service_type: str,
    local_alias: str,
    start_time: float,
    call_direction: str = "in",
    uuid: str | None = None,
    call_tag: str = "",
    uri: str | None = None,
    is_muted: bool = False,
    has_media: bool | None = None,
    audio_only: bool = False,
    streaming: bool = False,
    token_holder: bool = False,
    supports_direct_chat: bool = False,
) -> Participant:
    """A participant with every field (42, wire types exact; docs/protocol.md)."""
    pid = uuid or new_uuid()
    media = protocol != "api" if has_media is None else has_media
    yn = {True: "YES", False: "NO"}
    if uri is None:
        uri = "" if protocol == "api" else _default_uri(display_name, protocol)
    data: dict[str, Any] = {
        "uuid": pid,
        "display_name": display_name,
        "role": role,
        "is_muted": yn[is_muted],
        "is_client_muted": False,
        "is_video_muted": False,
        "is_video_silent": False,
        "is_main_video_dropped_out": False,
        "is_presenting": "NO",
        "presentation_supported": yn[media and not audio_only],
        "rx_presentation_policy": "ALLOW",
        "needs_presentation_in_mix": False,
        "buzz_time": 0,
        "spotlight": 0,
        "start_time": int(start_time),
        "last_spoken_time": 0,
        "call_direction": call_direction,
        "protocol": protocol,
        "is_audio_only_call": yn[audio_only],
        "is_video_call": yn[media and not audio_only],
        "has_media": media,
        "encryption": "On" if protocol in ("api", "webrtc", "mssip") else "Off",
        "mute_supported": "YES",
        "disconnect_supported": "YES",
        "transfer_supported": yn[protocol != "rtmp"],
        "fecc_supported": yn[protocol in ("sip", "h323")],
        "is_streaming_conference": streaming,
        "is_external": False,
        "external_node_uuid": "",
        "is_conjoined": False,
        "is_transferring": False,
        "is_idp_authenticated": False,
        "supports_direct_chat": supports_direct_chat,
        "local_alias": local_alias,
        "overlay_text": display_name,
        "service_type": service_type,
        "uri": uri,
        "vendor": VENDORS.get(protocol, ""),
        "call_tag": call_tag,
        "api_url": f"/api/client/v2/conferences/{local_alias}/participants/{pid}",
        "can_receive_personal_mix": protocol in ("api", "webrtc"),
        "receive_from_video_mix": {"mix_name": "main", "timestamp": 0},
    }
    return Participant(data=data, token_holder=token_holder)


def _default_uri(display_name: str, protocol: str) -> str:
    user = "".join(c for c in display_name.lower() if c.isalnum() or c == ".") or "endpoint"
    if protocol in ("sip", "mssip"):
        return f"sip:{user}@example.com"
    if protocol == "h323":
        return f"h323:{user}@example.com"
    if protocol == "rtmp":
        return f"rtmp://stream.example.com/live/{user}"
    return f"{user}@example.com"
