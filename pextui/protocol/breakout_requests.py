"""Request bodies of the breakout functions, validated before anything is sent.

Same contract as `pextui.protocol.requests`: a dict, or `RequestValidationError`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from pextui.protocol.requests import RequestValidationError, _choice, _require, _text

MAIN_ROOM = "main"
END_ACTIONS = ("disconnect", "transfer")
MAX_ROOM_NAME = 100
MAX_ROOM_DESCRIPTION = 500
MAX_DURATION_S = 86_400
MAX_MOVED = 1000


def validate_id(field: str, value: str) -> str:
    """A participant or room UUID: non-empty, no '/' (it may go in the URL path)."""
    _require(
        isinstance(value, str) and value != "" and "/" not in value and len(value) <= 64,
        f"{field} must be a non-empty id without '/'",
    )
    return value


def _uuids(field: str, uuids: Iterable[str]) -> list[str]:
    listed = [validate_id(field, uuid) for uuid in uuids]
    _require(len(listed) <= MAX_MOVED, f"at most {MAX_MOVED} participants at once")
    return listed


def breakout_body(
    name: str,
    *,
    description: str | None = None,
    duration_s: float | None = None,
    end_action: str | None = None,
    participants: Mapping[str, Iterable[str]] | None = None,
    guests_allowed_to_leave: bool | None = None,
) -> dict[str, Any]:
    """A new room: its name, an optional description, a duration in seconds (0 = no end)
    with `end_action` disconnect|transfer, and who moves in, by the room they are in now
    (`main` or a room UUID)."""
    body: dict[str, Any] = {"name": _text("room name", name, MAX_ROOM_NAME)}
    if description is not None:
        body["description"] = _text(
            "room description", description, MAX_ROOM_DESCRIPTION, allow_empty=True
        )
    if duration_s is not None:
        _require(
            isinstance(duration_s, int | float)
            and not isinstance(duration_s, bool)
            and 0 <= duration_s <= MAX_DURATION_S,
            f"duration must be between 0 and {MAX_DURATION_S} seconds",
        )
        body["duration"] = duration_s
    if end_action is not None:
        body["end_action"] = _choice("end action", end_action, END_ACTIONS)
    if participants is not None:
        body["participants"] = {
            validate_id("room", source): _uuids("participant", uuids)
            for source, uuids in participants.items()
        }
    if guests_allowed_to_leave is not None:
        body["guests_allowed_to_leave"] = bool(guests_allowed_to_leave)
    return body


def move_body(target: str | None, participants: Iterable[str]) -> dict[str, Any]:
    """Move `participants` to room `target` (None or `main`: back to the main room)."""
    room = MAIN_ROOM if target in (None, "", MAIN_ROOM) else validate_id("room", str(target))
    moved = _uuids("participant", participants)
    _require(bool(moved), "name at least one participant to move")
    return {"breakout_uuid": room, "participants": moved}


__all__ = ["RequestValidationError", "breakout_body", "move_body", "validate_id"]
