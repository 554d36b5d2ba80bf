"""Fixtures: a Pexip simulator with the simulated PBX on its own port (real loopback)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest

from pextui.sim.config import SimConfig, Timings
from pextui.sim.pbx.server import PbxServer
from pextui.sim.server import SimServer
from tests.phone.phone_helpers import SECRET, fast_pbx_config


@pytest.fixture
def sim() -> Iterator[SimServer]:
    timings = Timings(dial_answer=0.05, refresh_grace=1.0, keepalive=0.5, expiry_sweep=0.05)
    with SimServer(SimConfig(timings=timings)) as server:
        yield server


@pytest.fixture
def make_pbx(sim: SimServer) -> Iterator[Callable[..., PbxServer]]:
    started: list[PbxServer] = []

    def factory(**fields: Any) -> PbxServer:
        server = PbxServer(sim, fast_pbx_config(**fields)).start()
        started.append(server)
        return server

    yield factory
    for server in started:
        server.__exit__()


@pytest.fixture
def pbx(make_pbx: Callable[..., PbxServer]) -> PbxServer:
    return make_pbx()


@pytest.fixture(autouse=True)
def _no_secret_env(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("PEXTUI_PBX_CLIENT_ID", raising=False)
    monkeypatch.delenv("PEXTUI_PBX_CLIENT_SECRET", raising=False)
    assert SECRET
