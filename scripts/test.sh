#!/usr/bin/env bash
# Sets up (first run only) and runs the whole check: ruff, mypy and the test suite.
# Extra arguments go to pytest, e.g. `scripts/test.sh -m slow` for the long runs.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
bash "$root/scripts/setup.sh"
bin="${PEXTUI_VENV:-$root/.venv}/bin"
cd "$root"
"$bin/ruff" check pextui tests benchmarks
"$bin/ruff" format --check pextui tests benchmarks
"$bin/mypy"
"$bin/python" -m pytest -q "$@"
