"""Access and refresh tokens of the simulated PBX, with their lifetimes and the 8-token limit."""

from __future__ import annotations

import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass


@dataclass
class TokenPair:
    access: str
    refresh: str
    access_expires: float
    refresh_expires: float


def _token() -> str:
    return secrets.token_urlsafe(24)[:32]


class PbxTokens:
    def __init__(
        self,
        access_ttl: float,
        refresh_ttl: float,
        limit: int,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.access_ttl = access_ttl
        self.refresh_ttl = refresh_ttl
        self.limit = limit
        self.clock = clock
        self._pairs: list[TokenPair] = []
        self.issued = 0
        self.revoked = 0

    def _sweep(self) -> None:
        now = self.clock()
        self._pairs = [p for p in self._pairs if p.refresh_expires > now]

    def valid(self) -> int:
        """Access tokens valid right now (what the limit counts)."""
        now = self.clock()
        return sum(1 for p in self._pairs if p.access_expires > now)

    def issue(self) -> TokenPair | None:
        """A new pair, or None when `limit` access tokens are valid already."""
        self._sweep()
        if self.valid() >= self.limit:
            return None
        now = self.clock()
        pair = TokenPair(_token(), _token(), now + self.access_ttl, now + self.refresh_ttl)
        self._pairs.append(pair)
        self.issued += 1
        return pair

    def is_valid(self, access: str | None) -> bool:
        if not access:
            return False
        now = self.clock()
        return any(p.access == access and p.access_expires > now for p in self._pairs)

    def refresh(self, refresh: str) -> TokenPair | None:
        """Both tokens renewed (the old pair stops working), or None for an unknown one."""
        self._sweep()
        for pair in self._pairs:
            if refresh and pair.refresh == refresh:
                self._pairs.remove(pair)
                now = self.clock()
                new = TokenPair(_token(), _token(), now + self.access_ttl, now + self.refresh_ttl)
                self._pairs.append(new)
                self.issued += 1
                return new
        return None

    def revoke(self, access: str | None) -> bool:
        for pair in self._pairs:
            if access and pair.access == access:
                self._pairs.remove(pair)
                self.revoked += 1
                return True
        return False

    def expire_access(self) -> None:
        """Test control: every access token expires now (refresh tokens stay valid)."""
        now = self.clock()
        for pair in self._pairs:
            pair.access_expires = now
