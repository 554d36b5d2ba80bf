"""Dial out from the conference (the conference-level ``dial`` request).

``DialDialog(role="GUEST")`` dismisses with a :class:`DialRequest` or ``None`` when
cancelled. Defaults: protocol ``auto``, role GUEST, call type ``video``. An ``rtmp``
destination must be an ``rtmp://`` or ``rtmps://`` URL (and such a URL needs protocol
``rtmp`` or ``auto``); the optional presentation URL is for RTMP streams.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, ClassVar, Literal, TypeVar

from textual.widget import Widget
from textual.widgets import Checkbox, Input, Select

from pextui.protocol.requests import MAX_ALIAS_LENGTH as MAX_ALIAS_CHARS
from pextui.protocol.requests import check_alias, check_dtmf
from pextui.sanitize import has_control_chars
from pextui.tui.forms import (
    FormDialog,
    FormError,
    field_errors,
    field_row,
    input_value,
)
from pextui.tui.widgets.choice import ChoiceSet, host_chosen, host_or_guest

DialProtocol = Literal["auto", "sip", "h323", "rtmp", "mssip"]
DialRole = Literal["HOST", "GUEST"]
CallType = Literal["video", "video-only", "audio"]

PROTOCOLS: tuple[tuple[str, DialProtocol], ...] = (
    ("auto (let the node decide)", "auto"),
    ("SIP", "sip"),
    ("H.323", "h323"),
    ("RTMP stream", "rtmp"),
    ("Microsoft (MS-SIP)", "mssip"),
)
CALL_TYPES: tuple[tuple[str, CallType], ...] = (
    ("video (audio + video)", "video"),
    ("video only", "video-only"),
    ("audio only", "audio"),
)
MAX_NAME_CHARS = 100
ChoiceT = TypeVar("ChoiceT", bound=str)


def _chosen(
    select: Select[Any], options: tuple[tuple[str, ChoiceT], ...], default: ChoiceT
) -> ChoiceT:
    """The option of ``options`` chosen in ``select`` (``default`` if none)."""
    value = select.selection
    return next((choice for _, choice in options if choice == value), default)


def is_rtmp_url(value: str) -> bool:
    """True for ``rtmp://...`` and ``rtmps://...`` (case-insensitive) with something after."""
    lowered = value.lower()
    return any(lowered.startswith(p) and len(value) > len(p) for p in ("rtmp://", "rtmps://"))


@dataclass(frozen=True)
class DialRequest:
    """Who to call and how; optional fields are ``None`` when not given."""

    destination: str
    protocol: DialProtocol = "auto"
    role: DialRole = "GUEST"
    call_type: CallType = "video"
    presentation_url: str | None = None
    dtmf_sequence: str | None = None
    source_display_name: str | None = None
    streaming: bool = False

    def to_body(self) -> dict[str, str]:
        """The JSON body of the ``dial`` request (only the fields that are set)."""
        body = {
            "destination": self.destination,
            "protocol": self.protocol,
            "role": self.role,
            "call_type": self.call_type,
        }
        optional = {
            "presentation_url": self.presentation_url,
            "dtmf_sequence": self.dtmf_sequence,
            "source_display_name": self.source_display_name,
        }
        body.update({key: value for key, value in optional.items() if value is not None})
        if self.streaming:
            body["streaming"] = "yes"
        return body


class DialDialog(FormDialog[DialRequest]):
    """Ask for a destination, protocol, role and call type (and the optional extras)."""

    SUBMIT_LABEL = "Dial"
    TITLE_TEXT: ClassVar[str] = "Dial out"

    def __init__(self, *, role: DialRole = "GUEST", destination: str = "") -> None:
        super().__init__()
        self.initial_role: DialRole = role
        self.initial_destination = destination

    def compose_fields(self) -> Iterable[Widget]:
        destination = field_row(
            "Destination",
            Input(
                self.initial_destination,
                placeholder="alice@example.com, rtmp://...",
                id="destination",
                max_length=MAX_ALIAS_CHARS,
                compact=True,
            ),
        )
        destination.id = "destination-row"
        yield destination
        yield field_row(
            "Protocol",
            Select(PROTOCOLS, value="auto", allow_blank=False, id="protocol", compact=True),
        )
        yield field_row(
            "Role",
            host_or_guest(self.initial_role == "HOST"),
        )
        yield field_row(
            "Call type",
            Select(CALL_TYPES, value="video", allow_blank=False, id="call-type", compact=True),
        )
        yield field_row(
            "Shown as",
            Input(
                placeholder="caller name (optional)",
                id="source-name",
                max_length=MAX_NAME_CHARS,
                compact=True,
            ),
        )
        yield field_row(
            "DTMF after answer",
            Input(placeholder="e.g. 1234# (optional)", id="dtmf", compact=True),
        )
        yield field_row(
            "Presentation URL",
            Input(placeholder="rtmp://... (RTMP only, optional)", id="presentation", compact=True),
        )
        yield field_row("Streaming", Checkbox("streaming participant", id="streaming"))

    def build_result(self) -> DialRequest:
        with field_errors("destination"):
            destination = check_alias(
                input_value(self, "destination"), "Destination", in_path=False
            )
        protocol: DialProtocol = _chosen(self.query_one("#protocol", Select), PROTOCOLS, "auto")
        if protocol == "rtmp" and not is_rtmp_url(destination):
            raise FormError("An RTMP destination is an rtmp:// or rtmps:// URL.", "destination")
        if is_rtmp_url(destination) and protocol not in ("rtmp", "auto"):
            raise FormError("An rtmp:// destination needs protocol RTMP (or auto).", "protocol")
        call_type: CallType = _chosen(self.query_one("#call-type", Select), CALL_TYPES, "video")
        name = input_value(self, "source-name") or None
        if name is not None and has_control_chars(name):
            raise FormError("The name must not contain control characters.", "source-name")
        dtmf_text = input_value(self, "dtmf")
        with field_errors("dtmf"):
            dtmf = check_dtmf(dtmf_text, allow_pauses=True) if dtmf_text else None
        presentation = input_value(self, "presentation") or None
        if presentation is not None and not is_rtmp_url(presentation):
            raise FormError("The presentation URL is an rtmp:// or rtmps:// URL.", "presentation")
        return DialRequest(
            destination=destination,
            protocol=protocol,
            role="HOST" if host_chosen(self.query_one("#role", ChoiceSet)) else "GUEST",
            call_type=call_type,
            presentation_url=presentation,
            dtmf_sequence=dtmf,
            source_display_name=name,
            streaming=self.query_one("#streaming", Checkbox).value,
        )
