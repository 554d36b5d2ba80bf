"""Tokens: issue, refresh (with a short grace for the old one), release, expiry, one-time."""

from __future__ import annotations

import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass


@dataclass
class Session:
    """The token state of one API participant."""

    participant_uuid: str
    conference_alias: str
    via_alias: str  # the alias used to join (a Virtual Reception, or the conference itself)
    token: str
    expires_at: float
    previous_token: str | None = None
    previous_valid_until: float = 0.0


@dataclass
class OneTimeToken:
    """A token handed out in a `refer` event: joins `alias` once, with `role`, no PIN."""

    alias: str
    role: str  # "chair" | "guest"
    display_name: str
    valid_until: float
    breakout_uuid: str | None = None  # from request_guest_token: joins that breakout room


def new_token() -> str:
    return secrets.token_urlsafe(32)


class TokenStore:
    def __init__(
        self,
        lifetime: float,
        refresh_grace: float,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.lifetime = lifetime
        self.refresh_grace = refresh_grace
        self.clock = clock
        self._by_token: dict[str, Session] = {}
        self._by_participant: dict[str, Session] = {}
        self._one_time: dict[str, OneTimeToken] = {}

    def issue(self, participant_uuid: str, conference_alias: str, via_alias: str) -> Session:
        session = Session(
            participant_uuid,
            conference_alias,
            via_alias,
            new_token(),
            self.clock() + self.lifetime,
        )
        self._by_token[session.token] = session
        self._by_participant[participant_uuid] = session
        return session

    def lookup(self, token: str | None) -> Session | None:
        """The live session of this token, or None (unknown, expired, superseded)."""
        if not token:
            return None
        session = self._by_token.get(token)
        if session is None:
            return None
        now = self.clock()
        if token == session.token:
            return session if now < session.expires_at else None
        return session if now < session.previous_valid_until else None

    def refresh(self, session: Session) -> Session:
        if session.previous_token is not None:
            self._by_token.pop(session.previous_token, None)
        session.previous_token = session.token
        session.previous_valid_until = self.clock() + self.refresh_grace
        session.token = new_token()
        session.expires_at = self.clock() + self.lifetime
        self._by_token[session.token] = session
        return session

    def drop_participant(self, participant_uuid: str) -> None:
        session = self._by_participant.pop(participant_uuid, None)
        if session is not None:
            self._by_token.pop(session.token, None)
            if session.previous_token is not None:
                self._by_token.pop(session.previous_token, None)

    def session_of(self, participant_uuid: str) -> Session | None:
        return self._by_participant.get(participant_uuid)

    def expired(self) -> list[Session]:
        """Sessions whose current token has expired (their participants are to be removed)."""
        now = self.clock()
        return [s for s in self._by_participant.values() if s.expires_at <= now]

    def issue_one_time(
        self,
        alias: str,
        role: str,
        display_name: str,
        ttl: float,
        *,
        breakout_uuid: str | None = None,
    ) -> str:
        token = new_token()
        self._one_time[token] = OneTimeToken(
            alias, role, display_name, self.clock() + ttl, breakout_uuid
        )
        return token

    def redeem_one_time(self, token: str, alias: str) -> OneTimeToken | None:
        """Consume a one-time token for `alias`; None if unknown, used, expired or elsewhere."""
        entry = self._one_time.get(token)
        if entry is None or entry.alias != alias:
            return None
        del self._one_time[token]
        return entry if self.clock() < entry.valid_until else None

    def count(self) -> int:
        return len(self._by_participant)
