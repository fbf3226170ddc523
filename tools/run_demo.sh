#!/usr/bin/env bash
# The main job on a fresh machine: set up, generate the embedded synthetic
# WFLW-layout faces, convert them with the WFLW converter, train the CPU demo
# config (the full method at CPU size), evaluate it against the untrained
# network (NME, FR, AUC per attribute subset), and draw the predicted
# landmarks on a test face. Numbers are printed at the end.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
bash tools/setup_env.sh

export NO_ALBUMENTATIONS_UPDATE=1 PYTHONUNBUFFERED=1
# mmengine 0.10.7 imports pkg_resources (deprecated, harmless)
export PYTHONWARNINGS="ignore:pkg_resources is deprecated:UserWarning"
PY=.venv/bin/python
CFG=configs/awing_demo.py
DATA=data/synthetic_wflw
WORK=work_dirs/awing_demo
OUT=outputs/demo
NUM_TRAIN="${NUM_TRAIN:-1500}"
NUM_TEST="${NUM_TEST:-300}"
NUM_VAL="${NUM_VAL:-150}"
rm -rf "$OUT"  # pictures of an earlier run would be numbered on
mkdir -p "$WORK" "$OUT"

echo "[demo] 1/6 synthetic faces -> $DATA"
$PY tools/misc/generate_synthetic_faces.py --out-dir "$DATA" \
  --num-train "$NUM_TRAIN" --num-val "$NUM_VAL" --num-test "$NUM_TEST" --seed 0

echo "[demo] 2/6 WFLW converter -> $DATA/annotations"
$PY tools/dataset_converters/wflw2coco.py --ann-dir "$DATA/WFLW_annotations" \
  --img-dir "$DATA/WFLW_images" --out-dir "$DATA/annotations" --no-progress

echo "[demo] 3/6 untrained baseline"
$PY tools/misc/save_init_checkpoint.py "$CFG" "$WORK/untrained.pth"
$PY tools/test.py "$CFG" "$WORK/untrained.pth" --work-dir "$WORK/untrained" \
  --out "$WORK/untrained_metrics.json" \
  --cfg-options test_evaluator.outfile_prefix="$WORK/untrained/eval"

echo "[demo] 4/6 training $CFG"
$PY tools/train.py "$CFG" --work-dir "$WORK"

echo "[demo] 5/6 evaluating the trained model (best on the val split) on the test split"
CKPT="$(ls -t "$WORK"/best_*.pth 2>/dev/null | head -n 1)"
[ -n "$CKPT" ] || CKPT="$WORK/epoch_$($PY -c "from mmengine import Config; print(Config.fromfile('$CFG').train_cfg.max_epochs)").pth"
$PY tools/test.py "$CFG" "$CKPT" --work-dir "$WORK/test" \
  --out "$WORK/test_metrics.json" --show-dir "$OUT/test_faces" \
  --cfg-options test_evaluator.outfile_prefix="$OUT/eval"

echo "[demo] 6/6 landmarks, boundary map and heatmaps of one test image -> $OUT"
FACE="$($PY -c "import json; d=json.load(open('$DATA/annotations/face_landmarks_wflw_test.json')); print(d['images'][0]['file_name'])")"
$PY tools/demo.py "$DATA/WFLW_images/$FACE" --config "$CFG" \
  --checkpoint "$CKPT" --out-dir "$OUT" --det-model whole_image \
  --show-heatmaps

echo "[demo] + the pretrained model shipped with the package (synthetic faces only) on three public-domain portraits -> $OUT/real_faces_pretrained.png"
$PY tools/analysis/real_face_gallery.py --out "$OUT/real_faces_pretrained.png"

$PY tools/misc/print_demo_summary.py "$WORK/untrained_metrics.json" \
  "$WORK/test_metrics.json" --checkpoint "$CKPT" --out-dir "$OUT"
