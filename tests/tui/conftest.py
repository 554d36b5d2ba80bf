from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))

from console_helpers import sim_config

from pextui.sim.server import SimServer


@pytest.fixture
def simulator() -> Iterator[SimServer]:
    with SimServer(sim_config()) as server:
        yield server
