"""Typed errors of the Pexip client, each carrying the server's reason.

Messages are built only from the server's reason strings and our own words: never from a
request URL (the event stream URL carries `?token=`), a header, a PIN or a token. Reason
strings from the network are cleaned (control characters removed, length bounded) and
scrubbed of any secret registered with `redact_secrets`.
"""

from __future__ import annotations

import re

from pextui.logs import register_secret

# docs/protocol.md, "Error strings": error strings -> Pexip error codes; anything else is #pex117.
_ERROR_CODES: dict[str, str] = {
    "Invalid role": "#pex100",
    "Invalid PIN": "#pex101",
    "Out of proxying resource": "#pex109",
    "System in maintenance mode": "#pex110",
    "502 Bad Gateway": "#pex111",
    "503 Service Unavailable": "#pex112",
    "Invalid token": "#pex113",
    "Timer expired awaiting token refresh": "#pex113",
    "Out of resource": "#pex114",
    "Out of transcoding resource": "#pex114",
    "transfer failed": "#pex115",
    "Unexpected Response: 503": "#pex116",
    "Failed to forward request": "#pex119",
    "Conference host ended the conference with a DTMF command": "#pex120",
    "API initiated conference termination": "#pex121",
    "API initiated participant disconnect": "#pex122",
    "Conference terminated by an administrator": "#pex122",
    "Disconnected by an administrator": "#pex123",
    "Disconnected by another participant": "#pex124",
    "Conference terminated by another participant": "#pex125",
    "Timeout waiting for conference host to join or permit access to locked conference": (
        "#pex126"
    ),
    "Disabled": "#pex127",
    "Signaling node disconnected": "#pex129",
    "Media process disconnected": "#pex130",
    "Media node disconnected": "#pex131",
    "Proxied participant disconnected": "#pex132",
    "No participants can keep conference alive": "#pex140",
    "All conference hosts departed hosted conference": "#pex141",
    "Last remaining participant removed from conference after timeout": "#pex142",
    "Test call finished": "#pex143",
    "Call rejected": "#pex150",
    "Call disconnected": "#pex151",
    "Gateway dial out failed": "#pex152",
    "invalid gateway routing rule transform": "#pex153",
    "Neither conference nor gateway found": "#pex154",
    "No direct route between Edge and Transcoding": "#pex156",
    "404 Not Found": "#pex157",
    "Resource unavailable": "#pex191",
    "Participant exceeded PIN entry retries": "#pex192",
    "Invalid license": "#pex193",
    "Participant limit reached": "#pex194",
    "Insufficient licenses": "#pex195",
    "Ice failure": "#pex196",
    "Telehealth Call failure": "#pex197",
    "SSO Authentication Failed": "#pex200",
    "SSO enabled but no Identity Providers configured": "#pex201",
    "Failed to transfer into a multi-party conference": "#pex210",
    "Failed to transfer into a one-to-one conference": "#pex211",
}
UNKNOWN_ERROR_CODE = "#pex117"
MAX_REASON_LENGTH = 300

_secrets: set[str] = set()
_TOKEN_QUERY = re.compile(r"(token=)[^&\s\"']+", re.IGNORECASE)
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")


def error_code(reason: str) -> str:
    """The Pexip error code (`#pexNNN`) for a server reason string."""
    return _ERROR_CODES.get(reason.strip(), UNKNOWN_ERROR_CODE)


def redact_secrets(*values: str | None) -> None:
    """Remember values (PINs, tokens) that must never appear in an error message."""
    for value in values:
        if value and len(value) >= 3 and value.lower() != "none":
            _secrets.add(value)


def protect_secret(value: str | None) -> None:
    """Hide `value` from error messages and from every log record (pextui.logs)."""
    if not value or value.lower() == "none":
        return
    redact_secrets(value)
    register_secret(value)


def forget_secrets(*values: str | None) -> None:
    """Stop scrubbing values that are no longer secret (a released token)."""
    for value in values:
        if value:
            _secrets.discard(value)


def scrub(text: str) -> str:
    """Remove registered secrets and `token=` query values from `text`."""
    text = _TOKEN_QUERY.sub(r"\1[redacted]", text)
    for secret in sorted(_secrets, key=len, reverse=True):
        if secret in text:
            text = text.replace(secret, "[redacted]")
    return text


