"""Who may open the console: the binding rule, the secret, browser sessions, Host and Origin.

* Loopback (127.0.0.0/8, ::1, localhost) is the default and needs no secret. Any other
  address needs `--allow-remote` AND a secret of at least MIN_SECRET_CHARS characters, read
  from PEXTUI_SERVE_SECRET (never from the command line, where `ps` shows it).
* With a secret, the browser presents it once (a sign-in form, or `?key=` on the first URL,
  which is answered with a redirect to the bare URL); the server answers with a random session
  cookie (HttpOnly, SameSite=Strict). The page and the WebSocket both require that cookie.
  The secret itself is never put in a page, a URL the server prints, or a log line.
* Without a secret, the Host header must name the loopback address the server listens on:
  a web page that rebinds its own DNS name to 127.0.0.1 gets no console.
* Always: a WebSocket whose Origin is not the page's own host is refused, so no other web
  site open in the same browser can drive the console.
"""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
import secrets
from collections import OrderedDict
from urllib.parse import urlsplit

from pextui.logs import register_secret

SECRET_ENV = "PEXTUI_SERVE_SECRET"
MIN_SECRET_CHARS = 16
COOKIE = "pextui_session"
MAX_SESSIONS = 256  # browser sessions remembered; the oldest is forgotten first
MAKE_SECRET_HINT = (
    f"export {SECRET_ENV}=\"$(python3 -c 'import secrets; print(secrets.token_urlsafe(24))')\""
)


class BindRefused(ValueError):
    """The address / secret combination is not allowed; the message says what to do."""


def is_loopback(host: str) -> bool:
    """True for localhost, 127.0.0.0/8 and ::1 (brackets allowed)."""
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def check_binding(host: str, *, allow_remote: bool, secret: str | None) -> None:
    """Raise BindRefused unless serving on `host` with this secret is allowed."""
    loopback = is_loopback(host)
    if not loopback and not allow_remote:
        raise BindRefused(
            f"{host} is not a loopback address: anyone who reaches it could drive the console. "
            f"Pass --allow-remote and set {SECRET_ENV} (the browser is asked for it)."
        )
    if not loopback and not secret:
        raise BindRefused(
            f"--allow-remote needs a secret the browser must present: set {SECRET_ENV} to at "
            f"least {MIN_SECRET_CHARS} random characters, e.g. {MAKE_SECRET_HINT}"
        )
    if secret is not None and len(secret) < MIN_SECRET_CHARS:
        raise BindRefused(
            f"{SECRET_ENV} is too short: use at least {MIN_SECRET_CHARS} random characters, "
            f"e.g. {MAKE_SECRET_HINT}"
        )


def _digest(value: str) -> bytes:
    return hashlib.sha256(value.encode("utf-8", "surrogatepass")).digest()


def host_of(netloc: str) -> str:
    """The host part of `host:port` / `[v6]:port`, lower-cased."""
    return (urlsplit(f"//{netloc}").hostname or "").lower()


class Access:
    """The checks every request goes through; one instance per server."""

    def __init__(self, secret: str | None) -> None:
        self._secret = _digest(secret) if secret else None
        if secret:
            register_secret(secret)
        self._sessions: OrderedDict[bytes, None] = OrderedDict()
        self.allowed_hosts: set[str] = set()  # Host header values accepted without a secret

    @property
    def needs_secret(self) -> bool:
        return self._secret is not None

    def listen_on(self, host: str, port: int) -> None:
        """Accept the Host headers a browser sends for this loopback address."""
        bare = host.strip("[]").lower()
        names = {"localhost", "127.0.0.1", "[::1]", f"[{bare}]" if ":" in bare else bare}
        for name in names:
            self.allowed_hosts.add(f"{name}:{port}")
            if port == 80:
                self.allowed_hosts.add(name)

    def host_allowed(self, host_header: str | None) -> bool:
        if self._secret is not None:
            return bool(host_header)
        return (host_header or "").lower() in self.allowed_hosts

    def origin_allowed(self, origin: str | None, host_header: str | None) -> bool:
        """No Origin (not a browser) passes; a browser's Origin must be this very host."""
        if origin is None:
            return True
        parts = urlsplit(origin)
        if parts.scheme not in ("http", "https") or not parts.netloc:
            return False
        return parts.netloc.lower() == (host_header or "").lower()

    def secret_matches(self, presented: str | None) -> bool:
        if self._secret is None:
            return True
        if not presented:
            return False
        return hmac.compare_digest(_digest(presented), self._secret)

    def new_session(self) -> str:
        """A fresh session value for the cookie (never the secret itself)."""
        value = secrets.token_urlsafe(32)
        register_secret(value)
        self._sessions[_digest(value)] = None
        while len(self._sessions) > MAX_SESSIONS:
            self._sessions.popitem(last=False)
        return value

    def signed_in(self, cookie: str | None) -> bool:
        if self._secret is None:
            return True
        return bool(cookie) and _digest(cookie or "") in self._sessions
