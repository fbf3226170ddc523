#!/usr/bin/env bash
# Set up (idempotent) and run the test suite. `.ci/run` calls this.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
bash tools/setup_env.sh
export NO_ALBUMENTATIONS_UPDATE=1 OMP_NUM_THREADS="${OMP_NUM_THREADS:-2}"
exec .venv/bin/python -m pytest tests -q -p no:cacheprovider "$@"
