"""`ApiClient`: one node's client REST API v2 over one `httpx.AsyncClient`.

Every answer becomes either the envelope's `result` or a typed error of
`pextui.protocol.errors`; transport failures become NetworkError/TLSError without the URL
(the event stream URL carries `?token=`).
"""

from __future__ import annotations

import logging
import ssl
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlsplit

import httpx

from pextui.protocol.answers import (
    Envelope,
    TokenGrant,
    decode_envelope,
    join_error,
    parse_seconds,
    result_reason,
    status_phrase,
    token_grant,
)
from pextui.protocol.errors import (
    ActionError,
    MaintenanceError,
    NetworkError,
    PexipError,
    ServerError,
    TLSError,
    TokenError,
    protect_secret,
    scrub,
)
from pextui.protocol.params import DEFAULT_TIMEOUT_S

log = logging.getLogger("pextui.protocol")

API_PREFIX = "/api/client/v2"
USER_AGENT = "pextui"
MAX_FRAME_BYTES = 8 * 1024 * 1024  # a presentation frame larger than this is refused


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


_CONTEXTS: dict[str, ssl.SSLContext] = {}  # built once per process (~0.1 s each)


def _ssl_verify(verify: bool | str, scheme: str) -> bool | ssl.SSLContext:
    if verify is True:
        # An http:// node is never reached over TLS (every URL is built from it and
        # redirects are not followed): it needs no CA bundle. Its context still verifies,
        # with no CA at all, so any TLS peer would be refused.
        kind = "none" if scheme == "http" else "default"
        if kind not in _CONTEXTS:
            plain = kind == "none"
            _CONTEXTS[kind] = (
                ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT) if plain else httpx.create_ssl_context()
            )
        return _CONTEXTS[kind]
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
    if isinstance(exc, httpx.TimeoutException):
        return NetworkError(f"{host} did not answer in time ({exc.__class__.__name__})")
    detail = scrub(str(exc))
    if _is_tls_failure(exc):
        return TLSError(
            f"TLS handshake with {host} failed: {detail or exc.__class__.__name__} "
            "(use --ca-bundle for a private CA, or --insecure to skip the check)"
        )
    if isinstance(exc, httpx.ConnectError):
        return NetworkError(f"cannot connect to {host}: {detail or 'connection failed'}")
    return NetworkError(f"connection to {host} failed: {exc.__class__.__name__}")


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
            verify=_ssl_verify(verify, urlsplit(self.base_url).scheme),
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
        return decode_envelope(response)

    async def check_status(self) -> None:
        """GET /api/client/v2/status: 503 means the node is in maintenance mode."""
        envelope = await self._send("GET", f"{self.base_url}{API_PREFIX}/status")
        if envelope.status_code == 503:
            reason = envelope.result if isinstance(envelope.result, str) else None
            raise MaintenanceError(reason or "System in maintenance mode")
        if envelope.status_code >= 500:
            raise ServerError(envelope.status_code, result_reason(envelope, "server error"))

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
        # The console shows direct messages as private: say so (the SDK's default is false).
        body: dict[str, Any] = {
            "display_name": display_name,
            "breakout_rooms": True,
            "supports_direct_chat": True,
        }
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
            grant = token_grant(envelope.result, display_name)
            protect_secret(grant.token)
            return grant
        raise join_error(envelope)

    async def refresh_token(self, alias: str, token: str) -> tuple[str, float | None, str | None]:
        """POST refresh_token -> (new token, expires or None, role or None). Raises TokenError."""
        try:
            envelope = await self._send(
                "POST", self.conference_url(alias, "refresh_token"), headers={"token": token}
            )
        except NetworkError as exc:
            raise TokenError(f"token refresh failed: {exc.reason}") from None
        result = envelope.result
        if envelope.status_code != 200 or not isinstance(result, dict):
            raise TokenError(
                f"token refresh refused: {result_reason(envelope, 'no reason given')}",
                envelope.status_code,
            )
        new_token = result.get("token")
        if not isinstance(new_token, str) or not new_token:
            raise TokenError("token refresh answer has no token", envelope.status_code)
        protect_secret(new_token)
        role = result.get("role")
        return (
            new_token,
            parse_seconds(result.get("expires")),
            role if role in ("HOST", "GUEST") else None,
        )

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
                result_reason(envelope, status_phrase(envelope.status_code)),
                envelope.status_code,
            )
        if not envelope.is_json:
            raise ActionError(action, "the server answered with a body that is not JSON", 200)
        if envelope.result is False:
            raise ActionError(action, "the server refused the request (result false)", 200)
        return envelope.result

    async def fetch_frame(self, alias: str, token: str, frame_id: str, high: bool = False) -> bytes:
        """GET presentation(_high).jpeg?id=<frame>: the frame's JPEG, or ActionError."""
        action = "presentation_high.jpeg" if high else "presentation.jpeg"
        params = {"id": frame_id} if frame_id else {}
        try:
            async with self.http.stream(
                "GET", self.conference_url(alias, action), params=params, headers={"token": token}
            ) as response:
                chunks: list[bytes] = []
                size = 0
                async for chunk in response.aiter_bytes():
                    size += len(chunk)
                    if size > MAX_FRAME_BYTES:
                        raise ActionError(action, "the frame is larger than 8 MB")
                    chunks.append(chunk)
        except httpx.HTTPError as exc:
            raise ActionError(action, network_error(exc, self.host).reason) from None
        body = b"".join(chunks)
        if response.status_code != 200:
            envelope = decode_envelope(
                httpx.Response(response.status_code, content=body, headers=response.headers)
            )
            reason = result_reason(envelope, status_phrase(response.status_code))
            raise ActionError(action, reason, response.status_code)
        if not response.headers.get("content-type", "").startswith("image/jpeg"):
            raise ActionError(action, "the server did not answer with a JPEG image", 200)
        return body


def _path_only(url: str) -> str:
    return urlsplit(url).path
