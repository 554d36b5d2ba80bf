"""A fast decoder for the one payload that dominates the stream: the full participant.

A current Infinity sends every ``participant_create`` / ``participant_update`` as the
same 42-field object. msgspec decodes and type-checks such an object about three times
faster than pydantic validates it. The pydantic model stays the authority: this decoder
only takes payloads that carry exactly the model's fields (none missing, none unknown)
with values of exactly the types the model declares, and returns the very
``Participant`` pydantic would (same field values, ``model_fields_set``, no extras).
Anything else (a v28 subset, an unknown field, a lax value such as ``"true"`` for a
bool, bad JSON) is declined with ``None`` and left to pydantic, which keeps unknown
fields, applies defaults and reports errors.

The msgspec types are derived from the pydantic models at import, so the two cannot
drift apart; a field type this module cannot mirror fails the import.
"""

from __future__ import annotations

import sys
import types
import typing
from collections.abc import Callable
from math import copysign
from typing import Annotated, Any, Literal

import annotated_types
import msgspec
from pydantic import BaseModel

from pextui.protocol.models.payloads import Participant, ParticipantRef, Payload, VideoMix

_asdict: Callable[[msgspec.Struct], dict[str, Any]] = msgspec.structs.asdict
_FINITE_FLOAT = Annotated[float, msgspec.Meta(ge=-sys.float_info.max, le=sys.float_info.max)]
"""``allow_inf_nan=False``: JSON cannot spell NaN, but 1e400 would be infinity."""

_NO_EXTRA: dict[str, Any] = {}
"""The one (empty) extras dict of every instance built here, as the fields-set is shared:
the models are frozen, and pydantic copies it before a copy's extras change."""

_SHARED_MAX = 256
"""Distinct nested values kept for sharing (a bound, not a working-set estimate)."""

_set_dict: Callable[[BaseModel, dict[str, Any]], None] = BaseModel.__dict__["__dict__"].__set__
set_fields_set: Callable[[BaseModel, set[str]], None] = BaseModel.__dict__[
    "__pydantic_fields_set__"
].__set__
_set_extra: Callable[[BaseModel, dict[str, Any] | None], None] = BaseModel.__dict__[
    "__pydantic_extra__"
].__set__
_set_private: Callable[[BaseModel, dict[str, Any] | None], None] = BaseModel.__dict__[
    "__pydantic_private__"
].__set__


