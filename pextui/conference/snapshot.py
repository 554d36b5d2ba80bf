"""``store_snapshot``: the whole conference state as JSON-able values."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from pextui.conference.records import ParticipantRecord

if TYPE_CHECKING:
    from pextui.conference.store import ConferenceStore


def record_snapshot(record: ParticipantRecord) -> dict[str, Any]:
    return {
        "participant": record.participant.model_dump(mode="json"),
        "version": record.version,
        "joined_at": record.joined_at,
        "last_spoken": record.last_spoken,
        "pending": [action.to_json() for action in record.pending],
    }


def store_snapshot(store: ConferenceStore) -> dict[str, Any]:
    """Status, roster (arrival order), derived orders, stage, layout, chat and outcomes."""
    return {
        "self_uuid": store.self_uuid,
        "syncing": store.syncing,
        "status": store.status.model_dump(mode="json"),
        "roster": [record_snapshot(record) for record in store.roster.values()],
        "view": {
            "sort": store.index.sort,
            "reverse": store.index.reverse,
            "filter": store.index.filter_text,
            "order": list(store.index),
        },
        "waiting_room": list(store.waiting_room),
        "raised_hands": list(store.raised_hands),
        "spotlight": list(store.spotlight),
        "stage": [entry.model_dump(mode="json") for entry in store.stage],
        "layout": None if store.layout is None else store.layout.model_dump(mode="json"),
        "presentation": None if store.presentation is None else store.presentation.to_json(),
        "chat": [entry.to_json() for entry in store.chat],
        "caption": None if store.caption is None else store.caption.model_dump(mode="json"),
        "splash": None if store.splash is None else store.splash.model_dump(mode="json"),
        "refer": None if store.refer is None else store.refer.model_dump(mode="json"),
        "disconnect_reason": store.disconnect_reason,
        "actions": [action.to_json() for action in store.actions],
        "transfers": [transfer.to_json() for transfer in store.transfers],
        "breakouts": {
            uuid: {
                "participant_uuid": room.participant_uuid,
                "needs_help": room.needs_help,
                **store_snapshot(room.store),
            }
            for uuid, room in store.breakouts.items()
        },
        "current_breakout": store.rooms.current,
        "help_requests": [request.to_json() for request in store.rooms.help_requests],
        "captions": [line.to_json() for line in store.captions],
        "presentation_frame": store.presentation_frame,
    }
