from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest

from pextui.sim.server import SimServer
from tests.sim.sim_helpers import fast_config


@pytest.fixture
def sim() -> Iterator[SimServer]:
    with SimServer(fast_config()) as server:
        yield server


@pytest.fixture
def client(sim: SimServer) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=sim.base_url, timeout=5.0) as http:
        yield http
