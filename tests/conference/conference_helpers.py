"""Builders for protocol events and a scripted clock, shared by the conference tests."""

from __future__ import annotations

import json
from typing import Any

from pextui.conference import ConferenceStore
from pextui.protocol.models import Event, parse_event


class FakeClock:
    """A clock the test moves by hand."""

    def __init__(self, now: float = 1_000.0) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


def person(uuid: str, name: str | None = None, **fields: Any) -> dict[str, Any]:
    """A v28-style participant object with overrides."""
    obj: dict[str, Any] = {
        "uuid": uuid,
        "display_name": name if name is not None else uuid.title(),
        "role": "guest",
        "is_muted": "NO",
        "is_presenting": "NO",
        "is_video_muted": False,
        "buzz_time": 0,
        "spotlight": 0,
        "start_time": 0,
        "service_type": "conference",
        "uri": f"sip:{uuid}@example.com",
        "local_alias": "meet.demo",
    }
    obj.update(fields)
    return obj


_EMPTY: Any = object()


def event(name: str, data: Any = _EMPTY) -> Event:
    """Parse ``data`` (default ``{}``; pass None for JSON null) as event ``name``."""
    parsed = parse_event(name, json.dumps({} if data is _EMPTY else data))
    assert parsed is not None
    return parsed


def create(uuid: str, name: str | None = None, **fields: Any) -> Event:
    return event("participant_create", person(uuid, name, **fields))


def update(uuid: str, name: str | None = None, **fields: Any) -> Event:
    return event("participant_update", person(uuid, name, **fields))


def delete(uuid: str) -> Event:
    return event("participant_delete", {"uuid": uuid})


def sync(*participants: dict[str, Any]) -> list[Event]:
    return [
        event("participant_sync_begin"),
        *(event("participant_create", p) for p in participants),
        event("participant_sync_end"),
    ]


def apply_all(store: ConferenceStore, events: list[Event]) -> None:
    for item in events:
        store.apply(item)


def new_store(clock: FakeClock | None = None) -> ConferenceStore:
    return ConferenceStore(clock=clock or FakeClock())


def expected_order(store: ConferenceStore) -> list[str]:
    """The index's order computed from scratch: filter, then sort with the same key."""
    index = store.index
    needle = index.filter_text
    records = [r for r in store.roster.values() if not needle or needle in r.search_text]
    records.sort(key=index.key, reverse=index.reverse)
    return [r.uuid for r in records]
