from __future__ import annotations

from collections.abc import Iterator

import pytest

from pextui.sim.server import SimServer
from tests.tui.console_helpers import sim_config


@pytest.fixture
def simulator() -> Iterator[SimServer]:
    with SimServer(sim_config()) as server:
        yield server
