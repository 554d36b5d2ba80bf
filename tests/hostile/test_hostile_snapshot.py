"""Snapshot (SVG) of the console's widgets showing the whole hostile corpus: roster, stage,
raised hands, chat, event log and a notification.

Deterministic: participants with fixed uuids and times, a frozen clock, UTC timestamps.
A plain `def` test (snap_compare runs its own loop). Update deliberately with
``pytest tests/hostile/test_hostile_snapshot.py --snapshot-update`` and review the SVG: every
markup string must read literally, no colour, link or title may come from the corpus.
"""

from __future__ import annotations

from typing import Any

from textual import events
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.screen import Screen

from pextui.conference import ConferenceStore
from pextui.protocol.models import parse_event
from pextui.sim.participants import make_participant
from pextui.tui import present
from pextui.tui.app import PextuiApp
from pextui.tui.stylesheets import CONFERENCE_CSS
from pextui.tui.widgets.chat import ChatPanel
from pextui.tui.widgets.event_log import EventLog
from pextui.tui.widgets.panels import QueuePanel, QueueView, StagePanel, StageView
from pextui.tui.widgets.roster import Roster
from pextui.tui.widgets.roster_columns import RowFacts
from tests.hostile.corpus import CORPUS, MARKUP_LIKE, WIDE_NAMES, Hostile

FROZEN = 1_700_000_000.0


# The corpus plus names terminals draw at different widths and broken / steering markup.
SNAPSHOT_CORPUS: tuple[Hostile, ...] = (
    *CORPUS,
    *(Hostile(f"wide-{n}", text, text) for n, text in enumerate(WIDE_NAMES)),
    *(Hostile(f"markup-{n}", text, text) for n, text in enumerate(MARKUP_LIKE)),
)


def hostile_store(entries: tuple[Hostile, ...] = CORPUS) -> ConferenceStore:
    store = ConferenceStore(clock=lambda: FROZEN)
    events = [parse_event("participant_sync_begin", "{}")]
    for number, entry in enumerate(entries):
        participant = make_participant(
            display_name=entry.text,
            role="chair" if number == 0 else "guest",
            protocol="sip",
            service_type="conference",
            local_alias="meet.demo",
            start_time=FROZEN - 60 * number,
            uuid=f"hostile-{number:02d}",
            uri=f"sip:{entry.key}@example.com",
            is_muted=number % 2 == 0,
        )
        if number % 3 == 0:
            participant.update(buzz_time=FROZEN - number)
        events.append(parse_event("participant_create", participant.json()))
    events.append(parse_event("participant_sync_end", "{}"))
    for event in events:
        assert event is not None
        store.apply(event)
    return store


class HostileScreen(Screen[None]):
    """The conference screen's widgets, filled from a store of hostile participants."""

    CSS_PATH = CONFERENCE_CSS  # styled as the conference screen is

    def __init__(self, store: ConferenceStore, entries: tuple[Hostile, ...] = CORPUS) -> None:
        super().__init__()
        self.store = store
        self.entries = entries

    def facts(self, uuid: str) -> RowFacts:
        return RowFacts(now=FROZEN, vad=0.0, spotlight_order=0, hand_order=0, pending="")

    def compose(self) -> ComposeResult:
        with Horizontal(id="main"):
            with Vertical(id="left"):
                yield Roster(self.store.index, self.store.roster, self.facts, id="roster")
            with Vertical(id="side"):
                yield StagePanel(id="stage")
                yield QueuePanel("no hands raised", id="hands")
                yield ChatPanel(id="chat")
        yield EventLog(id="events")

    def on_mount(self) -> None:
        store = self.store
        names = {uuid: present.display_name(rec.participant) for uuid, rec in store.roster.items()}
        order = sorted(names)
        self.query_one(StagePanel).show(
            StageView(speakers=tuple((names[u], 50.0) for u in order[:6]), layout="ac")
        )
        hands = tuple((names[u], FROZEN - 30) for u in store.raised_hands)
        self.query_one("#hands", QueuePanel).show(QueueView(hands, FROZEN))
        chat = self.query_one(ChatPanel)
        log = self.query_one(EventLog)
        for entry, uuid in zip(self.entries, order, strict=True):
            chat.add(entry.text, entry.text, at=FROZEN)
            log.record(f"{names[uuid]} joined", at=FROZEN)
        self.query_one(Roster).sync(reordered=True)


class HostileApp(PextuiApp):
    def __init__(
        self, store: ConferenceStore, reason: Hostile, entries: tuple[Hostile, ...] = CORPUS
    ) -> None:
        super().__init__(clock=lambda: FROZEN)
        self.hostile_store = store
        self.reason = reason
        self.entries = entries

    def on_mount(self, event: events.Mount) -> None:
        event.prevent_default()  # not the connect screen of PextuiApp
        self.push_screen(HostileScreen(self.hostile_store, self.entries))
        self.notify(self.reason.text, title="Disconnected", severity="error", timeout=600)


def test_hostile_corpus_snapshot(snap_compare: Any, utc: None) -> None:
    reason = next(e for e in CORPUS if e.key == "markup-action")
    app = HostileApp(hostile_store(SNAPSHOT_CORPUS), reason, SNAPSHOT_CORPUS)
    assert snap_compare(app, terminal_size=(120, 60))
