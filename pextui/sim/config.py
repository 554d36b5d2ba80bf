"""Configuration of the simulated Conferencing Node: its VMRs, scenario, scale and faults."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

REJECTING_GATEWAY = "gateway.reject"
MAX_TRANSFER_OVERLAP = 60.0

VmrKind = Literal["conference", "auditorium", "reception"]
KINDS: tuple[VmrKind, ...] = ("conference", "auditorium", "reception")
FAULT_NAMES = (
    "drop-stream-every",
    "error-rate",
    "latency-ms",
    "malformed-rate",
    "refuse-refresh",
    "maintenance",
)


@dataclass(frozen=True)
class VmrConfig:
    """One Virtual Meeting Room (or Auditorium / Reception) served by the node."""

    alias: str
    host_pin: str | None = None
    guest_pin: str | None = None
    kind: VmrKind = "conference"
    name: str | None = None  # display name of the service; defaults to the alias
    sso: bool = False  # require single sign-on (the idp / redirect_url 403 shapes)

    @property
    def service_name(self) -> str:
        return self.name or self.alias

    @classmethod
    def parse(cls, text: str) -> VmrConfig:
        """Parse the `--vmr ALIAS[:HOST_PIN[:GUEST_PIN]]` syntax.

        An empty PIN means none (`meet.x::5678` is not allowed: guests need a host PIN).
        """
        parts = text.strip().split(":")
        if len(parts) > 3:
            raise ValueError("expected ALIAS[:HOST_PIN[:GUEST_PIN]]")
        alias = parts[0].strip()
        if not alias or any(c in alias for c in "/?#% ") or len(alias) > 200:
            raise ValueError("the alias must be a non-empty name without /?#% or spaces")
        host_pin = parts[1].strip() or None if len(parts) > 1 else None
        guest_pin = parts[2].strip() or None if len(parts) > 2 else None
        for pin in (host_pin, guest_pin):
            if pin is not None and (not pin.isdigit() or len(pin) > 20):
                raise ValueError("a PIN is 1 to 20 digits")
        if guest_pin is not None and host_pin is None:
            raise ValueError("a guest PIN needs a host PIN")
        if guest_pin is not None and guest_pin == host_pin:
            raise ValueError("the guest PIN must differ from the host PIN")
        return cls(alias=alias, host_pin=host_pin, guest_pin=guest_pin)


def default_vmrs() -> tuple[VmrConfig, ...]:
    """The default set: two meeting rooms, an auditorium and a reception."""
    return (
        VmrConfig("meet.demo", host_pin="1234", name="Demo Meeting"),
        VmrConfig("meet.board", host_pin="1234", guest_pin="5678", name="Board Meeting"),
        VmrConfig("townhall", host_pin="1234", kind="auditorium", name="Town Hall"),
        VmrConfig("reception", kind="reception", name="Reception"),
    )


@dataclass
class Timings:
    """Delays of simulated behaviour (seconds); tests shorten them."""

    dial_answer: float = 1.5
    dial_reject: float = 1.0
    dial_timeout: float = 30.0
    refresh_grace: float = 3.0  # the old token keeps working this long after a refresh
    refer_token_ttl: float = 60.0
    keepalive: float = 10.0
    expiry_sweep: float = 1.0
    churn_tick: float = 0.02
    scenario_speed: float = 1.0  # > 1 runs the demo faster
    frame_interval: float = 2.0  # a new presentation frame this often while presenting
    caption_final: float = 0.8  # an interim caption becomes final after this long
    transfer_reject: float = 0.5  # a rejecting gateway drops a transferred call after this


@dataclass
class SimConfig:
    """Everything the simulator needs to start; see `pextui sim --help`."""

    vmrs: list[VmrConfig] | tuple[VmrConfig, ...] | None = None
    scenario: str = "quiet"
    seed: int = 1
    participants: int = 0
    churn: float = 0.0
    token_expires: int = 120
    faults: dict[str, float] = field(default_factory=dict)
    host: str = "127.0.0.1"
    port: int = 0
    timings: Timings = field(default_factory=Timings)
    max_body_bytes: int = 64 * 1024
    ssl_certfile: str | None = None  # serve HTTPS with this certificate (PEM) ...
    ssl_keyfile: str | None = None  # ... and its private key (PEM)
    # the number plan: number -> conference alias (empty: 8001, 8002, ... in VMR order)
    numbers: dict[str, str] = field(default_factory=dict)
    # aliases of a gateway that accepts a transfer, then rejects the call (docs/simulator.md)
    rejecting_gateways: tuple[str, ...] = (REJECTING_GATEWAY,)
    # seconds the target shows a transferred participant while the source still does
    transfer_overlap: float = 0.0
    theme: bool = False  # serve a theme and send splash screens (pextui.sim.splash)

    @property
    def scheme(self) -> str:
        return "https" if self.ssl_certfile else "http"

    def resolved_vmrs(self) -> tuple[VmrConfig, ...]:
        return tuple(self.vmrs) if self.vmrs else default_vmrs()


def parse_fault(text: str) -> tuple[str, float]:
    """Parse `NAME=VALUE` of `--fault`."""
    name, sep, value = text.partition("=")
    name = name.strip()
    if not sep or name not in FAULT_NAMES:
        raise ValueError(f"expected NAME=VALUE with NAME one of {', '.join(FAULT_NAMES)}")
    return name, validate_fault(name, value)


def validate_fault(name: str, value: object) -> float:
    """The fault's value as a float, or ValueError with a reason."""
    if name not in FAULT_NAMES:
        raise ValueError(f"unknown fault {name!r}")
    if isinstance(value, bool | int | float):
        number = float(value)
    elif isinstance(value, str):
        try:
            number = float(value)
        except ValueError:
            raise ValueError(f"{name} needs a number") from None
    else:
        raise ValueError(f"{name} needs a number")
    if number != number or number < 0:
        raise ValueError(f"{name} must be a non-negative number")
    if name in ("error-rate", "malformed-rate") and number > 1:
        raise ValueError(f"{name} is a fraction between 0 and 1")
    if name == "latency-ms" and number > 60_000:
        raise ValueError("latency-ms is at most 60000")
    if name == "drop-stream-every" and 0 < number < 0.05:
        raise ValueError("drop-stream-every is at least 0.05 seconds")
    if name == "drop-stream-every" and number > 86_400:
        raise ValueError("drop-stream-every is at most 86400 seconds")
    return number
