"""The participant object (docs/protocol.md, "The participant object"): a light type.

The roster holds tens of thousands of participants and replaces one on every event, so a
participant is a frozen msgspec Struct with ``gc=False``: 42 slots, no instance dict, and
not tracked by the cyclic garbage collector. It can never be part of a reference cycle:
its values are strings, numbers, booleans, a frozen ``VideoMix`` and (``model_extra``)
JSON values, all built before the participant and none referring back to it.

This class is the participant's one field list. The pydantic schema (``ParticipantModel``)
is derived from it at import and validates whatever the strict decoder declines (lax
values, v28 subsets, unknown fields) and the REST roster; ``from_model`` turns its result
into this type. Three classes share the fields and every property:

* ``Participant``: built directly (``Participant(uuid=..., ...)``); every field counts as
  set.
* ``FullParticipant``: every field was sent and nothing else (what a current Infinity
  sends): the strict decoder's type, all fields required, sharing one fields-set.
* ``ValidatedParticipant``: anything else pydantic accepted; it keeps pydantic's
  fields-set and the unknown fields (``model_extra``).

The few pydantic methods consumers use (``model_validate``, ``model_dump``,
``model_copy``, ``model_extra``, ``model_fields_set``, ``model_fields``) are here and
behave as pydantic's: they go through the schema, off the hot path.
"""

from __future__ import annotations

from collections.abc import Mapping, Set
from typing import Annotated, Any, ClassVar, Literal, cast

import msgspec
from pydantic import BaseModel, Field, create_model
from pydantic.fields import FieldInfo

from pextui.protocol.models.mirror import FINITE_FLOAT, Mirror
from pextui.protocol.models.payloads import Payload, Role, VideoMix, YesNo

FiniteFloat = FINITE_FLOAT

NO_EXTRA: Mapping[str, Any] = {}
"""The one (empty) ``model_extra`` of every participant without unknown fields."""


