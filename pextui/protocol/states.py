"""Stream-state items: what the event stream and the session say besides server events.

`Connected`, `Reconnecting`, `Resynced`, `Transferred`, `Rejoined`, `TokenTrouble`,
`TokenRecovered` and `Ended` travel in the same stream as the typed events (`StreamItem`);
`Directive` is what a handler answers after an item.
"""

from __future__ import annotations

import dataclasses
import enum
from typing import Any, ClassVar, TypeGuard

from pextui.protocol.models import Event

# -- stream-state items ---------------------------------------------------------------------


@dataclasses.dataclass(frozen=True, slots=True)
class _State:
    name: ClassVar[str] = ""

    def payload(self) -> dict[str, Any]:
        return dataclasses.asdict(self)


@dataclasses.dataclass(frozen=True, slots=True)
class Connected(_State):
    """The stream is open (the server's sync follows)."""

    reconnect: bool
    name: ClassVar[str] = "stream.connected"


@dataclasses.dataclass(frozen=True, slots=True)
class Reconnecting(_State):
    """The stream broke; the next attempt starts after `delay_s` seconds."""

    attempt: int
    delay_s: float
    reason: str
    name: ClassVar[str] = "stream.reconnecting"


@dataclasses.dataclass(frozen=True, slots=True)
class Resynced(_State):
    """A reconnect's participant sync is complete: the roster was replaced wholesale."""

    participants: int
    name: ClassVar[str] = "stream.resynced"


@dataclasses.dataclass(frozen=True, slots=True)
class Transferred(_State):
    """We followed a `refer`: the session is now in conference `alias` as `participant_uuid`."""

    alias: str
    participant_uuid: str
    role: str
    name: ClassVar[str] = "stream.transferred"


@dataclasses.dataclass(frozen=True, slots=True)
class Rejoined(_State):
    """The token was lost and re-requested: we are a new participant (`participant_uuid`)."""

    participant_uuid: str
    name: ClassVar[str] = "stream.rejoined"


@dataclasses.dataclass(frozen=True, slots=True)
class Ended(_State):
    """The session is over (server `disconnect`, token lost, or closed by us)."""

    reason: str
    code: str
    name: ClassVar[str] = "stream.ended"


@dataclasses.dataclass(frozen=True, slots=True)
class TokenTrouble(_State):
    """A token refresh failed: retrying, or (`rejoining`) requesting a new token."""

    reason: str
    rejoining: bool
    name: ClassVar[str] = "stream.token_trouble"


@dataclasses.dataclass(frozen=True, slots=True)
class TokenRecovered(_State):
    """After a `TokenTrouble`: the session holds a valid token again."""

    rejoined: bool
    name: ClassVar[str] = "stream.token_recovered"


StreamState = (
    Connected
    | Reconnecting
    | Resynced
    | Transferred
    | Rejoined
    | TokenTrouble
    | TokenRecovered
    | Ended
)
StreamItem = Event | StreamState
STATE_CLASSES: tuple[type[StreamState], ...] = (
    Connected,
    Reconnecting,
    Resynced,
    Transferred,
    Rejoined,
    TokenTrouble,
    TokenRecovered,
    Ended,
)


def is_event(item: StreamItem) -> TypeGuard[Event]:
    """Whether `item` is a server event (not a stream-state item)."""
    return not isinstance(item, STATE_CLASSES)


class Directive(enum.Enum):
    """What the handler wants after an item."""

    CONTINUE = "continue"
    RECONNECT = "reconnect"  # reopen at once with the current credentials (after a refer)
    STOP = "stop"
