"""What a join needs: node URL, alias, display name, PIN, Virtual Reception target, TLS policy."""

from __future__ import annotations

from dataclasses import dataclass, field
from urllib.parse import urlsplit

from pextui.protocol.errors import protect_secret
from pextui.protocol.requests import validate_alias

NO_PIN = "none"
"""Send this as the PIN to join as a guest of a conference whose guests need no PIN."""
DEFAULT_TIMEOUT_S = 10.0


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
        # The URL itself is never quoted back: a mistyped one may carry a PIN or token.
        if parts.scheme not in ("http", "https"):
            raise ValueError("node URL must start with https:// (or http:// for loopback)")
        if not parts.hostname:
            raise ValueError("node URL has no host name")
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
