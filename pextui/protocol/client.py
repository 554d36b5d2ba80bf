"""The HTTP side of the Pexip client REST API v2: join parameters, request_token and friends.

`ApiClient` wraps one `httpx.AsyncClient` for one node. It turns every answer into either
the `result` of the envelope or a typed error of `pextui.protocol.errors`. The joined
session (token lifecycle, event stream, host functions) lives in `pextui.protocol.session`;
`connect(params)` is re-exported here for convenience.
"""

from __future__ import annotations

import json
import logging
import ssl
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import quote, urlsplit

import httpx

from pextui.protocol.errors import (
    AccessDeniedError,
    ActionError,
    ConferenceNotFoundError,
    ExtensionRequiredError,
    InvalidPinError,
    MaintenanceError,
    NetworkError,
    PexipError,
    PinRequiredError,
    ProtocolError,
    ServerError,
    TLSError,
    TokenError,
    clean_reason,
    protect_secret,
    scrub,
)
from pextui.protocol.requests import validate_alias

if TYPE_CHECKING:
    from pextui.protocol.session import Session

log = logging.getLogger("pextui.protocol")


class _ScrubFilter(logging.Filter):
    """Scrub `token=` query values and known secrets from httpx's own request log lines."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        cleaned = scrub(message)
        if cleaned != message:
            record.msg, record.args = cleaned, None
        return True


for _name in ("httpx", "httpcore"):
    if not any(isinstance(f, _ScrubFilter) for f in logging.getLogger(_name).filters):
        logging.getLogger(_name).addFilter(_ScrubFilter())

API_PREFIX = "/api/client/v2"
NO_PIN = "none"
"""Send this as the PIN to join as a guest of a conference whose guests need no PIN."""
DEFAULT_TIMEOUT_S = 10.0
USER_AGENT = "pextui"


@dataclass(frozen=True)
class JoinParams:
    """How to join: node URL, alias, display name, PIN and TLS policy.

    `pin`: None sends no PIN; `NO_PIN` ("none") joins as a guest of a conference whose guests
    need no PIN; otherwise the host or guest PIN. `verify`: True (system trust store), False
    (no certificate check: --insecure) or the path of a CA bundle (--ca-bundle).
    """

    node_url: str
    alias: str
    display_name: str = "pextui"
    pin: str | None = field(default=None, repr=False)
    conference_extension: str | None = None
    verify: bool | str = True
    timeout_s: float = DEFAULT_TIMEOUT_S
    call_tag: str | None = None

    def __post_init__(self) -> None:
        parts = urlsplit(self.node_url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise ValueError(
                f"node URL must start with https:// (or http:// for loopback): {self.node_url!r}"
            )
        if parts.username or parts.password or parts.query or parts.fragment:
            raise ValueError("node URL must not contain credentials, a query or a fragment")
        validate_alias(self.alias)
        if self.conference_extension is not None:
            validate_alias(self.conference_extension)
        if not self.display_name.strip():
            raise ValueError("display name must not be empty")
        if self.pin is not None and self.pin != NO_PIN and not self.pin.isdigit():
            raise ValueError("PIN must be digits only")
        if self.timeout_s <= 0:
            raise ValueError("timeout must be positive")
        protect_secret(self.pin)

    @property
    def base_url(self) -> str:
        return self.node_url.rstrip("/")


@dataclass(frozen=True)
class TokenGrant:
    """The useful part of a request_token result (the token itself never in repr)."""

    token: str = field(repr=False)
    expires_s: float
    participant_uuid: str
    role: str
    display_name: str
    conference_name: str | None = None
    service_type: str | None = None
    current_service_type: str | None = None
    chat_enabled: bool = False


def _ssl_verify(verify: bool | str) -> bool | ssl.SSLContext:
    if isinstance(verify, bool):
        return verify
    path = Path(verify).expanduser()
    if not path.is_file():
        raise ValueError(f"CA bundle not found: {path}")
    try:
        return ssl.create_default_context(cafile=str(path))
    except (ssl.SSLError, OSError) as exc:
        raise ValueError(f"CA bundle {path} cannot be loaded: {exc.__class__.__name__}") from None


def _is_tls_failure(exc: BaseException) -> bool:
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        if isinstance(current, ssl.SSLError | ssl.CertificateError):
            return True
        current = current.__cause__ or current.__context__
    text = str(exc)
    return "CERTIFICATE_VERIFY_FAILED" in text or "SSL" in text


def network_error(exc: httpx.HTTPError, host: str) -> NetworkError:
    """A typed error for an httpx transport failure, without its URL or headers."""
    detail = scrub(str(exc)) if not isinstance(exc, httpx.TimeoutException) else ""
    if isinstance(exc, httpx.TimeoutException):
        return NetworkError(f"{host} did not answer in time ({exc.__class__.__name__})")
    if _is_tls_failure(exc):
        return TLSError(
            f"TLS handshake with {host} failed: {detail or exc.__class__.__name__} "
            "(use --ca-bundle for a private CA, or --insecure to skip the check)"
        )
    if isinstance(exc, httpx.ConnectError):
        return NetworkError(f"cannot connect to {host}: {detail or 'connection failed'}")
    return NetworkError(f"connection to {host} failed: {exc.__class__.__name__}")


@dataclass
class Envelope:
    status_code: int
    result: Any
    is_json: bool


class ApiClient:
    """One node's client REST API: status, token calls and conference requests."""

    def __init__(
        self,
        node_url: str,
        *,
        verify: bool | str = True,
        timeout_s: float = DEFAULT_TIMEOUT_S,
        transport: httpx.AsyncBaseTransport | None = None,
    ) -> None:
        self.base_url = node_url.rstrip("/")
        self.host = urlsplit(self.base_url).netloc
        self.timeout_s = timeout_s
        self.http = httpx.AsyncClient(
            verify=_ssl_verify(verify),
            timeout=httpx.Timeout(timeout_s),
            transport=transport,
            headers={"User-Agent": USER_AGENT},
            follow_redirects=False,
        )

    async def aclose(self) -> None:
        await self.http.aclose()

    def conference_url(self, alias: str, path: str = "") -> str:
        return f"{self.base_url}{API_PREFIX}/conferences/{quote(alias, safe='')}/{path}"

    def participant_path(self, participant_uuid: str, endpoint: str) -> str:
        return f"participants/{quote(participant_uuid, safe='')}/{endpoint}"

    async def _send(
        self,
        method: str,
        url: str,
        *,
        headers: dict[str, str] | None = None,
        body: Any = None,
        time_limit: httpx.Timeout | None = None,
    ) -> Envelope:
        """Send one request; transport failures become NetworkError/TLSError."""
        kwargs: dict[str, Any] = {"headers": headers or {}}
        if body is not None:
            kwargs["json"] = body
        if time_limit is not None:
            kwargs["timeout"] = time_limit
        try:
            response = await self.http.request(method, url, **kwargs)
        except httpx.HTTPError as exc:
            log.info("%s %s failed: %s", method, _path_only(url), exc.__class__.__name__)
            raise network_error(exc, self.host) from None
        log.debug("%s %s -> %s", method, _path_only(url), response.status_code)
        return _decode(response)

    async def check_status(self) -> None:
        """GET /api/client/v2/status: 503 means the node is in maintenance mode."""
        envelope = await self._send("GET", f"{self.base_url}{API_PREFIX}/status")
        if envelope.status_code == 503:
            reason = envelope.result if isinstance(envelope.result, str) else None
            raise MaintenanceError(reason or "System in maintenance mode")
        if envelope.status_code >= 500:
            raise ServerError(envelope.status_code, _reason(envelope, "server error"))

    async def request_token(
        self,
        alias: str,
        display_name: str,
        *,
        pin: str | None = None,
        conference_extension: str | None = None,
        one_time_token: str | None = None,
        call_tag: str | None = None,
    ) -> TokenGrant:
        """POST request_token; refusals become the typed join errors."""
        headers = {"pin": pin} if pin else {}
        body: dict[str, Any] = {"display_name": display_name}
        if conference_extension:
            body["conference_extension"] = conference_extension
        if one_time_token:
            body["token"] = one_time_token
        if call_tag:
            body["call_tag"] = call_tag
        envelope = await self._send(
            "POST", self.conference_url(alias, "request_token"), headers=headers, body=body
        )
        if envelope.status_code == 200:
            grant = _token_grant(envelope.result, display_name)
            protect_secret(grant.token)
            return grant
        raise _join_error(envelope)

    async def refresh_token(self, alias: str, token: str) -> tuple[str, float | None]:
        """POST refresh_token -> (new token, expires seconds or None). Raises TokenError."""
        try:
            envelope = await self._send(
                "POST", self.conference_url(alias, "refresh_token"), headers={"token": token}
            )
        except NetworkError as exc:
            raise TokenError(f"token refresh failed: {exc.reason}") from None
        result = envelope.result
        if envelope.status_code != 200 or not isinstance(result, dict):
            raise TokenError(
                f"token refresh refused: {_reason(envelope, 'no reason given')}",
                envelope.status_code,
            )
        new_token = result.get("token")
        if not isinstance(new_token, str) or not new_token:
            raise TokenError("token refresh answer has no token", envelope.status_code)
        protect_secret(new_token)
        return new_token, _seconds(result.get("expires"))

    async def release_token(self, alias: str, token: str, reason: str | None = None) -> bool:
        """POST release_token {reason}; never raises (the session is ending anyway)."""
        body = {"reason": reason} if reason else {}
        try:
            envelope = await self._send(
                "POST",
                self.conference_url(alias, "release_token"),
                headers={"token": token},
                body=body,
                time_limit=httpx.Timeout(min(self.timeout_s, 5.0)),
            )
        except PexipError as exc:
            log.info("release_token failed: %s", exc.reason)
            return False
        released = envelope.status_code == 200
        log.info("token released (HTTP %s)", envelope.status_code)
        return released

    async def call(
        self,
        action: str,
        alias: str,
        token: str,
        method: str,
        path: str,
        body: Any = None,
    ) -> Any:
        """A token-bearing conference request; returns `result` or raises ActionError."""
        try:
            envelope = await self._send(
                method, self.conference_url(alias, path), headers={"token": token}, body=body
            )
        except NetworkError as exc:
            raise ActionError(action, exc.reason) from None
        if envelope.status_code != 200:
            raise ActionError(
                action,
                _reason(envelope, _status_phrase(envelope.status_code)),
                envelope.status_code,
            )
        if not envelope.is_json:
            raise ActionError(action, "the server answered with a body that is not JSON", 200)
        if envelope.result is False:
            raise ActionError(action, "the server refused the request (result false)", 200)
        return envelope.result


