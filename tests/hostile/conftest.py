from __future__ import annotations

import sys
from pathlib import Path

here = Path(__file__).parent
sys.path.insert(0, str(here))
sys.path.insert(0, str(here.parent / "chaos"))  # the console runner and simulator helpers
