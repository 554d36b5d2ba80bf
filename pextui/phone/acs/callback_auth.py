"""Checking the signed JWT that Call Automation sends with every mid-call callback.

Every callback carries `Authorization: Bearer <JWT>` (RS256, 5 minutes lifetime, a new
token per event). It is checked the OpenID Connect way: the OpenID configuration (by
default Microsoft's) gives the `issuer` and the `jwks_uri`; the key set behind `jwks_uri`
gives the public keys by `kid`. A token passes when its signature matches the key its
`kid` names, `iss` is that issuer, `aud` is the ACS resource's immutable resource id, and
`exp` has not passed (with a little clock-skew leeway).

Keys are fetched at start, refreshed in the background every hour, and fetched again when
a token names a `kid` not known yet (key rotation), at most once per `refetch_interval`,
so a flood of forged tokens cannot make pextui hammer the key endpoint. When the keys
cannot be had, callbacks are refused (fail closed) and `problem` says why, once, until
the keys are back; keys fetched before keep working for at most `MAX_KEY_AGE`. A token
is never logged, and a refusal's reason never quotes it.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import re
import ssl
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import httpx
import jwt
from cryptography.hazmat.primitives.asymmetric.rsa import RSAPublicKey
from jwt.algorithms import RSAAlgorithm

log = logging.getLogger("pextui.phone.acs")

DEFAULT_OPENID_CONFIG = (
    "https://acscallautomation.communication.azure.com/calling/.well-known/acsopenidconfiguration"
)
ALGORITHM = "RS256"
LEEWAY = 60.0  # seconds of clock difference tolerated on exp / nbf / iat
KEYS_TTL = 3600.0  # keys older than this are refreshed in the background
MAX_KEY_AGE = 24 * 3600.0  # keys not refreshed for this long are no longer trusted
REFETCH_INTERVAL = 30.0  # at most one fetch of the keys per this many seconds
FETCH_TIMEOUT = 10.0
MAX_DOCUMENT = 256 * 1024  # the OpenID configuration or the key set
MAX_TOKEN = 16 * 1024
MIN_KEY_BITS = 2048
LOG_EVERY = 10.0  # seconds between two log lines for the same refusal reason
_BEARER = re.compile(r"bearer[ \t]+([A-Za-z0-9_.=-]+)[ \t]*", re.IGNORECASE)

_REASONS: tuple[tuple[type[Exception], str], ...] = (
    (jwt.ExpiredSignatureError, "expired"),
    (jwt.InvalidAudienceError, "wrong audience"),
    (jwt.InvalidIssuerError, "wrong issuer"),
    (jwt.InvalidSignatureError, "bad signature"),
    (jwt.ImmatureSignatureError, "not valid yet"),
    (jwt.MissingRequiredClaimError, "a required claim is missing"),
    (jwt.InvalidAlgorithmError, "algorithm not allowed"),
    (jwt.DecodeError, "malformed token"),
)


class KeysUnavailable(Exception):
    """The OpenID configuration or the key set could not be fetched or read."""


@dataclass(frozen=True, slots=True)
class CallbackAuth:
    """The settings: the audience (the resource's immutable id) and where the keys are."""

    audience: str
    openid_config: str = DEFAULT_OPENID_CONFIG


@dataclass(frozen=True, slots=True)
class Refusal:
    status: int  # 401: no valid token; 503: the keys to check it are not at hand
    reason: str  # short, fixed text: never the token or anything from it


def public_keys(jwks: object) -> dict[str, RSAPublicKey]:
    """The usable signing keys of a JWKS document by kid (RSA, >= 2048 bits, for RS256)."""
    entries = jwks.get("keys") if isinstance(jwks, dict) else None
    if not isinstance(entries, list):
        raise KeysUnavailable("the key set has no 'keys' list")
    keys: dict[str, RSAPublicKey] = {}
    for entry in entries:
        if not isinstance(entry, dict) or entry.get("kty") != "RSA":
            continue
        kid = entry.get("kid")
        if not isinstance(kid, str) or not kid or entry.get("use", "sig") != "sig":
            continue
        if entry.get("alg", ALGORITHM) != ALGORITHM:
            continue
        try:
            key = RSAAlgorithm.from_jwk(entry)
        except (jwt.PyJWTError, ValueError, TypeError, KeyError):
            continue
        if isinstance(key, RSAPublicKey) and key.key_size >= MIN_KEY_BITS:
            keys[kid] = key
    if not keys:
        raise KeysUnavailable("the key set holds no usable RS256 key")
    return keys


class CallbackVerifier:
    def __init__(
        self,
        settings: CallbackAuth,
        *,
        ca: str | None = None,
        refetch_interval: float = REFETCH_INTERVAL,
        clock: Callable[[], float] = time.monotonic,
        on_change: Callable[[], None] | None = None,
    ) -> None:
        self.settings = settings
        self.refetch_interval = refetch_interval
        self.clock = clock
        self.on_change = on_change
        self.problem = ""  # why callbacks may be refused for want of keys ("" when fine)
        self.refused: Counter[str] = Counter()
        self.accepted = 0
        self._attempts = 0  # fetches of the keys tried (scheduled and on demand)
        self.ca = ca
        self._http: httpx.AsyncClient | None = None
        self._issuer = ""
        self._keys: dict[str, RSAPublicKey] = {}
        self._fetched_at: float | None = None
        self._demanded_at: float | None = None
        self._lock = asyncio.Lock()
        self._background: asyncio.Task[None] | None = None
        self._logged: dict[str, tuple[float, int]] = {}

    @property
    def fetches(self) -> int:
        return self._attempts

    def describe(self) -> str:
        host = urlsplit(self.settings.openid_config).netloc
        audience = self.settings.audience
        return f"ACS callbacks: signed JWT required (audience {audience}, keys from {host})"

    # -- lifecycle ---------------------------------------------------------------------

    async def start(self) -> None:
        """Fetch the keys now (a failure is a `problem`, never an exception) and keep them fresh."""
        try:
            verify = ssl.create_default_context(cafile=self.ca) if self.ca else True
        except (OSError, ssl.SSLError) as error:
            self._set_problem(f"cannot read the CA file ({type(error).__name__})")
        else:
            self._http = httpx.AsyncClient(
                verify=verify, timeout=FETCH_TIMEOUT, follow_redirects=False
            )
            await self.refresh()
        self._background = asyncio.create_task(self._refresh_forever())

    async def close(self) -> None:
        if self._background is not None:
            self._background.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await self._background
            self._background = None
        if self._http is not None:
            await self._http.aclose()
            self._http = None

    async def _refresh_forever(self) -> None:
        while True:
            await asyncio.sleep(max(self.refetch_interval, 1.0))
            fetched = self._fetched_at
            if self.problem or fetched is None or self.clock() - fetched >= KEYS_TTL:
                await self.refresh()

    # -- the keys ----------------------------------------------------------------------

    async def refresh(self, *, on_demand: bool = False) -> None:
        """Fetch the OpenID configuration and the key set. `on_demand` (a callback named a
        kid not known) fetches at most once per `refetch_interval`; concurrent callers
        share one fetch."""
        attempt = self._attempts
        async with self._lock:
            if self._attempts != attempt:
                return  # fetched while we waited for the lock
            now = self.clock()
            last = self._demanded_at
            if on_demand:
                if last is not None and now - last < self.refetch_interval:
                    return
                self._demanded_at = now
            self._attempts += 1
            try:
                issuer, keys = await self._fetch()
            except KeysUnavailable as why:
                self._set_problem(str(why))
                return
            self._issuer, self._keys, self._fetched_at = issuer, keys, now
            self._set_problem("")

    async def _fetch(self) -> tuple[str, dict[str, RSAPublicKey]]:
        config = await self._get_json(self.settings.openid_config, "the OpenID configuration")
        if not isinstance(config, dict):
            raise KeysUnavailable("the OpenID configuration is not a JSON object")
        issuer, jwks_uri = config.get("issuer"), config.get("jwks_uri")
        if not isinstance(issuer, str) or not issuer or len(issuer) > 2048:
            raise KeysUnavailable("the OpenID configuration names no issuer")
        if not isinstance(jwks_uri, str) or urlsplit(jwks_uri).scheme != "https":
            raise KeysUnavailable("the OpenID configuration names no https jwks_uri")
        return issuer, public_keys(await self._get_json(jwks_uri, "the key set"))

    async def _get_json(self, url: str, what: str) -> Any:
        if self._http is None:
            raise KeysUnavailable("not started")
        try:
            async with self._http.stream("GET", url, headers={"accept": "application/json"}) as r:
                if r.status_code != 200:
                    raise KeysUnavailable(f"{what} answered HTTP {r.status_code}")
                body = bytearray()
                async for chunk in r.aiter_bytes():
                    body += chunk
                    if len(body) > MAX_DOCUMENT:
                        raise KeysUnavailable(f"{what} is too large")
        except httpx.HTTPError as error:
            raise KeysUnavailable(f"{what} is unreachable ({type(error).__name__})") from None
        try:
            return json.loads(body)
        except (ValueError, RecursionError):
            raise KeysUnavailable(f"{what} is not JSON") from None

    def _set_problem(self, why: str) -> None:
        was = bool(self.problem)
        if why:
            fetched = self._fetched_at is not None
            self.problem = (
                f"cannot refresh Call Automation's signing keys: {why}; callbacks signed "
                "with a new key are refused"
                if fetched
                else f"callbacks refused: cannot fetch Call Automation's signing keys: {why}"
            )
            if not was:
                log.warning("ACS: %s", self.problem)
        else:
            self.problem = ""
            if was:
                log.warning("ACS: Call Automation's signing keys fetched again")
        if was != bool(self.problem) and self.on_change is not None:
            self.on_change()

    # -- checking a callback -----------------------------------------------------------

    async def check(self, authorization: str | None) -> Refusal | None:
        """None when the header holds a valid token; otherwise why it is refused."""
        refusal = await self._check(authorization)
        if refusal is None:
            self.accepted += 1
        else:
            self.refused[refusal.reason] += 1
            self._log_refusal(refusal)
        return refusal

    async def _check(self, authorization: str | None) -> Refusal | None:
        if not authorization:
            return Refusal(401, "no bearer token")
        found = _BEARER.fullmatch(authorization) if len(authorization) <= MAX_TOKEN else None
        if found is None:
            return Refusal(401, "malformed Authorization header")
        token = found.group(1)
        try:
            header = jwt.get_unverified_header(token)
        except (jwt.PyJWTError, ValueError, TypeError):
            return Refusal(401, "malformed token")
        if header.get("alg") != ALGORITHM:
            return Refusal(401, "algorithm not allowed")
        kid = header.get("kid")
        if not isinstance(kid, str) or not kid:
            return Refusal(401, "no key id")
        if kid not in self._keys or self._too_old():
            await self.refresh(on_demand=True)  # a rotation, or a forgery: rate-limited
        key = None if self._too_old() else self._keys.get(kid)
        if key is None:
            if self.problem:
                return Refusal(503, "signing keys unavailable")
            return Refusal(401, "unknown signing key")
        return self._decode(token, key)

    def _too_old(self) -> bool:
        fetched = self._fetched_at
        return fetched is not None and self.clock() - fetched > MAX_KEY_AGE

    def _decode(self, token: str, key: RSAPublicKey) -> Refusal | None:
        try:
            jwt.decode(
                token,
                key,
                algorithms=[ALGORITHM],
                audience=self.settings.audience,
                issuer=self._issuer,
                leeway=LEEWAY,
                options={"require": ["exp", "iss", "aud"]},
            )
        except Exception as error:  # whatever a hostile token provokes is a refusal
            reason = next((r for kind, r in _REASONS if isinstance(error, kind)), "invalid token")
            return Refusal(401, reason)
        return None

    def _log_refusal(self, refusal: Refusal) -> None:
        now = self.clock()
        last, quiet = self._logged.get(refusal.reason, (None, 0))
        if last is not None and now - last < LOG_EVERY:
            self._logged[refusal.reason] = (last, quiet + 1)
            return
        more = f" (and {quiet} more like it)" if quiet else ""
        log.warning("ACS callback refused (%d): %s%s", refusal.status, refusal.reason, more)
        self._logged[refusal.reason] = (now, 0)
