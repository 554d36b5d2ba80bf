"""The console's phone side: runs the PBX session (and the ACS endpoint, when there is one)
in workers and toggles the phone panel.

Kept out of the app module (which only creates it, binds F3 and stops it on quit), so the
phone desk's wiring stays small while the console's own structure changes around it.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from textual.worker import Worker, WorkerCancelled, WorkerFailed

from pextui.phone.yeastar.session import YeastarSession
from pextui.tui.widgets.phone_panel import PhonePanel

if TYPE_CHECKING:
    from pextui.conference import ConferenceStore
    from pextui.phone.acs.session import AcsSession
    from pextui.protocol.session import Session
    from pextui.tui.app import PextuiApp

log = logging.getLogger(__name__)

PHONE_GROUP = "phone"
STOP_TIMEOUT_S = 3.0


def roster_entries(store: ConferenceStore) -> Iterable[tuple[str, str, str]]:
    for record in store.roster.values():
        participant = record.participant
        yield record.uuid, participant.display_name, participant.uri


class PhoneDesk:
    def __init__(
        self, app: PextuiApp, session: YeastarSession | None, acs: AcsSession | None = None
    ) -> None:
        self.app = app
        self.session = session
        self.acs = acs

    def start(self) -> None:
        if self.session is not None:
            self.app.run_worker(self.session.run(), group=PHONE_GROUP, name="phone-desk",
                                exit_on_error=False)  # fmt: skip
        if self.acs is not None:
            self.acs.on_warning = self._acs_warning
            self.app.run_worker(self.acs.run(), group=PHONE_GROUP, name="acs-endpoint",
                                exit_on_error=False)  # fmt: skip

    def _acs_warning(self, text: str) -> None:
        """One notification when ACS callbacks start being refused, one when they stop."""
        if text:
            self.app.notify(text, title="ACS callbacks", severity="warning", timeout=30)
        else:
            self.app.notify("Call Automation's signing keys are back", title="ACS callbacks")

    def rosters(self) -> list[tuple[str, Iterable[tuple[str, str, str]]]]:
        """Every open conference's alias and roster (the one in front first), for arrivals."""
        found: list[tuple[str, Iterable[tuple[str, str, str]]]] = []
        front = self.app.current
        others = [console for console in self.app.consoles if console is not front]
        for console in [front, *others] if front is not None else others:
            store: ConferenceStore | None = console.store
            session: Session | None = console.session
            if store is not None and session is not None:
                found.append((console.alias, roster_entries(store)))
        return found

    def panel(self) -> PhonePanel | None:
        found = self.app.screen.query(PhonePanel)
        return found.first() if found else None

    def toggle(self) -> None:
        shown = self.panel()
        if shown is not None:
            shown.remove()
            return
        panel = PhonePanel(self.session, self.rosters, clock=self.app.clock, acs=self.acs)
        self.app.screen.mount(panel)  # it focuses its call list once mounted

    async def stop(self) -> None:
        """End the event stream and let the worker revoke the token."""
        try:
            if self.session is not None:
                await self.session.stop()
            if self.acs is not None:
                await self.acs.stop()
        except Exception as exc:  # stopping must never fail loudly
            log.warning("stopping the phone desk failed: %s", type(exc).__name__)
        running = [w for w in self.app.workers if w.group == PHONE_GROUP and not w.is_finished]
        await asyncio.gather(*(self._finish(worker) for worker in running))

    @staticmethod
    async def _finish(worker: Worker[Any]) -> None:
        """Wait for one phone worker (they end together, not one after the other)."""
        try:
            await asyncio.wait_for(worker.wait(), STOP_TIMEOUT_S)
        except (TimeoutError, WorkerFailed, WorkerCancelled):
            worker.cancel()
