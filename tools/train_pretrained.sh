#!/usr/bin/env bash
# Trains the pretrained model that ships with the package, on synthetic faces
# only, and packages it (configs/pretrained/awing_synthetic_wflw.py):
#   1. 10,000 train + 300 val + 300 test synthetic faces (70 % in front of
#      photographs) -> data/synthetic_pretrain
#   2. WFLW converter -> COCO-style json
#   3. training (selection on the synthetic val split)
#   4. the selected checkpoint on the synthetic test split
#   5. the checkpoint, weights only, into awing_mmpose/pretrained/ and the
#      training log into docs/pretrained/
# About 100 minutes on 2 CPU cores (14 epochs of 625 iterations). Then, to measure it on real faces (never
# used for training or for choices):
#   python tools/misc/get_real_faces.py
#   python tools/analysis/eval_real_faces.py --data-dir data/real_faces
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
bash tools/setup_env.sh

export NO_ALBUMENTATIONS_UPDATE=1 PYTHONUNBUFFERED=1
export PYTHONWARNINGS="ignore:pkg_resources is deprecated:UserWarning"
PY=.venv/bin/python
CFG=configs/pretrained/awing_synthetic_wflw.py
DATA=data/synthetic_pretrain
WORK="${WORK:-work_dirs/awing_synthetic_wflw}"
STEPS="${STEPS:-12345}"

if [[ $STEPS == *1* ]]; then
  echo "[pretrained] 1/5 synthetic faces -> $DATA"
  $PY tools/misc/generate_synthetic_faces.py --out-dir "$DATA" --no-300w \
    --num-train 10000 --num-val 300 --num-test 300 --seed 1 \
    --photo-backgrounds 0.7 --workers "$(nproc)"
fi
if [[ $STEPS == *2* ]]; then
  echo "[pretrained] 2/5 WFLW converter -> $DATA/annotations"
  $PY tools/dataset_converters/wflw2coco.py --ann-dir "$DATA/WFLW_annotations" \
    --img-dir "$DATA/WFLW_images" --out-dir "$DATA/annotations" --no-progress
fi
if [[ $STEPS == *3* ]]; then
  echo "[pretrained] 3/5 training $CFG"
  RESUME=()
  [ -f "$WORK/last_checkpoint" ] && RESUME=(--resume)
  $PY tools/train.py "$CFG" --work-dir "$WORK" "${RESUME[@]}"
fi
CKPT="$(ls -t "$WORK"/best_NME_*.pth 2>/dev/null | head -n 1 || true)"
if [[ $STEPS == *4* ]]; then
  echo "[pretrained] 4/5 $CKPT on the synthetic test split"
  $PY tools/test.py "$CFG" "$CKPT" --work-dir "$WORK/test" \
    --out "$WORK/test_metrics.json" \
    --cfg-options test_evaluator.outfile_prefix="$WORK/test/eval"
fi
if [[ $STEPS == *5* ]]; then
  echo "[pretrained] 5/5 packaging $CKPT"
  $PY tools/misc/publish_checkpoint.py "$CFG" "$CKPT" \
    --work-dir "$WORK" --test-metrics "$WORK/test_metrics.json"
fi
