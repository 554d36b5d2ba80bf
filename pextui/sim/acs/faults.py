"""Faults of the simulated ACS: 5xx, latency, lost / duplicated / reordered callbacks, and
badly signed callbacks (wrong key, expired, wrong audience or issuer, no token), a new
signing key mid-run, the key endpoints down.

Rates strike at random (seeded); `*-next` counts strike the next N times, for tests that
must know exactly what happens. `lose-answer-next` executes the request and then answers
503, as a front door failing after the service did the work: a retry with the same
Repeatability-Request-ID must get the first answer without executing twice.
"""

from __future__ import annotations

import random
from collections.abc import Mapping

FAULTS: dict[str, str] = {
    "error-rate": "fraction of API requests answered 503 before they run",
    "fail-next": "the next N API requests are answered 503 before they run",
    "lose-answer-next": "the next N API requests run, then are answered 503",
    "latency-ms": "delay before every API answer (after the request ran)",
    "callback-loss": "fraction of callbacks never delivered",
    "lose-callback-next": "the next N callbacks are never delivered",
    "callback-duplicate": "fraction of callbacks delivered twice",
    "duplicate-callback-next": "the next N callbacks are delivered twice",
    "callback-reorder": "1: callbacks of one burst are delivered in reverse order",
    "callback-delay-ms": "delay before each callback burst",
    "transfer-delay-ms": "time a transfer takes to settle (default 200)",
    "token-missing-next": "the next N callbacks carry no Authorization header",
    "token-wrong-key-next": "the next N callbacks are signed by a key not in the key set",
    "token-expired-next": "the next N callbacks carry a token that expired 5 minutes ago",
    "token-wrong-audience-next": "the next N callbacks' tokens name another resource",
    "token-wrong-issuer-next": "the next N callbacks' tokens name another issuer",
    "rotate-key-next": "a new signing key (new kid) before each of the next N callbacks",
    "keys-down": "1: the OpenID configuration and the key set answer 503",
}
TOKEN_FAULTS = (
    "token-missing-next",
    "token-wrong-key-next",
    "token-expired-next",
    "token-wrong-audience-next",
    "token-wrong-issuer-next",
)
COUNTS = (
    "fail-next",
    "lose-answer-next",
    "lose-callback-next",
    "duplicate-callback-next",
    "rotate-key-next",
    *TOKEN_FAULTS,
)
RATES = ("error-rate", "callback-loss", "callback-duplicate")
MAX_VALUE = 1_000_000.0


def validate(name: str, value: object) -> float:
    if name not in FAULTS:
        raise ValueError(f"unknown ACS fault {name!r} (known: {', '.join(FAULTS)})")
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        raise ValueError(f"fault {name} needs a number")
    try:
        number = float(value)
    except ValueError:
        raise ValueError(f"fault {name} needs a number, not {value!r}") from None
    if not 0 <= number <= (1 if name in RATES else MAX_VALUE):
        raise ValueError(f"fault {name}={number:g} is out of range")
    return number


def parse(text: str) -> tuple[str, float]:
    name, sep, value = text.partition("=")
    if not sep:
        raise ValueError(f"expected NAME=VALUE, got {text!r}")
    return name.strip(), validate(name.strip(), value.strip())


class AcsFaults:
    def __init__(self, faults: Mapping[str, object] | None = None, seed: int = 1) -> None:
        self.rng = random.Random(seed ^ 0xAC5)
        self.values: dict[str, float] = {}
        self.replace(faults or {})

    def replace(self, faults: Mapping[str, object]) -> None:
        checked = {name: validate(name, value) for name, value in faults.items()}
        self.values = {name: value for name, value in checked.items() if value > 0}

    def update(self, faults: Mapping[str, object]) -> None:
        merged = {**self.values, **{n: validate(n, v) for n, v in faults.items()}}
        self.values = {name: value for name, value in merged.items() if value > 0}

    def _take(self, count: str, rate: str | None = None) -> bool:
        left = self.values.get(count, 0.0)
        if left >= 1:
            self.values[count] = left - 1
            if self.values[count] < 1:
                del self.values[count]
            return True
        chance = self.values.get(rate, 0.0) if rate else 0.0
        return bool(chance) and self.rng.random() < chance

    def fail_before(self) -> bool:
        return self._take("fail-next", "error-rate")

    def lose_answer(self) -> bool:
        return self._take("lose-answer-next")

    def lose_callback(self) -> bool:
        return self._take("lose-callback-next", "callback-loss")

    def duplicate_callback(self) -> bool:
        return self._take("duplicate-callback-next", "callback-duplicate")

    def token_fault(self) -> str | None:
        """The token fault striking this callback (one at most), if any."""
        return next((name for name in TOKEN_FAULTS if self._take(name)), None)

    def rotate_key(self) -> bool:
        return self._take("rotate-key-next")

    @property
    def keys_down(self) -> bool:
        return self.values.get("keys-down", 0.0) >= 1

    @property
    def reorder(self) -> bool:
        return self.values.get("callback-reorder", 0.0) >= 1

    @property
    def latency(self) -> float:
        return self.values.get("latency-ms", 0.0) / 1000

    @property
    def callback_delay(self) -> float:
        return self.values.get("callback-delay-ms", 0.0) / 1000

    @property
    def transfer_delay(self) -> float:
        return self.values.get("transfer-delay-ms", 200.0) / 1000
