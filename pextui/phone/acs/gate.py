"""What gets into the desk: each event once (ACS delivers at least once), and events for a
call connection not known yet kept until it is (a callback may overtake answer's reply)."""

from __future__ import annotations

from collections import OrderedDict

from pextui.phone.acs.events import CallEvent

SEEN_EVENTS = 10_000
EARLY_CALLS = 1_000
EARLY_PER_CALL = 50


class EventGate:
    def __init__(self) -> None:
        self._seen: OrderedDict[str, None] = OrderedDict()
        self._early: dict[str, list[CallEvent]] = {}
        self.duplicates = 0

    def first_time(self, event_id: str) -> bool:
        """True the first time `event_id` is seen (an empty id always passes)."""
        if not event_id:
            return True
        if event_id in self._seen:
            self.duplicates += 1
            return False
        self._seen[event_id] = None
        if len(self._seen) > SEEN_EVENTS:
            self._seen.popitem(last=False)
        return True

    def hold(self, event: CallEvent) -> None:
        """Keep an event of a call connection not known yet (bounded)."""
        early = self._early.get(event.call_connection_id)
        if early is None:
            if len(self._early) >= EARLY_CALLS:
                return
            early = self._early[event.call_connection_id] = []
        if len(early) < EARLY_PER_CALL:
            early.append(event)

    def release(self, call_connection_id: str) -> list[CallEvent]:
        return self._early.pop(call_connection_id, [])
