"""HTTP helpers: the Pexip JSON envelope, body reading with limits, typed field checks."""

from __future__ import annotations

import json
from typing import Any

from starlette.requests import ClientDisconnect, Request
from starlette.responses import Response

from pextui.sim.participants import dumps

JSON_TYPE = "application/json"


class BadRequest(Exception):
    """A request the simulator refuses; becomes `status` with a JSON reason."""

    def __init__(self, status: int, reason: str) -> None:
        super().__init__(reason)
        self.status = status
        self.reason = reason


def ok(result: object, status: int = 200) -> Response:
    return Response(dumps({"status": "success", "result": result}), status, media_type=JSON_TYPE)


def failed(status: int, reason: str, envelope: str = "failed") -> Response:
    body = {"status": envelope, "result": reason}
    return Response(dumps(body), status, media_type=JSON_TYPE)


def invalid_token() -> Response:
    return failed(403, "Invalid token", envelope="success")


async def read_body(request: Request, limit: int) -> bytes:
    declared = request.headers.get("content-length")
    if declared is not None:
        try:
            if int(declared) > limit:
                raise BadRequest(413, f"Request body too large (limit {limit} bytes)")
        except ValueError:
            raise BadRequest(400, "Invalid Content-Length header") from None
    chunks: list[bytes] = []
    size = 0
    try:
        async for chunk in request.stream():
            size += len(chunk)
            if size > limit:
                raise BadRequest(413, f"Request body too large (limit {limit} bytes)")
            chunks.append(chunk)
    except ClientDisconnect:  # the client went away mid-body: nobody to answer
        raise BadRequest(400, "The client disconnected before the body was complete") from None
    return b"".join(chunks)


def _refuse_constant(name: str) -> None:
    raise BadRequest(400, f"Malformed JSON body: {name} is not a JSON number")


def _check_text(value: object, where: str = "body", depth: int = 0) -> None:
    """Refuse strings (keys too) that cannot be encoded: lone surrogates from \\ud800 escapes.

    Stored, such a string would break every later answer that includes it.
    """
    if isinstance(value, str):
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            raise BadRequest(400, f"Invalid Unicode in {where}: a lone surrogate") from None
    elif isinstance(value, dict):
        for key, item in value.items():
            _check_text(key, "a field name", depth + 1)
            _check_text(item, f"field '{safe_name(key)}'" if depth == 0 else where, depth + 1)
    elif isinstance(value, list):
        for item in value:
            _check_text(item, where, depth + 1)


def safe_name(key: str) -> str:
    """A field name fit for an error message (printable ASCII, short)."""
    return "".join(c if c.isascii() and c.isprintable() else "?" for c in key[:40])


def parse_object(raw: bytes) -> dict[str, Any]:
    """The JSON object in a body; an empty body is an empty object.

    Refused with 400 and a reason: invalid UTF-8, malformed JSON, NaN / Infinity, strings
    with lone surrogates (in any field, at any depth), anything but an object.
    """
    if not raw.strip():
        return {}
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        raise BadRequest(400, f"The body is not valid UTF-8 (byte {error.start})") from None
    try:
        value = json.loads(text, parse_constant=_refuse_constant)
    except json.JSONDecodeError as error:
        raise BadRequest(400, f"Malformed JSON body: {error.msg} at position {error.pos}") from None
    except (ValueError, RecursionError) as error:  # bad UTF-8, huge integers, deep nesting
        raise BadRequest(400, f"Malformed JSON body: {error.__class__.__name__}") from None
    if not isinstance(value, dict):
        raise BadRequest(400, "The request body must be a JSON object")
    _check_text(value)
    return value


def _field(body: dict[str, Any], name: str, required: bool) -> Any:
    """`body[name]`, or None when absent; a missing required field is refused."""
    value = body.get(name)
    if value is None and required:
        raise BadRequest(400, f"Missing required field '{name}'")
    return value


def get_str(
    body: dict[str, Any],
    name: str,
    *,
    required: bool = False,
    max_len: int = 1024,
    default: str | None = None,
) -> str | None:
    value = _field(body, name, required)
    if value is None:
        return default
    if not isinstance(value, str):
        raise BadRequest(400, f"Field '{name}' must be a string")
    if len(value) > max_len:
        raise BadRequest(400, f"Field '{name}' is too long (max {max_len} characters)")
    return value


def need_str(body: dict[str, Any], name: str, max_len: int = 1024) -> str:
    value = get_str(body, name, required=True, max_len=max_len)
    assert value is not None
    return value


def get_choice(body: dict[str, Any], name: str, choices: tuple[str, ...], default: str) -> str:
    value = get_str(body, name, default=default, max_len=64)
    assert value is not None
    if value not in choices:
        raise BadRequest(400, f"Field '{name}' must be one of {', '.join(choices)}")
    return value


def get_bool(body: dict[str, Any], name: str, *, required: bool = False) -> bool | None:
    value = _field(body, name, required)
    if value is None:
        return None
    if not isinstance(value, bool):
        raise BadRequest(400, f"Field '{name}' must be a boolean")
    return value


def get_number(
    body: dict[str, Any], name: str, low: float, high: float, *, required: bool = False
) -> float | None:
    value = _field(body, name, required)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise BadRequest(400, f"Field '{name}' must be a number")
    if not low <= value <= high:
        raise BadRequest(400, f"Field '{name}' must be between {low:g} and {high:g}")
    return float(value)
