"""Fixtures of the security tests: a throwaway certificate for an HTTPS simulator."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
sys.path.insert(0, str(Path(__file__).parent.parent / "chaos"))  # the console runner
