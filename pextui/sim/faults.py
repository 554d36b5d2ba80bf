"""Fault injection: stream drops, 502/503 errors, latency, malformed events, refused refresh,
maintenance mode."""

from __future__ import annotations

import random
from collections.abc import Mapping

from pextui.sim.config import validate_fault
from pextui.sim.events import encode_event

# The kinds of malformed event produced by the malformed-rate fault, in rotation.
MALFORMED_KINDS = ("bad-json", "missing-fields", "wrong-types", "unknown-event", "huge-event")
HUGE_EVENT_BYTES = 2 * 1024 * 1024


class Faults:
    """The active faults (name -> value) and the random source deciding when they strike."""

    def __init__(self, faults: dict[str, float], seed: int) -> None:
        self.values: dict[str, float] = {}
        self.rng = random.Random(seed ^ 0x5EED)
        self.malformed_sent = dict.fromkeys(MALFORMED_KINDS, 0)
        self.errors_sent = 0
        self.replace(faults)

    def replace(self, faults: Mapping[str, object]) -> None:
        """Validate then install a new fault set (an empty one clears them)."""
        checked = {name: validate_fault(name, value) for name, value in faults.items()}
        self.values = {name: value for name, value in checked.items() if value > 0}

    @property
    def drop_stream_after(self) -> float | None:
        return self.values.get("drop-stream-every")

    @property
    def latency_seconds(self) -> float:
        return self.values.get("latency-ms", 0.0) / 1000

    @property
    def refuse_refresh(self) -> bool:
        return self.values.get("refuse-refresh", 0.0) >= 1

    @property
    def maintenance(self) -> bool:
        """The node is in maintenance mode: new joins are refused, joined clients go on."""
        return self.values.get("maintenance", 0.0) >= 1

    def error_status(self) -> int | None:
        """502 or 503 for this request, or None."""
        rate = self.values.get("error-rate", 0.0)
        if rate and self.rng.random() < rate:
            self.errors_sent += 1
            return self.rng.choice((502, 503))
        return None

    def malform(self, name: str, data_json: bytes) -> bytes | None:
        """A malformed replacement frame for this event, or None to send it as is."""
        rate = self.values.get("malformed-rate", 0.0)
        if not rate or self.rng.random() >= rate:
            return None
        weights = (30, 25, 25, 19, 1)  # a very large event now and then
        kind = self.rng.choices(MALFORMED_KINDS, weights)[0]
        self.malformed_sent[kind] += 1
        if kind == "bad-json":
            return encode_event(name, data_json[: max(1, len(data_json) // 2)] + b"}]{")
        if kind == "missing-fields":
            return encode_event(name, b'{"unexpected":true}')
        if kind == "wrong-types":
            return encode_event(name, _wrong_types(name))
        if kind == "unknown-event":
            return encode_event("sim_unknown_event", data_json)
        padding = b"x" * HUGE_EVENT_BYTES
        return encode_event(name, b'{"uuid":"' + padding + b'","padding":true}')


def _wrong_types(name: str) -> bytes:
    if name in ("participant_create", "participant_update"):
        return (
            b'{"uuid":42,"display_name":["x"],"role":7,"is_muted":true,'
            b'"buzz_time":"soon","spotlight":"no","start_time":null}'
        )
    if name == "stage":
        return b'{"participant_uuid":1,"stage_index":"first","vad":"loud"}'
    if name == "conference_update":
        return b'{"locked":"yes","guests_muted":1,"started":"maybe"}'
    return b'"a string where an object belongs"'
