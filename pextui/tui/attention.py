"""Attention from the conferences not in front: what changed since the host last looked.

A few times a second :func:`watch` compares each background tab's counts and stream state
with what was last seen (:class:`Seen`, O(1) per conference) and calls
:meth:`pextui.tui.console.Console.attention` for what needs the host there: a guest waiting
(in a locked room or for the host), a hand raised, the event stream lost or back. Transfers
arriving are reported by whoever tracks them, through the same method.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

from pextui.sanitize import safe_text
from pextui.tui.present import display_name

if TYPE_CHECKING:
    from pextui.conference import ConferenceStore
    from pextui.tui.console import Console

LOST_STATES = ("reconnecting", "token", "ended")


@dataclass(frozen=True, slots=True)
class Seen:
    """What the host last saw of a conference."""

    waiting: int = 0
    hands: int = 0
    state: str = "connecting"
    store: int = 0  # which store (a rejoin or a followed transfer starts a new one)
    synced: bool = False  # the roster is in (counts before that are not news)


class Watched(Protocol):
    console: Console
    seen: Seen


def seen(console: Console) -> Seen:
    store = console.store
    if store is None:
        return Seen(state=console.connection.state)
    synced = not store.syncing and store.me is not None
    return Seen(
        store.waiting_count,
        store.hands_count,
        console.connection.state,
        id(store),
        synced,
    )


def watch(tabs: Iterable[Watched], front: object) -> None:
    """Compare each tab but ``front`` with what was last seen; record what is seen now."""
    for tab in tabs:
        console, store = tab.console, tab.console.store
        now, before = seen(console), tab.seen
        tab.seen = now
        if tab is front or store is None:
            continue
        # Counts are news only between two looks at the same synced roster: a first sync, a
        # resync or a new store brings people who were already there.
        counts = before.synced and now.synced and before.store == now.store
        if counts and now.waiting > before.waiting:
            who = newest_name(store, store.newest_waiting())
            locked = bool(getattr(store.status, "locked", False))
            where = "waiting in the locked room" if locked else "waiting to be let in"
            console.attention(f"{who} is {where}", title="Waiting room")
        if counts and now.hands > before.hands:
            who = newest_name(store, store.newest_hand())
            console.attention(f"{who} raised a hand", title="Raised hand")
        if now.state != before.state:
            detail = safe_text(console.connection.detail, 100)
            if now.state in LOST_STATES:
                what = {"ended": "Disconnected", "token": "Token trouble"}.get(now.state)
                lost = what or "Event stream lost, reconnecting"
                console.attention(lost + (f": {detail}" if detail else ""), title="Stream lost")
            elif now.state == "live" and before.state in LOST_STATES:
                console.attention("Event stream back (rejoined)", title="Stream back")


def newest_name(store: ConferenceStore, uuid: str | None) -> str:
    """The display name of ``uuid`` (the newest in a queue), or "someone"."""
    record = store.roster.get(uuid) if uuid is not None else None
    return display_name(record.participant) if record is not None else "someone"
