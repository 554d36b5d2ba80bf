"""How many examples each ``fuzz``-marked property test runs.

``pytest -m fuzz`` runs ``FUZZ_EXAMPLES`` per test: 1,000 by default, so the whole marker
finishes in minutes on a loaded machine. For a long run set ``PEXTUI_FUZZ_EXAMPLES``:

    PEXTUI_FUZZ_EXAMPLES=10000 .venv/bin/python -m pytest -m fuzz
"""

from __future__ import annotations

import os

FUZZ_EXAMPLES = int(os.environ.get("PEXTUI_FUZZ_EXAMPLES", "1000"))
