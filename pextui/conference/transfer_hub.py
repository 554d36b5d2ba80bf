"""Transfers tracked at both ends: the open conferences' stores, linked by their aliases.

A transfer is requested in its source's store (``store.transfers``); it *arrives* when the
participant appears, new, in the store of the target conference. :class:`TransferHub` links
the two: every open store tells the hub of each participant new to its roster
(``store.on_added``, set by :meth:`TransferHub.attach`), and the hub hands the sighting to
every store with a transfer waiting for that alias (``TransferTracker.arrived``, which
matches by identity: see ``arrival``).

Usage (the console app, ``pextui do transfer --wait`` and attended transfer share it)::

    hub = TransferHub(lambda: [(console.alias, console.store) for console in consoles])
    hub.attach(store, lambda: console.alias)     # whenever a console gets a (new) store
    store.transfers.request(uuid, "meet.board", watched=hub.watching("meet.board"))

No I/O, no Textual.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING

from pextui.conference.arrival import ParticipantFacts

if TYPE_CHECKING:
    from pextui.conference.store import ConferenceStore
    from pextui.conference.transfers import Transfer

OpenStores = Callable[[], Iterable[tuple[str, "ConferenceStore | None"]]]
Stores = Callable[[], Iterable["ConferenceStore | None"]]


class TransferHub:
    """Routes participants seen new in one open conference to the transfers waiting for it."""

    def __init__(self, open_stores: OpenStores, stores: Stores | None = None) -> None:
        self._open_stores = open_stores  # (alias, store) of every open conference
        # The same stores without their aliases, when that is cheaper to say: a sync tells
        # the hub of every participant (50,000 calls), and mostly no transfer is open.
        self._plain_stores = stores or (lambda: [store for _, store in open_stores()])
        self.listeners: list[Callable[[Transfer], None]] = []  # told of each arrival

    def attach(self, store: ConferenceStore, alias: Callable[[], str]) -> None:
        """Report the participants new to `store` (a conference whose alias is `alias()`)."""

        def added(participant: ParticipantFacts) -> None:
            if any(s is not None and s.transfers.waiting for s in self._plain_stores()):
                self.seen(alias(), participant)

        store.on_added = added

    def watching(self, alias: str) -> bool:
        """Is conference `alias` open (its roster observed)?"""
        folded = alias.casefold()
        return any(
            name.casefold() == folded and store is not None for name, store in self._stores()
        )

    def opened(self, alias: str) -> None:
        """Conference `alias` is now observed: transfers to it wait for the arrival."""
        for _, store in self._stores():
            if store is not None:
                store.transfers.watch(alias)

    def seen(self, alias: str, participant: ParticipantFacts) -> list[Transfer]:
        """`participant` is new in `alias`: settle the transfers it completes (at most one
        per source store; a transfer is matched once)."""
        arrived: list[Transfer] = []
        for name, store in self._stores():
            if store is None or name.casefold() == alias.casefold():
                continue
            transfers = store.transfers
            if not transfers.pending_to(alias):
                continue
            transfer = transfers.arrived(alias, participant)
            if transfer is not None:
                arrived.append(transfer)
                for listener in self.listeners:
                    listener(transfer)
        return arrived

    def _stores(self) -> list[tuple[str, ConferenceStore | None]]:
        return list(self._open_stores())
