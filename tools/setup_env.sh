#!/usr/bin/env bash
# Installs the pinned OpenMMLab stack and this package into a project-local
# virtual environment (.venv). Idempotent: each step is skipped when what it
# installs is already importable at the pinned version. See docs/installation.md
# for why each pin and patch is needed.
#
#   bash tools/setup_env.sh            # create / complete .venv
#   AWING_VENV=/path bash tools/setup_env.sh
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENV="${AWING_VENV:-$ROOT/.venv}"
PY_BOOT="${PYTHON:-python3.11}"
CACHE="$ROOT/.cache/setup"
mkdir -p "$CACHE"

step=""
trap 'rc=$?; if [ $rc -ne 0 ]; then echo "setup_env.sh: FAILED at step: $step (exit $rc); see the output above" >&2; fi' EXIT
log() { step="$1"; echo "[setup] $1"; }

log "python virtual environment at $VENV"
if [ ! -x "$VENV/bin/python" ]; then
  command -v "$PY_BOOT" >/dev/null || PY_BOOT=python3
  "$PY_BOOT" -m venv "$VENV"
fi
PY="$VENV/bin/python"
PIP=("$PY" -m pip install -q --disable-pip-version-check)

have() { "$PY" - "$@" <<'PYEOF' 2>/dev/null
import sys
from importlib.metadata import version
for spec in sys.argv[1:]:
    name, _, want = spec.partition("==")
    got = version(name)
    if want and got.split("+")[0] != want:
        raise SystemExit(1)
PYEOF
}

log "build tools (setuptools<82 for mmengine's pkg_resources, numpy, cython)"
have "setuptools" "numpy" "Cython" "wheel" "ninja" && "$PY" -c "import setuptools,sys; sys.exit(int(setuptools.__version__.split('.')[0])>=82)" \
  || "${PIP[@]}" "setuptools<82" wheel "numpy>=2,<2.5" "cython<4" ninja

log "torch 2.14.1 / torchvision 0.29.1"
have torch==2.14.1 torchvision==0.29.1 || "${PIP[@]}" torch==2.14.1 torchvision==0.29.1
# torch may pull a newer setuptools; mmengine needs pkg_resources
"$PY" -c "import setuptools,sys; sys.exit(int(setuptools.__version__.split('.')[0])>=82)" || "${PIP[@]}" "setuptools<82"

log "mmcv 2.1.0 compiled from source (C++20 patch, CPU ops)"
# The compiled wheel is kept in a machine-wide cache, so another checkout (a
# CI clone) installs it in seconds; a new machine compiles it once.
WHEELS="${AWING_WHEEL_CACHE:-$HOME/.cache/awing-mmpose/wheels}/torch-2.14.1"
mkdir -p "$WHEELS"
if ! "$PY" -c "import mmcv, mmcv.ops; assert mmcv.__version__=='2.1.0'" 2>/dev/null; then
  WHEEL="$(ls "$WHEELS"/mmcv-2.1.0-*.whl 2>/dev/null | head -n 1 || true)"
  if [ -z "$WHEEL" ]; then
    SRC="$CACHE/mmcv-2.1.0"
    if [ ! -d "$SRC" ]; then
      "$PY" -m pip download -q --no-deps --no-binary :all: --no-build-isolation mmcv==2.1.0 -d "$CACHE"
      tar -xzf "$CACHE/mmcv-2.1.0.tar.gz" -C "$CACHE"
    fi
    sed -i 's/-std=c++17/-std=c++20/g' "$SRC/setup.py"
    (cd "$SRC" && MMCV_WITH_OPS=1 MAX_JOBS="$(nproc)" "$PY" -m pip wheel -q \
      --no-build-isolation --no-deps . -w "$WHEELS")
    WHEEL="$(ls "$WHEELS"/mmcv-2.1.0-*.whl | head -n 1)"
  fi
  "${PIP[@]}" "$WHEEL"
fi

log "mmengine, mmdet, chumpy (no build isolation), six"
have chumpy || "${PIP[@]}" --no-build-isolation chumpy==0.70
have mmengine==0.10.7 mmdet==3.3.0 six || "${PIP[@]}" mmengine==0.10.7 mmdet==3.3.0 six

log "xtcocotools built against numpy 2"
if ! "$PY" -c "import xtcocotools.mask" 2>/dev/null; then
  "${PIP[@]}" --no-binary xtcocotools --no-build-isolation xtcocotools==1.14.3
fi

log "mmpose 1.3.2 and runtime dependencies"
have mmpose==1.3.2 || "${PIP[@]}" mmpose==1.3.2
"$PY" -c "import xtcocotools.mask" 2>/dev/null || { "$PY" -m pip uninstall -q -y xtcocotools; "${PIP[@]}" --no-binary xtcocotools --no-build-isolation xtcocotools==1.14.3; }
have opencv-python==4.14.0.94 scipy h5py onnx onnxruntime tqdm pytest matplotlib scikit-image==0.26.0 \
  || "${PIP[@]}" opencv-python==4.14.0.94 scipy h5py onnx onnxruntime tqdm pytest matplotlib scikit-image==0.26.0 "setuptools<82"

log "MTCNN face-detector weights (facenet-pytorch wheel, no deps: its pins would replace torch and numpy)"
have facenet-pytorch==2.6.0 || "${PIP[@]}" --no-deps facenet-pytorch==2.6.0

log "awing-mmpose (editable)"
have awing_mmpose || "${PIP[@]}" --no-build-isolation --no-deps -e "$ROOT"

log "check"
"$PY" - <<'PYEOF'
import mmcv, mmcv.ops, mmengine, mmdet, mmpose, torch, torchvision, cv2, xtcocotools.mask
import mmpose.apis, mmpose.models
print(f"[setup] ok: torch {torch.__version__} mmcv {mmcv.__version__} mmengine {mmengine.__version__} "
      f"mmdet {mmdet.__version__} mmpose {mmpose.__version__} opencv {cv2.__version__}")
PYEOF
step=""