class _Mirror:
    """A pydantic payload model and the msgspec struct that decodes its strict form.

    ``fields`` are the model fields the struct carries, all required. Model fields left
    out (``omitted``: nested models we do not mirror) must be absent from the payload
    (the struct forbids unknown fields) and take their default, ``None``.
    """

    def __init__(
        self,
        model: type[Payload],
        omit: frozenset[str] = frozenset(),
        share: tuple[str, ...] = (),
        alias: tuple[tuple[str, str], ...] = (),
    ) -> None:
        self.model = model
        # str fields with few distinct values: equal values share one object (less memory,
        # and replacing a participant frees fewer cold objects).
        self._share = share
        # (field, other): a field that usually repeats another field of the same object
        # takes that field's object when the two are equal.
        self._alias = alias
        self._texts: dict[str, str] = {}
        self.nested: dict[str, _Mirror] = {}
        struct_fields: list[tuple[str, Any]] = []
        for name, info in model.model_fields.items():
            if name in omit:
                if info.default is not None:
                    raise TypeError(f"{model.__name__}.{name}: omitted fields default to None")
                continue
            struct_fields.append((name, self._struct_type(name, info.annotation, info.metadata)))
        self.fields: frozenset[str] = frozenset(name for name, _ in struct_fields)
        self.omitted: tuple[str, ...] = tuple(sorted(omit))
        self.struct: type[msgspec.Struct] = msgspec.defstruct(
            f"{model.__name__}Strict",
            struct_fields,
            forbid_unknown_fields=True,
            frozen=True,  # hashable: nested values are cached by their struct
            gc=False,
        )
        # Every instance built from a full payload shares one fields-set (as parse.py
        # does for pydantic's own): the models are frozen and it is never mutated.
        self.fields_set: set[str] = set(self.fields)
        self._shared: dict[tuple[Any, ...], Any] = {}
        self._nested_items = tuple(self.nested.items())
        # 0.0 == -0.0, but pydantic keeps the sign: it is part of a sharing key.
        self._float_fields = tuple(name for name, kind in struct_fields if kind is _FINITE_FLOAT)

    def _struct_type(self, name: str, annotation: Any, metadata: list[Any]) -> Any:
        base = self._scalar(name, annotation)
        constraints: dict[str, Any] = {}
        for item in metadata:
            if isinstance(item, annotated_types.MinLen):
                constraints["min_length"] = item.min_length
            else:
                raise TypeError(f"{self.model.__name__}.{name}: cannot mirror {item!r}")
        return Annotated[base, msgspec.Meta(**constraints)] if constraints else base

    def _scalar(self, name: str, annotation: Any) -> Any:
        if annotation is float:
            return _FINITE_FLOAT
        if annotation in (str, bool):
            return annotation
        if typing.get_origin(annotation) is Literal:
            return annotation
        args = typing.get_args(annotation)
        if isinstance(annotation, types.UnionType) and len(args) == 2 and type(None) in args:
            (inner,) = (arg for arg in args if arg is not type(None))
            if inner is VideoMix:
                mirror = _Mirror(VideoMix, omit=frozenset({"mix_config"}))
                self.nested[name] = mirror
                return mirror.struct | None
        raise TypeError(f"{self.model.__name__}.{name}: cannot mirror {annotation!r}")

    def build(self, decoded: msgspec.Struct) -> Any:
        """The pydantic model instance pydantic's validator would have returned."""
        values: dict[str, Any] = _asdict(decoded)
        if self._share:
            texts = self._texts
            if len(texts) >= _SHARED_MAX:
                texts.clear()
            share = texts.setdefault
            for name in self._share:
                value = values[name]
                values[name] = share(value, value)
            for name in self._float_fields:  # mostly 0 (no hand, no spotlight, ...)
                value = values[name]
                if not value and copysign(1.0, value) > 0:
                    values[name] = _ZERO
        for name, other in self._alias:
            if values[name] == values[other]:
                values[name] = values[other]
        for name, mirror in self._nested_items:
            value = values[name]
            if value is not None:
                values[name] = mirror.build_shared(value)
        if self.omitted:
            values.update(dict.fromkeys(self.omitted))
        model = self.model
        instance = model.__new__(model)
        _set_dict(instance, values)
        set_fields_set(instance, self.fields_set)
        _set_extra(instance, _NO_EXTRA)
        _set_private(instance, None)
        return instance

    def build_shared(self, decoded: msgspec.Struct) -> Any:
        """Like ``build``, but equal values share one (frozen) instance: every participant
        of a meeting usually carries the same small nested object."""
        floats = self._float_fields
        if len(floats) == 1:  # VideoMix: its timestamp
            key: tuple[Any, ...] = (decoded, copysign(1.0, getattr(decoded, floats[0])))
        else:
            key = (decoded, *(copysign(1.0, getattr(decoded, name)) for name in floats))
        instance = self._shared.get(key)
        if instance is None:
            if len(self._shared) >= _SHARED_MAX:
                self._shared.clear()
            instance = self._shared[key] = self.build(decoded)
        return instance


_ZERO = 0.0
_LOW_CARDINALITY = (
    "call_direction",
    "encryption",
    "local_alias",
    "protocol",
    "service_type",
    "vendor",
)
# Infinity's overlay text is the display name unless an administrator set one.
_PARTICIPANT = _Mirror(
    Participant, share=_LOW_CARDINALITY, alias=(("overlay_text", "display_name"),)
)
_decode_participant: Callable[[str | bytes], msgspec.Struct] = msgspec.json.Decoder(
    _PARTICIPANT.struct
).decode
_build_participant = _PARTICIPANT.build
FULL_PARTICIPANT_FIELDS: set[str] = _PARTICIPANT.fields_set
"""The one fields-set every full participant shares, whichever path decoded it."""


def decode_full_participant(data: str | bytes) -> Participant | None:
    """The participant in ``data`` if it is a full, strictly typed one, else None."""
    try:
        decoded = _decode_participant(data)
    except (msgspec.MsgspecError, ValueError, RecursionError):  # ValueError: bad UTF-8
        return None
    participant: Participant = _build_participant(decoded)
    return participant


_REF = _Mirror(ParticipantRef)
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