class Participant(msgspec.Struct, frozen=True, gc=False, kw_only=True, forbid_unknown_fields=True):
    """The participant object of ``participant_create`` / ``participant_update`` (42 fields).

    Only ``uuid`` is required (and must be non-empty); every other field has the
    default a v28 server implies when it does not send it.
    """

    uuid: Annotated[str, msgspec.Meta(min_length=1)]
    display_name: str = ""
    role: Role = "guest"
    is_muted: YesNo = "NO"
    is_client_muted: bool = False
    is_video_muted: bool = False
    is_video_silent: bool = False
    is_main_video_dropped_out: bool = False
    is_presenting: YesNo = "NO"
    presentation_supported: YesNo = "NO"
    rx_presentation_policy: Literal["ALLOW", "DENY"] = "ALLOW"
    needs_presentation_in_mix: bool = False
    buzz_time: FiniteFloat = 0.0
    spotlight: FiniteFloat = 0.0
    start_time: FiniteFloat = 0.0
    last_spoken_time: FiniteFloat = 0.0
    call_direction: str = "in"
    protocol: str = ""
    is_audio_only_call: YesNo = "NO"
    is_video_call: YesNo = "NO"
    has_media: bool = False
    encryption: str = "Off"
    mute_supported: YesNo = "YES"
    disconnect_supported: YesNo = "YES"
    transfer_supported: YesNo = "YES"
    fecc_supported: YesNo = "NO"
    is_streaming_conference: bool = False
    is_external: bool = False
    external_node_uuid: str = ""
    is_conjoined: bool = False
    is_transferring: bool = False
    is_idp_authenticated: bool = False
    supports_direct_chat: bool = False
    local_alias: str = ""
    overlay_text: str = ""
    service_type: str = "conference"
    uri: str = ""
    vendor: str = ""
    call_tag: str = ""
    api_url: str = ""
    can_receive_personal_mix: bool = False
    receive_from_video_mix: VideoMix | None = None

    model_fields: ClassVar[dict[str, FieldInfo]]
    """The schema's fields (pydantic's ``FieldInfo``: annotation, default), set below."""

    # --- the facts the console shows ---------------------------------------------------------

    @property
    def name(self) -> str:
        """The name to show: display name, else the URI without ``sip:`` (as the SDK does)."""
        if self.display_name:
            return self.display_name
        uri = self.uri
        return uri[4:] if uri.startswith("sip:") else uri

    @property
    def is_host(self) -> bool:
        return self.role == "chair"

    @property
    def audio_muted(self) -> bool:
        """Muted by a host, or muted on their own device (the host sees both the same)."""
        return self.is_muted == "YES" or self.is_client_muted

    @property
    def video_muted(self) -> bool:
        return self.is_video_muted

    @property
    def has_video(self) -> bool:
        """Sends video: has media and is not an audio-only call (a control-only
        participant such as this console, or a phone caller, has none)."""
        return self.has_media and self.is_audio_only_call != "YES"

    @property
    def rx_presentation_denied(self) -> bool:
        return self.rx_presentation_policy == "DENY"

    @property
    def hand_raised(self) -> bool:
        return self.buzz_time > 0

    @property
    def spotlighted(self) -> bool:
        return self.spotlight > 0

    @property
    def presenting(self) -> bool:
        return self.is_presenting == "YES"

    @property
    def waiting(self) -> bool:
        return self.service_type == "waiting_room"

    @property
    def can_mute(self) -> bool:
        return self.mute_supported == "YES"

    @property
    def can_disconnect(self) -> bool:
        return self.disconnect_supported == "YES"

    @property
    def can_transfer(self) -> bool:
        return self.transfer_supported == "YES"

    def supports(self, capability: str) -> bool:
        """``mute``, ``transfer``, ``disconnect`` or ``fecc`` (the ``*_supported`` flags)."""
        return {
            "mute": self.can_mute,
            "transfer": self.can_transfer,
            "disconnect": self.can_disconnect,
            "fecc": self.fecc_supported == "YES",
        }.get(capability, True)

    # --- pydantic's view of it (through the schema; not for the hot path) --------------------

    @property
    def model_extra(self) -> Mapping[str, Any]:
        """Fields the schema does not know, as sent (empty: one shared, unchanging map)."""
        return NO_EXTRA

    @property
    def model_fields_set(self) -> Set[str]:
        """The fields that were sent (extras included), as pydantic counts them."""
        return FULL_FIELDS_SET

    @classmethod
    def model_validate(cls, obj: Any) -> Participant:
        """Validate with the schema (pydantic's rules, lax values accepted)."""
        return from_model(ParticipantModel.model_validate(obj))

    def model_dump(
        self, *, mode: Literal["json", "python"] = "python", exclude_unset: bool = False
    ) -> dict[str, Any]:
        """What pydantic's ``model_dump`` of the same participant returns."""
        return to_model(self).model_dump(mode=mode, exclude_unset=exclude_unset)

    def model_copy(self, *, update: Mapping[str, Any] | None = None) -> Participant:
        """A copy with ``update`` applied, as pydantic copies (unknown keys become extras)."""
        return from_model(to_model(self).model_copy(update=update))


class ValidatedParticipant(Participant, frozen=True, kw_only=True):
    """A participant pydantic validated that is not a full, plain one: it keeps what was
    sent (``model_fields_set``) and the unknown fields (``model_extra``)."""

    fields_set_: frozenset[str]
    extra_: dict[str, Any]

    @property
    def model_extra(self) -> Mapping[str, Any]:
        return self.extra_

    @property
    def model_fields_set(self) -> Set[str]:
        return self.fields_set_


