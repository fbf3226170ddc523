#!/usr/bin/env bash
# Set up (idempotent) and run the test suite. `.ci/run` calls this (the whole
# suite).
#
#   bash tools/run_tests.sh                 # the whole suite
#   bash tools/run_tests.sh --quick         # the fast tier: -m "not slow"
#   bash tools/run_tests.sh --quick -x -k loss   # other arguments go to
#                                           # pytest unchanged
#   AWING_VENV=/path bash tools/run_tests.sh   # another environment, as
#                                           # tools/setup_env.sh
#
# Tests marked `slow` (see pytest.ini) run tools, training or test runs or
# other interpreters as subprocesses, train, build a wheel, export ONNX or
# take about a second or more; --quick leaves them out.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
args=()
for arg in "$@"; do
  if [ "$arg" = "--quick" ]; then
    args+=(-m "not slow")
  else
    args+=("$arg")
  fi
done
bash tools/setup_env.sh
export NO_ALBUMENTATIONS_UPDATE=1 OMP_NUM_THREADS="${OMP_NUM_THREADS:-2}"
exec "${AWING_VENV:-$ROOT/.venv}/bin/python" -m pytest tests -q -p no:cacheprovider \
  ${args[@]+"${args[@]}"}
