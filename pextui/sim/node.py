"""The simulated Conferencing Node: its conferences, receptions, tokens and faults."""

from __future__ import annotations

import asyncio
import random
import time
from collections.abc import Mapping
from typing import Any

from pextui.sim.breakouts import Breakouts
from pextui.sim.captions import Captioner
from pextui.sim.conference import REASON_TOKEN_EXPIRED, Conference
from pextui.sim.config import SimConfig, VmrConfig
from pextui.sim.faults import Faults
from pextui.sim.participants import Participant
from pextui.sim.population import populate
from pextui.sim.splash import Splashes
from pextui.sim.tokens import TokenStore

SCENARIOS = ("quiet", "demo", "workshop")
MAX_PARTICIPANTS = 200_000
VERSION = {"version_id": "36", "pseudo_version": "77972.0.0"}


class Node:
    """All simulated state. Mutated only on the server's event loop."""

    def __init__(self, config: SimConfig) -> None:
        if config.scenario not in SCENARIOS:
            raise ValueError(
                f"unknown scenario {config.scenario!r} (expected {', '.join(SCENARIOS)})"
            )
        if not 0 <= config.participants <= MAX_PARTICIPANTS:
            raise ValueError(f"participants must be between 0 and {MAX_PARTICIPANTS}")
        self.config = config
        self.timings = config.timings
        self.rng = random.Random(config.seed)
        self.faults = Faults(dict(config.faults), config.seed)
        self.tokens = TokenStore(float(config.token_expires), self.timings.refresh_grace)
        self.conferences: dict[str, Conference] = {}
        self.receptions: dict[str, VmrConfig] = {}
        self.churn_rate = float(config.churn)
        self.transfer_overlap = float(config.transfer_overlap)
        self.started_at = time.time()
        self.loop: asyncio.AbstractEventLoop | None = None
        self._timers: set[asyncio.TimerHandle] = set()
        self.captioner = Captioner(self.call_later, self.timings.caption_final, config.seed)
        self.breakouts: dict[str, Breakouts] = {}
        for vmr in config.resolved_vmrs():
            if vmr.kind == "reception":
                self.receptions[vmr.alias] = vmr
            else:
                conference = Conference(vmr, self.faults, self.tokens.drop_participant)
                self.conferences[vmr.alias] = conference
                conference.splashes = Splashes(conference) if config.theme else None
                self.breakouts[vmr.alias] = Breakouts(self, conference)
                self.captioner.attach(conference)
        if self.main_conference is not None and config.participants:
            populate(self.main_conference, config.participants, config.seed)

    @property
    def main_conference(self) -> Conference | None:
        """Where the scenario, --participants and --churn happen: the first conference."""
        return next(iter(self.conferences.values()), None)

    def conference_for_token(self, alias: str, token: str | None) -> tuple[Conference, str] | None:
        """(conference, participant uuid) for a live token used under `alias`, else None."""
        session = self.tokens.lookup(token)
        if session is None or alias not in (session.conference_alias, session.via_alias):
            return None
        conference = self.conferences.get(session.conference_alias)
        if conference is None or conference.member(session.participant_uuid) is None:
            return None
        return conference, session.participant_uuid

    def find_participant(self, uuid: str) -> tuple[Conference, Participant] | None:
        for conference in self.conferences.values():
            participant = conference.participants.get(uuid)
            if participant is not None:
                return conference, participant
        return None

    # ---- timers and background work

    def call_later(self, delay: float, callback: Any, *args: Any) -> None:
        """Run `callback(*args)` on the loop after `delay` seconds (cancelled at shutdown)."""
        loop = asyncio.get_running_loop()
        handle: asyncio.TimerHandle

        def fire() -> None:
            self._timers.discard(handle)
            callback(*args)

        handle = loop.call_later(delay, fire)
        self._timers.add(handle)

    def cancel_timers(self) -> None:
        for handle in self._timers:
            handle.cancel()
        self._timers.clear()

    def expire_tokens(self) -> int:
        """Remove the participants whose token expired; their streams get `disconnect`."""
        removed = 0
        for session in self.tokens.expired():
            conference = self.conferences.get(session.conference_alias)
            self.tokens.drop_participant(session.participant_uuid)
            if conference is not None and conference.remove(
                session.participant_uuid, REASON_TOKEN_EXPIRED
            ):
                removed += 1
        return removed

    async def run_expiry(self) -> None:
        while True:
            await asyncio.sleep(self.timings.expiry_sweep)
            self.expire_tokens()

    def close_all_streams(self) -> None:
        for conference in self.conferences.values():
            for stream in tuple(conference.streams):
                stream.close("server shutting down")

    def apply_faults(self, faults: Mapping[str, object]) -> None:
        self.faults.replace(faults)
        drop_after = self.faults.drop_stream_after
        for conference in self.conferences.values():
            for stream in conference.streams:
                stream.drop_after = drop_after

    # ---- the truth

    def snapshot(self) -> dict[str, Any]:
        return {
            "version": VERSION,
            "uptime": round(time.time() - self.started_at, 3),
            "churn": self.churn_rate,
            "transfer_overlap": self.transfer_overlap,
            "rejecting_gateways": list(self.config.rejecting_gateways),
            "faults": dict(self.faults.values),
            "faults_fired": {
                "errors": self.faults.errors_sent,
                "malformed": dict(self.faults.malformed_sent),
            },
            "tokens": self.tokens.count(),
            "receptions": [
                {"alias": vmr.alias, "name": vmr.service_name, "kind": vmr.kind}
                for vmr in self.receptions.values()
            ],
            "conferences": [
                {**c.snapshot(), "breakouts": self.breakouts[c.alias].snapshot()}
                for c in self.conferences.values()
            ],
        }
