"""The change feed: what changed since the UI last looked (``ConferenceStore.drain_changes``)."""

from __future__ import annotations

from dataclasses import dataclass, field, fields


@dataclass(slots=True)
class Changes:
    """Changed / removed participant uuids and one flag per other part of the state."""

    changed: set[str] = field(default_factory=set)
    removed: set[str] = field(default_factory=set)
    status: bool = False
    stage: bool = False
    layout: bool = False
    chat: bool = False
    waiting: bool = False
    hands: bool = False
    spotlight: bool = False
    presentation: bool = False
    roster_order: bool = False
    actions: bool = False
    transfers: bool = False
    refer: bool = False
    disconnect: bool = False
    captions: bool = False
    splash: bool = False
    breakouts: bool = False
    resynced: bool = False

    def __bool__(self) -> bool:
        return any(getattr(self, f.name) for f in fields(self))

    def participant_changed(self, uuid: str) -> None:
        self.changed.add(uuid)
        self.removed.discard(uuid)

    def participant_removed(self, uuid: str) -> None:
        self.removed.add(uuid)
        self.changed.discard(uuid)

    def flags(self) -> list[str]:
        """Names of the flags that are set (for logs and tests)."""
        return [
            f.name
            for f in fields(self)
            if f.name not in ("changed", "removed") and getattr(self, f.name)
        ]