def _path_only(url: str) -> str:
    return urlsplit(url).path


def _status_phrase(status: int) -> str:
    try:
        phrase = httpx.codes.get_reason_phrase(status)
    except ValueError:
        phrase = ""
    return f"{status} {phrase}".strip()


def _decode(response: httpx.Response) -> Envelope:
    """The envelope's `result` (or the raw text for a non-JSON body, bounded)."""
    content_type = response.headers.get("content-type", "")
    text = response.text
    if content_type.startswith("application/json") or text[:1] in ("{", "["):
        try:
            data = json.loads(text)
        except ValueError:
            return Envelope(response.status_code, text[:300], False)
        result = data.get("result") if isinstance(data, dict) and "result" in data else data
        return Envelope(response.status_code, result, True)
    return Envelope(response.status_code, text[:300], False)


def _reason(envelope: Envelope, default: str) -> str:
    result = envelope.result
    if isinstance(result, str) and result.strip():
        return result
    return default


def _seconds(value: object) -> float | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return float(value) if value > 0 else None
    if isinstance(value, str):
        try:
            seconds = float(value)
        except ValueError:
            return None
        return seconds if seconds > 0 else None
    return None


def _token_grant(result: Any, display_name: str) -> TokenGrant:
    if not isinstance(result, dict):
        raise ProtocolError("request_token answer is not an object")
    token = result.get("token")
    participant_uuid = result.get("participant_uuid")
    if not isinstance(token, str) or not token:
        raise ProtocolError("request_token answer has no token")
    if not isinstance(participant_uuid, str) or not participant_uuid:
        raise ProtocolError("request_token answer has no participant_uuid")
    expires = _seconds(result.get("expires"))
    if expires is None:
        raise ProtocolError("request_token answer has no valid expires")
    role = result.get("role")

    def text(name: str) -> str | None:
        value = result.get(name)
        return value if isinstance(value, str) else None

    return TokenGrant(
        token=token,
        expires_s=expires,
        participant_uuid=participant_uuid,
        role=role if role in ("HOST", "GUEST") else "GUEST",
        display_name=text("display_name") or display_name,
        conference_name=text("conference_name") or text("service_name"),
        service_type=text("service_type"),
        current_service_type=text("current_service_type"),
        chat_enabled=result.get("chat_enabled") is True,
    )


