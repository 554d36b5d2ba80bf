"""HMAC-SHA256 request signing as ACS checks it, and the simulator's access key.

The string to sign is `METHOD \\n PATH?QUERY \\n x-ms-date;host;x-ms-content-sha256`;
the signature is base64(HMAC-SHA256(base64-decoded access key, that string)), sent as
`Authorization: HMAC-SHA256 SignedHeaders=x-ms-date;host;x-ms-content-sha256&Signature=...`.
`x-ms-content-sha256` must also be the base64 SHA-256 of the body actually received.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import secrets
from email.utils import parsedate_to_datetime

from starlette.datastructures import Headers

SIGNED_HEADERS = "x-ms-date;host;x-ms-content-sha256"
PREFIX = "HMAC-SHA256 "
MAX_CLOCK_SKEW = 15 * 60.0  # seconds a request's x-ms-date may differ from ours
KEY_BYTES = 64


def new_access_key() -> str:
    return base64.b64encode(secrets.token_bytes(KEY_BYTES)).decode()


def connection_string(endpoint: str, access_key: str) -> str:
    return f"endpoint={endpoint.rstrip('/')}/;accesskey={access_key}"


def content_hash(body: bytes) -> str:
    return base64.b64encode(hashlib.sha256(body).digest()).decode()


def signature(
    key: bytes, method: str, path_and_query: str, date: str, host: str, body_hash: str
) -> str:
    to_sign = f"{method.upper()}\n{path_and_query}\n{date};{host};{body_hash}"
    return base64.b64encode(hmac.new(key, to_sign.encode(), hashlib.sha256).digest()).decode()


def decode_key(access_key: str) -> bytes:
    try:
        return base64.b64decode(access_key, validate=True)
    except (binascii.Error, ValueError):
        raise ValueError("the access key is not base64") from None


def check(
    key: bytes, method: str, path_and_query: str, headers: Headers, body: bytes, now: float
) -> str | None:
    """None when the request is signed with `key`; otherwise why not (never echoes secrets)."""
    authorization = headers.get("authorization", "")
    if not authorization.startswith(PREFIX):
        return "missing or non-HMAC Authorization header"
    fields: dict[str, str] = {}
    for part in authorization[len(PREFIX) :].split("&"):
        name, _, value = part.partition("=")
        fields[name.strip()] = value.strip()
    if fields.get("SignedHeaders", "").lower() != SIGNED_HEADERS:
        return f"SignedHeaders must be {SIGNED_HEADERS}"
    date = headers.get("x-ms-date", "")
    try:
        sent = parsedate_to_datetime(date).timestamp()
    except (TypeError, ValueError, IndexError):
        return "missing or invalid x-ms-date"
    if abs(now - sent) > MAX_CLOCK_SKEW:
        return "x-ms-date is too far from the current time"
    body_hash = headers.get("x-ms-content-sha256", "")
    if not hmac.compare_digest(body_hash.encode(), content_hash(body).encode()):
        return "x-ms-content-sha256 does not match the body"
    host = headers.get("host", "")
    expected = signature(key, method, path_and_query, date, host, body_hash)
    if not hmac.compare_digest(fields.get("Signature", "").encode(), expected.encode()):
        return "the signature does not match"
    return None
