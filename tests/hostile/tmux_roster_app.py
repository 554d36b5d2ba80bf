"""Run inside tmux by test_hostile_tmux_widths: the console's roster and side panels showing
the names given as a JSON list in argv[1] (no network, frozen clock)."""

from __future__ import annotations

import json
import sys

from textual import events

from pextui.conference import ConferenceStore
from pextui.protocol.models import parse_event
from pextui.sim.participants import make_participant

FROZEN = 1_700_000_000.0


def store_of(names: list[str]) -> ConferenceStore:
    store = ConferenceStore(clock=lambda: FROZEN)
    events = [parse_event("participant_sync_begin", "{}")]
    for number, name in enumerate(names):
        participant = make_participant(
            display_name=name,
            role="guest",
            protocol="sip",
            service_type="conference" if number % 4 else "waiting_room",
            local_alias="meet.demo",
            start_time=FROZEN - 60 * number,
            uuid=f"wide-{number:02d}",
            uri=f"sip:wide{number}@example.com",
            is_muted=number % 2 == 0,
        )
        events.append(parse_event("participant_create", participant.json()))
    events.append(parse_event("participant_sync_end", "{}"))
    for event in events:
        assert event is not None
        store.apply(event)
    return store


def main() -> None:
    from test_hostile_snapshot import HostileScreen

    from pextui.tui import present
    from pextui.tui.app import PextuiApp
    from pextui.tui.widgets.panels import StagePanel, StageView
    from pextui.tui.widgets.roster import Roster

    class WideScreen(HostileScreen):
        def on_mount(self, event: events.Mount) -> None:
            event.prevent_default()  # not HostileScreen's own filling
            names = [present.display_name(r.participant) for r in self.store.roster.values()]
            speakers = tuple((name, 50.0) for name in names[:8])
            self.query_one(StagePanel).show(StageView(speakers=speakers, layout="ac"))
            self.query_one(Roster).sync(reordered=True)

    class WideApp(PextuiApp):
        def on_mount(self, event: events.Mount) -> None:
            event.prevent_default()  # not the connect screen
            self.push_screen(WideScreen(store))

    with open(sys.argv[1], encoding="utf-8") as source:
        store = store_of(json.load(source))
    WideApp(clock=lambda: FROZEN).run()


if __name__ == "__main__":
    main()