def _join_error(envelope: Envelope) -> PexipError:
    status, result = envelope.status_code, envelope.result
    if status in (403, 415):
        if isinstance(result, str):
            if result.strip() == "Invalid PIN":
                return InvalidPinError(result)
            return AccessDeniedError(result)
        if isinstance(result, dict):
            if result.get("conference_extension") == "required":
                return ExtensionRequiredError(
                    str(result.get("conference_extension_type", "standard"))
                )
            if "pin" in result or "guest_pin" in result:
                return PinRequiredError(
                    host_pin=result.get("pin") == "required",
                    guest_pin=result.get("guest_pin") == "required",
                )
            if "idp" in result or "redirect_url" in result:
                return AccessDeniedError(
                    "This conference requires single sign-on, which pextui does not support"
                )
        return AccessDeniedError(f"access refused (HTTP {status})")
    if status == 404:
        return ConferenceNotFoundError(_reason(envelope, "Neither conference nor gateway found"))
    reason = _reason(envelope, _status_phrase(status))
    if clean_reason(reason) == "System in maintenance mode":
        return MaintenanceError(reason)
    return ServerError(status, reason)


async def connect(
    params: JoinParams,
    *,
    transport: httpx.AsyncBaseTransport | None = None,
    read_timeout_s: float | None = None,
) -> Session:
    """Join the conference described by `params` and return the live session.

    Raises the typed errors of `pextui.protocol.errors` (PinRequiredError, InvalidPinError,
    ExtensionRequiredError, ConferenceNotFoundError, MaintenanceError, ServerError,
    NetworkError, TLSError, AccessDeniedError, ProtocolError).
    """
    from pextui.protocol.session import open_session

    return await open_session(params, transport=transport, read_timeout_s=read_timeout_s)


__all__ = [
    "NO_PIN",
    "ApiClient",
    "JoinParams",
    "TokenGrant",
    "connect",
    "network_error",
]
