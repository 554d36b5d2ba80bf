from __future__ import annotations

import sys
from pathlib import Path

here = Path(__file__).parent
sys.path.insert(0, str(here))
sys.path.insert(0, str(here.parent / "chaos"))  # the console runner and simulator helpers
sys.path.insert(0, str(here.parent / "tui"))  # console_helpers: the host console over loopback

from collections.abc import Iterator  # noqa: E402

import pytest  # noqa: E402
from console_helpers import sim_config  # noqa: E402

from pextui.sim.server import SimServer  # noqa: E402


@pytest.fixture
def simulator() -> Iterator[SimServer]:
    with SimServer(sim_config()) as server:
        yield server
