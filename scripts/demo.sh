#!/usr/bin/env bash
# Sets up (first run only) and starts `pextui demo`: the embedded simulator plus the console.
# Extra arguments go to `pextui demo`, e.g. `scripts/demo.sh --seed 7 --participants 200`.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
bash "$root/scripts/setup.sh"
exec "${PEXTUI_VENV:-$root/.venv}/bin/pextui" demo "$@"