def clean_reason(value: object) -> str:
    """A server reason made safe to show: a string, printable, bounded and scrubbed."""
    text = value if isinstance(value, str) else repr(value)
    text = _CONTROL.sub(" ", text).strip()
    if len(text) > MAX_REASON_LENGTH:
        text = text[: MAX_REASON_LENGTH - 1] + "…"
    return scrub(text) or "no reason given"


class PexipError(Exception):
    """Base of every error of the Pexip client. `reason` is safe to show to a user."""

    def __init__(self, reason: str) -> None:
        self.reason = clean_reason(reason)
        self.code = error_code(self.reason)
        super().__init__(self.reason)


class JoinError(PexipError):
    """Joining the conference (request_token) was refused."""


class PinRequiredError(JoinError):
    """The conference needs a PIN. `host_pin`/`guest_pin`: whether each role has one."""

    def __init__(self, host_pin: bool, guest_pin: bool) -> None:
        self.host_pin = host_pin
        self.guest_pin = guest_pin
        if guest_pin:
            reason = "A PIN is required to join this conference"
        else:
            reason = "A host PIN is required (guests may join without a PIN)"
        super().__init__(reason)


class InvalidPinError(JoinError):
    """The PIN was wrong (server reason `Invalid PIN`)."""

    def __init__(self, reason: str = "Invalid PIN") -> None:
        super().__init__(reason)


class ExtensionRequiredError(JoinError):
    """The alias is a Virtual Reception: a target conference (extension) is needed."""

    def __init__(self, kind: str) -> None:
        self.kind = clean_reason(kind)
        super().__init__(
            f"This alias is a Virtual Reception ({self.kind}): give the target conference "
            "with --extension"
        )


class ConferenceNotFoundError(JoinError):
    """404: no conference or gateway answers to the alias (or the extension)."""

    def __init__(self, reason: str = "Neither conference nor gateway found") -> None:
        super().__init__(reason)


class AccessDeniedError(JoinError):
    """Any other refusal of request_token (e.g. PIN entry retries exceeded, SSO needed)."""


class MaintenanceError(PexipError):
    """The Conferencing Node is in maintenance mode (503 on /api/client/v2/status)."""

    def __init__(self, reason: str = "System in maintenance mode") -> None:
        super().__init__(reason)


class ServerError(PexipError):
    """The server answered 5xx or an undocumented status."""

    def __init__(self, status: int, reason: str) -> None:
        self.status = status
        super().__init__(reason)
        self.args = (str(self),)

    def __str__(self) -> str:
        return f"{self.reason} (HTTP {self.status})"


class ProtocolError(PexipError):
    """The server answered with a body we cannot understand (not JSON, wrong shape)."""


class NetworkError(PexipError):
    """The node could not be reached, or it did not answer in time."""


class TLSError(NetworkError):
    """The TLS handshake failed (certificate not trusted, wrong host name, ...)."""


class TokenError(PexipError):
    """A token could not be refreshed (`status`: the HTTP status, None for no answer)."""

    def __init__(self, reason: str, status: int | None = None) -> None:
        self.status = status
        super().__init__(reason)


# "mute failed: " (a client's action name) and "Transfer failed: " (the node's own wording):
# where the message already says what failed, the reason is shown without them.
_FAILED_PREFIX = re.compile(r"^\s*[\w ]{1,40}? failed:\s*", re.IGNORECASE)


def without_failed_prefix(text: str) -> str:
    """``text`` without leading "<action> failed:" prefixes (never emptied)."""
    while (stripped := _FAILED_PREFIX.sub("", text, count=1)) != text and stripped:
        text = stripped
    return text


class ActionError(PexipError):
    """A host function failed. `action` names it; `status` is the HTTP status if any."""

    def __init__(self, action: str, reason: str, status: int | None = None) -> None:
        self.action = action
        self.status = status
        super().__init__(reason)
        self.args = (str(self),)

    def __str__(self) -> str:
        return f"{self.action} failed: {self.reason}"


class SessionClosedError(PexipError):
    """The session was closed (by us or by the server) before the call."""

    def __init__(self, reason: str = "The session is closed") -> None:
        super().__init__(reason)
