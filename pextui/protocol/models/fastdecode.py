"""A fast decoder for the payloads that dominate the stream: the full participant, and
the ``{"uuid": ...}`` of a participant_delete.

A current Infinity sends every ``participant_create`` / ``participant_update`` as the
same 42-field object. msgspec decodes and type-checks it straight into the light
``FullParticipant`` (participant.py), several times faster than pydantic validates it.
The decoder takes only payloads that carry exactly the fields (none missing, none
unknown) with values of exactly the declared types, so the result equals what the
schema's validation gives; anything else (a v28 subset, an unknown field, a lax value
such as ``"true"`` for a bool, bad JSON) is declined with ``None`` and left to pydantic,
which keeps unknown fields, applies defaults and reports errors.
"""

from __future__ import annotations

from collections.abc import Callable
from math import copysign
from typing import Any

import msgspec

from pextui.protocol.models.mirror import FINITE_FLOAT, SHARED_MAX, Mirror
from pextui.protocol.models.participant import (
    VIDEO_MIX,
    FullParticipant,
    Participant,
)
from pextui.protocol.models.payloads import ParticipantRef

_ZERO = 0.0
_LOW_CARDINALITY = ("local_alias", "vendor")
"""Open-set str fields with few distinct values: equal values share one object (less
memory, and replacing a participant frees fewer cold objects). The closed-set ones
(``KNOWN_VALUES``) are shared by the decoder itself."""
_FLOATS = tuple(
    info.name for info in msgspec.structs.fields(Participant) if info.type == FINITE_FLOAT
)
"""Mostly 0 (no hand, no spotlight, ...): a positive zero shares one object."""


_force: Callable[[Any, str, Any], None] = msgspec.structs.force_setattr
"""Sets a field of a just-decoded participant, before anyone else sees it (the struct is
frozen for everyone after that)."""
_build_mix = VIDEO_MIX.build_shared
_texts: dict[str, str] = {}
_decode_participant: Callable[[str | bytes], Participant] = msgspec.json.Decoder(
    FullParticipant
).decode


def decode_full_participant(data: str | bytes) -> Participant | None:
    """The participant in ``data`` if it is a full, strictly typed one, else None."""
    try:
        participant = _decode_participant(data)
    except (msgspec.MsgspecError, ValueError, RecursionError):  # ValueError: bad UTF-8
        return None
    texts = _texts
    if len(texts) >= SHARED_MAX:
        texts.clear()
    share = texts.setdefault
    force = _force
    for name in _LOW_CARDINALITY:
        value = getattr(participant, name)
        shared = share(value, value)
        if shared is not value:
            force(participant, name, shared)
    for name in _FLOATS:
        value = getattr(participant, name)
        if not value and copysign(1.0, value) > 0:
            force(participant, name, _ZERO)
    # Infinity's overlay text is the display name unless an administrator set one.
    overlay = participant.overlay_text
    if overlay == participant.display_name and overlay is not participant.display_name:
        force(participant, "overlay_text", participant.display_name)
    mix: Any = participant.receive_from_video_mix
    if mix is not None:  # the decoded strict struct -> the shared pydantic VideoMix
        force(participant, "receive_from_video_mix", _build_mix(mix))
    return participant


_REF = Mirror(ParticipantRef)
_decode_ref: Callable[[str | bytes], msgspec.Struct] = msgspec.json.Decoder(_REF.struct).decode
_build_ref = _REF.build


def decode_participant_ref(data: str | bytes) -> ParticipantRef | None:
    """The ``{"uuid": ...}`` of a participant_delete if that is all it holds, else None."""
    try:
        decoded = _decode_ref(data)
    except (msgspec.MsgspecError, ValueError, RecursionError):
        return None
    ref: ParticipantRef = _build_ref(decoded)
    return ref