FIELD_NAMES: tuple[str, ...] = Participant.__struct_fields__
FLOAT_FIELDS: tuple[str, ...] = tuple(
    info.name for info in msgspec.structs.fields(Participant) if info.type == FINITE_FLOAT
)
FULL_FIELDS_SET: Set[str] = frozenset(FIELD_NAMES)
"""The one fields-set of every full participant, whichever path decoded it."""


def _schema() -> type[BaseModel]:
    """The pydantic model of the same fields, types and defaults (``extra="allow"``)."""
    fields: dict[str, Any] = {}
    for info in msgspec.structs.fields(Participant):
        annotation, constraints = info.type, {}
        if getattr(annotation, "__metadata__", None) is not None:  # Annotated[T, Meta(...)]
            (meta,) = annotation.__metadata__
            annotation = annotation.__origin__
            if meta.min_length is not None:
                constraints["min_length"] = meta.min_length
        default = ... if info.default is msgspec.NODEFAULT else info.default
        fields[info.name] = (annotation, Field(default, **constraints))
    return create_model("ParticipantModel", __base__=Payload, __module__=__name__, **fields)


ParticipantModel: type[BaseModel] = _schema()
"""The schema: pydantic validates with it whatever the strict decoder does not take."""
Participant.model_fields = ParticipantModel.model_fields


VIDEO_MIX = Mirror(VideoMix, omit=frozenset({"mix_config"}))
"""The strict form of ``receive_from_video_mix`` (a ``mix_config`` is left to pydantic)."""


KNOWN_VALUES: dict[str, tuple[str, ...]] = {
    "call_direction": ("in", "out"),
    "encryption": ("On", "Off"),
    "protocol": ("api", "webrtc", "sip", "rtmp", "h323", "mssip", ""),
    "service_type": (
        "connecting",
        "waiting_room",
        "ivr",
        "conference",
        "lecture",
        "gateway",
        "test_call",
    ),
}
"""The documented values of the closed-set str fields. The strict decoder takes only these
(as ``Literal``s, which msgspec decodes to one shared object each: no copy per
participant); any other value, from a newer server, is left to the schema, which takes
any string."""


def _full_type() -> type[Participant]:
    nested: dict[str, Any] = {"receive_from_video_mix": VIDEO_MIX.struct | None}
    nested.update((name, Literal[values]) for name, values in KNOWN_VALUES.items())
    fields = [
        (info.name, nested.get(info.name, info.type))
        for info in msgspec.structs.fields(Participant)
    ]
    full = msgspec.defstruct(
        "FullParticipant", fields, bases=(Participant,), kw_only=True, module=__name__
    )
    return cast(type[Participant], full)


FullParticipant: type[Participant] = _full_type()
"""Every field required, nothing else: what the strict decoder decodes (its
``receive_from_video_mix`` then becomes the shared ``VideoMix``: see fastdecode)."""

_FIELDS_SETS: dict[frozenset[str], frozenset[str]] = {}
"""One object per distinct fields-set (a v28 server sends the same subset every time)."""
_MAX_FIELDS_SETS = 64


def from_model(model: BaseModel) -> Participant:
    """The light participant of a validated ``ParticipantModel``."""
    values = model.__dict__
    extra = model.__pydantic_extra__
    sent = model.model_fields_set
    if not extra and len(sent) == len(FIELD_NAMES):
        return FullParticipant(**values)
    fields_set = frozenset(sent)
    if len(_FIELDS_SETS) >= _MAX_FIELDS_SETS:
        _FIELDS_SETS.clear()
    shared = _FIELDS_SETS.setdefault(fields_set, fields_set)
    return ValidatedParticipant(**values, fields_set_=shared, extra_=dict(extra or {}))


def to_model(participant: Participant) -> BaseModel:
    """The ``ParticipantModel`` with the same values, fields-set and extras (not validated
    again: the values are already of the schema's types)."""
    values = {name: getattr(participant, name) for name in FIELD_NAMES}
    return ParticipantModel.model_construct(
        set(participant.model_fields_set), **values, **participant.model_extra
    )
