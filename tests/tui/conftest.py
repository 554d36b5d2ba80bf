from __future__ import annotations

from collections.abc import Iterator

import pytest

from pextui.sim.server import SimServer
from tests.chaos.chaos_helpers import RequestCounter, counting_sim
from tests.tui.console_helpers import sim_config


@pytest.fixture
def simulator() -> Iterator[SimServer]:
    with SimServer(sim_config()) as server:
        yield server


@pytest.fixture
def counted() -> Iterator[tuple[SimServer, RequestCounter]]:
    """A simulator that counts the requests it received, by function."""
    sim, counter = counting_sim(sim_config())
    try:
        yield sim, counter
    finally:
        sim.stop()
