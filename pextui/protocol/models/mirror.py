"""msgspec mirrors of small pydantic payload models, for the fast decoder.

A ``Mirror`` derives, at import, the msgspec struct that decodes a model's strict form
(every field present, no unknown one, values of exactly the declared types) and builds
from a decoded struct the very model instance pydantic would return. The two cannot drift
apart; a field type this module cannot mirror fails the import.
"""

from __future__ import annotations

import sys
import typing
from collections.abc import Callable
from typing import Annotated, Any, Literal

import annotated_types
import msgspec
from pydantic import BaseModel

from pextui.protocol.models.payloads import Payload

FINITE_FLOAT = Annotated[float, msgspec.Meta(ge=-sys.float_info.max, le=sys.float_info.max)]
"""``allow_inf_nan=False``: JSON cannot spell NaN, but 1e400 would be infinity."""

_asdict: Callable[[msgspec.Struct], dict[str, Any]] = msgspec.structs.asdict

_NO_EXTRA: dict[str, Any] = {}
"""The one (empty) extras dict of every instance built here, as the fields-set is shared:
the models are frozen, and pydantic copies it before a copy's extras change."""

SHARED_MAX = 256
"""Distinct nested values kept for sharing (a bound, not a working-set estimate)."""

_set_dict: Callable[[BaseModel, dict[str, Any]], None] = BaseModel.__dict__["__dict__"].__set__
_set_fields_set: Callable[[BaseModel, set[str]], None] = BaseModel.__dict__[
    "__pydantic_fields_set__"
].__set__
_set_extra: Callable[[BaseModel, dict[str, Any] | None], None] = BaseModel.__dict__[
    "__pydantic_extra__"
].__set__
_set_private: Callable[[BaseModel, dict[str, Any] | None], None] = BaseModel.__dict__[
    "__pydantic_private__"
].__set__


class Mirror:
    """A pydantic payload model and the msgspec struct that decodes its strict form.

    ``fields`` are the model fields the struct carries, all required. Model fields left
    out (``omitted``: nested models we do not mirror) must be absent from the payload
    (the struct forbids unknown fields) and take their default, ``None``.
    """

    def __init__(self, model: type[Payload], omit: frozenset[str] = frozenset()) -> None:
        self.model = model
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
        # Every instance built from a full payload shares one fields-set: the models are
        # frozen and it is never mutated.
        self.fields_set: set[str] = set(self.fields)
        # 0.0 == -0.0, but pydantic keeps the sign: whoever shares instances must mind it.
        self.float_fields = tuple(name for name, kind in struct_fields if kind is FINITE_FLOAT)

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
            return FINITE_FLOAT
        if annotation in (str, bool):
            return annotation
        if typing.get_origin(annotation) is Literal:
            return annotation
        raise TypeError(f"{self.model.__name__}.{name}: cannot mirror {annotation!r}")

    def build(self, decoded: msgspec.Struct) -> Any:
        """The pydantic model instance pydantic's validator would have returned."""
        values: dict[str, Any] = _asdict(decoded)
        if self.omitted:
            values.update(dict.fromkeys(self.omitted))
        model = self.model
        instance = model.__new__(model)
        _set_dict(instance, values)
        _set_fields_set(instance, self.fields_set)
        _set_extra(instance, _NO_EXTRA)
        _set_private(instance, None)
        return instance
