"""Microsoft's Call Automation SDK (async) as the phone desk uses it.

Every mutating call takes a `Repeatable` (Repeatability-Request-ID + First-Sent): the SDK
would make up fresh ones per call, which would let a retry execute twice. Passed as
`headers=`, the SDK's request builders keep ours. A transfer target is `+E164` (a
PhoneNumberIdentifier, e.g. a conference's PSTN number) or a SIP address / alias (sent as
a raw id, which the simulator routes; real ACS reaches Pexip by phone number).
"""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.utils import format_datetime
from typing import Any

from azure.communication.callautomation import (
    CallConnectionProperties,
    PhoneNumberIdentifier,
    UnknownIdentifier,
)
from azure.communication.callautomation.aio import CallAutomationClient
from azure.core.exceptions import HttpResponseError

from pextui.phone.acs.connection import ConnectionString

E164 = re.compile(r"^\+[1-9][0-9]{6,14}$")
DEFAULT_TIMEOUT = 10.0


@dataclass(frozen=True, slots=True)
class Repeatable:
    """The two headers that make a request safe to send again."""

    request_id: str = field(default_factory=lambda: str(uuid.uuid4()))
    first_sent: str = field(default_factory=lambda: format_datetime(datetime.now(UTC), usegmt=True))

    def headers(self) -> dict[str, str]:
        return {
            "Repeatability-Request-ID": self.request_id,
            "Repeatability-First-Sent": self.first_sent,
        }


def target_identifier(target: str) -> PhoneNumberIdentifier | UnknownIdentifier:
    """`+E164` -> a phone number; otherwise a SIP address (`sip:` added when missing)."""
    text = target.strip()
    if E164.match(text):
        return PhoneNumberIdentifier(text)
    if not text or any(c.isspace() for c in text) or len(text) > 256:
        raise ValueError(f"not a phone number (+E164) or SIP address: {target!r}")
    return UnknownIdentifier(text if text.lower().startswith("sip:") else f"sip:{text}")


class AcsClient:
    """One SDK client for one ACS resource; `async with AcsClient(...) as acs:`."""

    def __init__(
        self,
        connection: ConnectionString,
        *,
        verify: str | bool = True,
        timeout: float = DEFAULT_TIMEOUT,
        retries: int = 2,
        backoff: float = 0.5,
    ) -> None:
        self.connection = connection
        self._sdk = CallAutomationClient.from_connection_string(
            connection.text(),
            connection_verify=verify,
            connection_timeout=timeout,
            read_timeout=timeout,
            retry_total=retries,
            retry_backoff_factor=backoff,
            retry_backoff_max=5,
        )

    async def __aenter__(self) -> AcsClient:
        await self._sdk.__aenter__()
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.close()

    async def close(self) -> None:
        await self._sdk.close()

    async def answer(
        self, incoming_call_context: str, callback_url: str, repeat: Repeatable, context: str
    ) -> CallConnectionProperties:
        return await self._sdk.answer_call(
            incoming_call_context,
            callback_url,
            operation_context=context,
            headers=repeat.headers(),
        )

    async def properties(self, call_connection_id: str) -> CallConnectionProperties:
        return await self._sdk.get_call_connection(call_connection_id).get_call_properties()

    async def transfer(
        self,
        call_connection_id: str,
        target: str,
        *,
        operation_context: str,
        callback_url: str | None,
        repeat: Repeatable,
    ) -> Any:
        connection = self._sdk.get_call_connection(call_connection_id)
        return await connection.transfer_call_to_participant(
            target_identifier(target),
            operation_context=operation_context,
            operation_callback_url=callback_url,
            headers=repeat.headers(),
        )

    async def hang_up(self, call_connection_id: str, *, for_everyone: bool = False) -> None:
        connection = self._sdk.get_call_connection(call_connection_id)
        if for_everyone:
            await connection.hang_up(True, headers=Repeatable().headers())
        else:
            await connection.hang_up(False)


def describe_error(error: HttpResponseError) -> str:
    """`STATUS CODE message` of an ACS error answer, short (never holds the key)."""
    code = error.error.code if error.error is not None else None
    message = error.error.message if error.error is not None else error.reason
    return " ".join(str(p) for p in (error.status_code, code, message) if p)[:300]
