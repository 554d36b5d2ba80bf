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

from pextui.protocol.models.mirror import SHARED_MAX, Mirror
from pextui.protocol.models.participant import (
    FLOAT_FIELDS,
    VIDEO_MIX,
    FullParticipant,
    Participant,
)
from pextui.protocol.models.payloads import ParticipantRef

_ZERO = 0.0
_FLOATS = ("buzz_time", "spotlight", "start_time", "last_spoken_time")
"""Mostly 0 (no hand, no spotlight, ...): a positive zero shares one object. Spelled out
(checked at import against the type): the decoder below reads each one directly."""

if _FLOATS != FLOAT_FIELDS or VIDEO_MIX.float_fields != ("timestamp",):
    raise TypeError("the fast decoder's float fields are out of date")

_force: Callable[[Any, str, Any], None] = msgspec.structs.force_setattr
"""Sets a field of a just-decoded participant, before anyone else sees it (the struct is
frozen for everyone after that)."""
_build_mix = VIDEO_MIX.build
_mixes: dict[msgspec.Struct, Any] = {}
"""Equal video mixes share one (frozen) ``VideoMix``: every participant of a meeting
usually carries the same one. A mix whose timestamp is -0.0 is never kept here: it equals
(and hashes as) its +0.0 twin, but pydantic keeps the sign."""
_texts: dict[str, str] = {}
"""``vendor`` and ``local_alias``: open sets, but few distinct values in a meeting; equal
values share one object (less memory, and replacing a participant frees fewer cold
objects). The closed-set str fields (``KNOWN_VALUES``) are shared by the decoder itself."""


def _remember(text: str) -> None:
    if len(_texts) >= SHARED_MAX:
        _texts.clear()
    _texts[text] = text


_decode_participant: Callable[[str | bytes], Participant] = msgspec.json.Decoder(
    FullParticipant
).decode


def decode_full_participant(data: str | bytes) -> Participant | None:
    """The participant in ``data`` if it is a full, strictly typed one, else None.

    Written out, field by field: it runs for nearly every event of the stream.
    """
    try:
        participant: Any = _decode_participant(data)
    except (msgspec.MsgspecError, ValueError, RecursionError):  # ValueError: bad UTF-8
        return None
    force = _force
    texts = _texts
    value = participant.vendor
    shared = texts.get(value)
    if shared is None:
        _remember(value)
    elif shared is not value:
        force(participant, "vendor", shared)
    value = participant.local_alias
    shared = texts.get(value)
    if shared is None:
        _remember(value)
    elif shared is not value:
        force(participant, "local_alias", shared)
    # 0.0 == -0.0: only a positive zero is replaced by the shared one.
    if not participant.buzz_time and copysign(1.0, participant.buzz_time) > 0:
        force(participant, "buzz_time", _ZERO)
    if not participant.spotlight and copysign(1.0, participant.spotlight) > 0:
        force(participant, "spotlight", _ZERO)
    if not participant.start_time and copysign(1.0, participant.start_time) > 0:
        force(participant, "start_time", _ZERO)
    if not participant.last_spoken_time and copysign(1.0, participant.last_spoken_time) > 0:
        force(participant, "last_spoken_time", _ZERO)
    # Infinity's overlay text is the display name unless an administrator set one.
    value = participant.overlay_text
    if value == participant.display_name and value is not participant.display_name:
        force(participant, "overlay_text", participant.display_name)
    mix = participant.receive_from_video_mix
    if mix is not None:  # the decoded strict struct -> the (shared) pydantic VideoMix
        negative_zero = not mix.timestamp and copysign(1.0, mix.timestamp) < 0
        video_mix = None if negative_zero else _mixes.get(mix)
        if video_mix is None:
            video_mix = _build_mix(mix)
            if not negative_zero:
                if len(_mixes) >= SHARED_MAX:
                    _mixes.clear()
                _mixes[mix] = video_mix
        force(participant, "receive_from_video_mix", video_mix)
    result: Participant = participant
    return result


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
