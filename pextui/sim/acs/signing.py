"""How the simulated Call Automation signs its callbacks, as the real one does: a JWT in
`Authorization: Bearer ...` on every callback (RS256, 5 minutes lifetime, a new token per
delivery), checkable through an OpenID configuration and a key set served at Azure's paths:

    GET /calling/.well-known/acsopenidconfiguration   {"issuer", "jwks_uri", ...}
    GET /calling/keys                                 {"keys": [JWK, ...]}

The RSA key is made per run (`cryptography`); the issuer is the simulator's own base URL,
the audience the simulated resource's immutable resource id. After a rotation the key set
holds the new key and the one before it. The faults make tokens that must be refused.
"""

from __future__ import annotations

import json
import secrets
import time
import uuid
from collections import Counter
from typing import Any

import jwt
from cryptography.hazmat.primitives.asymmetric import rsa
from jwt.algorithms import RSAAlgorithm

from pextui.sim.acs.faults import AcsFaults

OPENID_PATH = "/calling/.well-known/acsopenidconfiguration"
JWKS_PATH = "/calling/keys"
ALGORITHM = "RS256"
LIFETIME = 300  # seconds, as Microsoft documents
KEY_BITS = 2048
PUBLISHED_KEYS = 2  # the current key and the one before it


def _new_key() -> tuple[str, rsa.RSAPrivateKey]:
    return secrets.token_hex(8), rsa.generate_private_key(public_exponent=65537, key_size=KEY_BITS)


class CallbackSigner:
    def __init__(self, audience: str) -> None:
        self.audience = audience
        self.issuer = ""  # the server's base URL, set once it is bound
        self._keys = [_new_key()]  # newest first
        self._stray: rsa.RSAPrivateKey | None = None  # a key nobody publishes
        self.fetches: Counter[str] = Counter()
        self.signed: Counter[str] = Counter()  # "valid" or the fault that struck

    @property
    def kid(self) -> str:
        return self._keys[0][0]

    @property
    def openid_url(self) -> str:
        return self.issuer + OPENID_PATH

    def rotate(self) -> str:
        """A new signing key with a new kid (the old one stays published a while)."""
        self._keys = [_new_key(), *self._keys][:PUBLISHED_KEYS]
        return self.kid

    def openid_configuration(self) -> dict[str, Any]:
        return {
            "issuer": self.issuer,
            "jwks_uri": self.issuer + JWKS_PATH,
            "id_token_signing_alg_values_supported": [ALGORITHM],
        }

    def jwks(self) -> dict[str, Any]:
        keys = []
        for kid, key in self._keys:
            jwk = json.loads(RSAAlgorithm.to_jwk(key.public_key()))
            keys.append({**jwk, "kid": kid, "use": "sig", "alg": ALGORITHM})
        return {"keys": keys}

    def authorization(self, faults: AcsFaults, now: float | None = None) -> str | None:
        """The Authorization header of one callback delivery (None: send none)."""
        if faults.rotate_key():
            self.rotate()
        fault = faults.token_fault()
        self.signed[fault or "valid"] += 1
        if fault == "token-missing-next":
            return None
        issued = int(time.time() if now is None else now)
        kid, key = self._keys[0]
        claims: dict[str, Any] = {
            "iss": self.issuer,
            "aud": self.audience,
            "iat": issued,
            "nbf": issued,
            "exp": issued + LIFETIME,
            "jti": str(uuid.uuid4()),
        }
        if fault == "token-wrong-key-next":
            if self._stray is None:
                self._stray = rsa.generate_private_key(public_exponent=65537, key_size=KEY_BITS)
            key = self._stray  # same kid: only the signature gives it away
        elif fault == "token-expired-next":
            claims.update(
                iat=issued - 2 * LIFETIME, nbf=issued - 2 * LIFETIME, exp=issued - LIFETIME
            )
        elif fault == "token-wrong-audience-next":
            claims["aud"] = str(uuid.uuid4())
        elif fault == "token-wrong-issuer-next":
            claims["iss"] = "https://acscallautomation.invalid"
        token = jwt.encode(claims, key, algorithm=ALGORITHM, headers={"kid": kid})
        return f"Bearer {token}"
