from __future__ import annotations

from pathlib import Path

here = Path(__file__).parent

from collections.abc import Iterator  # noqa: E402

import pytest  # noqa: E402

from pextui.sim.server import SimServer  # noqa: E402
from tests.tui.console_helpers import sim_config  # noqa: E402


@pytest.fixture
def simulator() -> Iterator[SimServer]:
    with SimServer(sim_config()) as server:
        yield server
