"""Configuration of the simulated Yeastar P-Series PBX."""

from __future__ import annotations

import os
from dataclasses import dataclass, field

SCENARIOS = ("quiet", "demo")
FAULT_NAMES = ("drop-ws-every", "error-rate", "latency-ms", "malformed-rate", "refuse-refresh")
CLIENT_ID_ENV = "PEXTUI_PBX_CLIENT_ID"
CLIENT_SECRET_ENV = "PEXTUI_PBX_CLIENT_SECRET"
DEFAULT_CLIENT_ID = "pextui-sim-client"
DEFAULT_CLIENT_SECRET = "pextui-sim-secret"  # a simulator's well-known demo credential


@dataclass(frozen=True)
class Extension:
    number: str
    name: str
    outbound: bool = True  # may dial external numbers (the trunk to Pexip)


def default_extensions() -> dict[str, Extension]:
    return {
        "2005": Extension("2005", "Reception 2005"),
        "2000": Extension("2000", "Lobby phone 2000", outbound=False),
    }


@dataclass(frozen=True)
class Caller:
    """A caller of the scenario: number, and ringing | talking | on_hold at the operator."""

    number: str
    state: str = "ringing"


def demo_callers() -> tuple[Caller, ...]:
    return (
        Caller("+442079460018", "talking"),
        Caller("+15555550100", "on_hold"),
        Caller("+4930901820", "ringing"),
    )


@dataclass
class PbxTimings:
    answer: float = 1.0  # the trunk to Pexip answers a transferred / consult call after
    idle_close: float = 60.0  # a WebSocket without a message from the client is closed


@dataclass
class PbxConfig:
    client_id: str = DEFAULT_CLIENT_ID
    client_secret: str = DEFAULT_CLIENT_SECRET
    access_ttl: float = 1800.0
    refresh_ttl: float = 86400.0
    max_tokens: int = 8  # valid access tokens per application at once
    operator: str = "2005"
    extensions: dict[str, Extension] = field(default_factory=default_extensions)
    trunk: str = "siptrunk"  # where callers come in
    pexip_trunk: str = "pexip"  # the trunk to Pexip Infinity
    did: str = "5503301"  # the number callers dialled
    sn: str = "3631A2124SIM"
    scenario: str = "quiet"
    callers: tuple[Caller, ...] = ()
    faults: dict[str, float] = field(default_factory=dict)
    seed: int = 1
    timings: PbxTimings = field(default_factory=PbxTimings)
    max_body_bytes: int = 64 * 1024

    def scenario_callers(self) -> tuple[Caller, ...]:
        return self.callers or (demo_callers() if self.scenario == "demo" else ())


def credentials_from_env(config: PbxConfig) -> PbxConfig:
    """The config with the Client ID / Secret taken from the environment when set there."""
    config.client_id = os.environ.get(CLIENT_ID_ENV) or config.client_id
    config.client_secret = os.environ.get(CLIENT_SECRET_ENV) or config.client_secret
    return config


def validate_fault(name: str, value: object) -> float:
    if name not in FAULT_NAMES:
        raise ValueError(f"unknown PBX fault {name!r} (expected one of {', '.join(FAULT_NAMES)})")
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        raise ValueError(f"{name} needs a number")
    try:
        number = float(value)
    except ValueError:
        raise ValueError(f"{name} needs a number") from None
    if number != number or number < 0:
        raise ValueError(f"{name} must be a non-negative number")
    if name in ("error-rate", "malformed-rate") and number > 1:
        raise ValueError(f"{name} is a fraction between 0 and 1")
    if name == "drop-ws-every" and 0 < number < 0.05:
        raise ValueError("drop-ws-every is at least 0.05 seconds")
    if name == "latency-ms" and number > 60_000:
        raise ValueError("latency-ms is at most 60000")
    return number


def parse_fault(text: str) -> tuple[str, float]:
    name, sep, value = text.partition("=")
    if not sep:
        raise ValueError(f"expected NAME=VALUE with NAME one of {', '.join(FAULT_NAMES)}")
    return name.strip(), validate_fault(name.strip(), value)
