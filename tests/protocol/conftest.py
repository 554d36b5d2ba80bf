"""Fixtures: a simulator per test (real loopback HTTP), quick to start."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest

from pextui.sim.config import SimConfig, Timings
from pextui.sim.server import SimServer


def fast_timings() -> Timings:
    return Timings(dial_answer=0.1, dial_reject=0.1, refresh_grace=1.0, keepalive=1.0)


@pytest.fixture
def make_sim() -> Iterator[Callable[..., SimServer]]:
    """Start a simulator with the given SimConfig fields; all are stopped after the test."""
    started: list[SimServer] = []

    def factory(**fields: Any) -> SimServer:
        fields.setdefault("timings", fast_timings())
        server = SimServer(SimConfig(**fields)).start()
        started.append(server)
        return server

    yield factory
    for server in started:
        server.stop()


@pytest.fixture
def sim(make_sim: Callable[..., SimServer]) -> SimServer:
    return make_sim()
