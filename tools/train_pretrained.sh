#!/usr/bin/env bash
# Trains the pretrained model that ships with the package, on synthetic faces
# only, and packages it (configs/pretrained/awing_synthetic_wflw.py).
#   stage 1 (configs/pretrained/awing_synthetic_wflw_stage1.py), from scratch:
#     1. 10,000 train + 300 val + 300 test synthetic faces (70 % in front of
#        photographs) -> data/synthetic_pretrain
#     2. WFLW converter -> COCO-style json
#     3. training, 14 epochs (selection on the synthetic val split); the
#        selected checkpoint -> work_dirs/awing_synthetic_wflw_stage1/stage1.pth
#   stage 2 (configs/pretrained/awing_synthetic_wflw.py), fine-tuning:
#     4. 10,000 + 300 + 300 new faces (seed 2), 70 % of them with an open
#        head -> data/synthetic_pretrain_open, and the converter
#     5. fine-tuning from stage1.pth, 5 epochs (selection on its val split)
#     6. the selected checkpoint on both synthetic test splits
#     7. the checkpoint, weights only, into awing_mmpose/pretrained/ and the
#        training logs into docs/pretrained/
# About 95 + 30 minutes of training on 2 CPU cores. STEPS=67 reruns the
# tests and the packaging only. Then, to measure it on real faces (never
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
CFG1=configs/pretrained/awing_synthetic_wflw_stage1.py
CFG=configs/pretrained/awing_synthetic_wflw.py
DATA1=data/synthetic_pretrain
DATA=data/synthetic_pretrain_open
WORK1=work_dirs/awing_synthetic_wflw_stage1  # load_from in $CFG
WORK="${WORK:-work_dirs/awing_synthetic_wflw}"
STEPS="${STEPS:-1234567}"

faces() {  # faces OUT SEED OPEN_HEADS
  $PY tools/misc/generate_synthetic_faces.py --out-dir "$1" --no-300w \
    --num-train 10000 --num-val 300 --num-test 300 --seed "$2" \
    --photo-backgrounds 0.7 --open-heads "$3" --workers "$(nproc)"
  $PY tools/dataset_converters/wflw2coco.py --ann-dir "$1/WFLW_annotations" \
    --img-dir "$1/WFLW_images" --out-dir "$1/annotations" --no-progress
}
train() {  # train CONFIG WORK_DIR
  local resume=()
  [ -f "$2/last_checkpoint" ] && resume=(--resume)
  $PY tools/train.py "$1" --work-dir "$2" "${resume[@]}"
}
best() { ls -t "$1"/best_NME_*.pth 2>/dev/null | head -n 1 || true; }

if [[ $STEPS == *1* ]] || [[ $STEPS == *2* ]]; then
  echo "[pretrained] 1-2/7 stage-1 synthetic faces -> $DATA1"
  faces "$DATA1" 1 0
fi
if [[ $STEPS == *3* ]]; then
  echo "[pretrained] 3/7 stage 1: training $CFG1"
  train "$CFG1" "$WORK1"
  cp "$(best "$WORK1")" "$WORK1/stage1.pth"
fi
if [[ $STEPS == *4* ]]; then
  echo "[pretrained] 4/7 stage-2 synthetic faces (open heads) -> $DATA"
  faces "$DATA" 2 0.7
fi
if [[ $STEPS == *5* ]]; then
  echo "[pretrained] 5/7 stage 2: fine-tuning $CFG from $WORK1/stage1.pth"
  train "$CFG" "$WORK"
fi
CKPT="$(best "$WORK")"
if [[ $STEPS == *6* ]]; then
  echo "[pretrained] 6/7 $CKPT on both synthetic test splits"
  $PY tools/test.py "$CFG" "$CKPT" --work-dir "$WORK/test" \
    --out "$WORK/test_metrics.json" \
    --cfg-options test_evaluator.outfile_prefix="$WORK/test/eval"
  $PY tools/test.py "$CFG" "$CKPT" --work-dir "$WORK/test_stage1_data" \
    --out "$WORK/test_metrics_stage1_data.json" \
    --cfg-options test_dataloader.dataset.data_root="$DATA1/" \
    test_evaluator.outfile_prefix="$WORK/test_stage1_data/eval"
fi
if [[ $STEPS == *7* ]]; then
  echo "[pretrained] 7/7 packaging $CKPT"
  $PY tools/misc/publish_checkpoint.py "$CFG" "$CKPT" \
    --work-dir "$WORK" --test-metrics "$WORK/test_metrics.json"
  cp "$WORK/test_metrics_stage1_data.json" \
    docs/pretrained/test_metrics_stage1_split.json
fi
