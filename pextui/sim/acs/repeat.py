"""Repeatable requests: the same Repeatability-Request-ID is executed once, answered alike.

A request carrying `Repeatability-Request-ID` (a UUID) must carry `Repeatability-First-Sent`
(an IMF-fixdate) too, else 400. The first answer is stored with the request's fingerprint
(method, path, body); a repeat gets that answer again without executing anything. The same
ID for a different request is a 409. Records are kept for `RETENTION` seconds, and a
First-Sent older than that is refused: the server could not know whether it ran.
"""

from __future__ import annotations

import hashlib
import uuid
from dataclasses import dataclass
from email.utils import parsedate_to_datetime

from starlette.datastructures import Headers

RETENTION = 3600.0
MAX_RECORDS = 10_000
REQUEST_ID = "repeatability-request-id"
FIRST_SENT = "repeatability-first-sent"


class RepeatabilityError(Exception):
    def __init__(self, status: int, code: str, message: str) -> None:
        super().__init__(message)
        self.status, self.code, self.message = status, code, message


@dataclass(slots=True)
class Answer:
    status: int
    body: bytes
    fingerprint: str
    stored_at: float
    replays: int = 0


def fingerprint(method: str, path: str, body: bytes) -> str:
    return hashlib.sha256(f"{method} {path}\n".encode() + body).hexdigest()


def request_id(headers: Headers, now: float) -> str | None:
    """The request's Repeatability-Request-ID, checked; None when it has none."""
    raw = headers.get(REQUEST_ID)
    if raw is None:
        if headers.get(FIRST_SENT) is not None:
            raise RepeatabilityError(
                400, "BadRequest", "Repeatability-First-Sent without Repeatability-Request-ID"
            )
        return None
    try:
        uuid.UUID(raw)
    except ValueError:
        raise RepeatabilityError(
            400, "BadRequest", "Repeatability-Request-ID must be a UUID"
        ) from None
    first_sent = headers.get(FIRST_SENT)
    if first_sent is None:
        raise RepeatabilityError(
            400,
            "BadRequest",
            "Repeatability-First-Sent is required with Repeatability-Request-ID",
        )
    try:
        sent = parsedate_to_datetime(first_sent).timestamp()
    except (TypeError, ValueError, IndexError):
        raise RepeatabilityError(
            400, "BadRequest", "Repeatability-First-Sent must be an IMF-fixdate"
        ) from None
    if now - sent > RETENTION:
        raise RepeatabilityError(
            400, "BadRequest", "Repeatability-First-Sent is older than the retention period"
        )
    return raw.lower()


class RepeatabilityStore:
    def __init__(self) -> None:
        self._answers: dict[str, Answer] = {}
        self.replayed = 0

    def lookup(self, rid: str, print_: str, now: float) -> Answer | None:
        """The stored first answer for `rid` (409 if it was for another request)."""
        self._expire(now)
        answer = self._answers.get(rid)
        if answer is None:
            return None
        if answer.fingerprint != print_:
            raise RepeatabilityError(
                409, "Conflict", "Repeatability-Request-ID was already used for another request"
            )
        answer.replays += 1
        self.replayed += 1
        return answer

    def store(self, rid: str, answer: Answer) -> None:
        if len(self._answers) >= MAX_RECORDS:
            oldest = min(self._answers, key=lambda k: self._answers[k].stored_at)
            del self._answers[oldest]
        self._answers[rid] = answer

    def _expire(self, now: float) -> None:
        old = [k for k, a in self._answers.items() if now - a.stored_at > RETENTION]
        for key in old:
            del self._answers[key]

    def __len__(self) -> int:
        return len(self._answers)
