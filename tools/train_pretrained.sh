#!/usr/bin/env bash
# Trains the pretrained model that ships with the package, on synthetic faces
# only, and packages it. Each stage draws 10,000 train + 300 val + 300 test new
# synthetic faces (70 % in front of photographs) and trains on them; stage 1
# from scratch, each later stage fine-tunes the one before:
#
#   stage  config (configs/pretrained/)  faces (data/)            new look
#   1      awing_synthetic_wflw_stage1   synthetic_pretrain        -
#   2      awing_synthetic_wflw_stage2   synthetic_pretrain_open   open heads 70 %
#   3      awing_synthetic_wflw_stage3   synthetic_pretrain_glasses + eyeglasses 40 %
#   4      awing_synthetic_wflw_stage4   synthetic_pretrain_relief  + relief 70 %
#   5      awing_synthetic_wflw_stage5   synthetic_pretrain_beard   + facial hair 35 %
#   6      awing_synthetic_wflw_stage6   synthetic_pretrain_randconv 5's looks;
#                                          + random convolutions in training
#
# Every stage's checkpoint is selected on its own synthetic validation split
# and copied to work_dirs/awing_synthetic_wflw_stageN/stageN.pth, where the
# next stage's config loads it. The shipped stage (SHIP, the one
# configs/pretrained/awing_synthetic_wflw.py names) is then tested on every
# stage's synthetic test split and packaged into awing_mmpose/pretrained/;
# its run record goes to docs/records/pretrained/, named by stage and kind:
# stageN_train.log, stageN_scalars.json, stageN_test_metrics_own_split.json
# and stageN_test_metrics_stageK_split.json (N = SHIP, K = every other
# stage). About 95 + 30 + 25 + 25 + 25 + 25 minutes of training on 2 CPU
# cores.
#
#   bash tools/train_pretrained.sh               # all stages, tests, packaging
#   STAGES="5" bash tools/train_pretrained.sh    # stage 5 only, then the rest
#   STAGES= bash tools/train_pretrained.sh       # tests and packaging only
#
# A stage's faces are drawn only if its json annotations are missing, and an
# interrupted training resumes. Then, to measure the model on real faces
# (never used for training or for choices):
#   python tools/misc/get_real_faces.py
#   python tools/analysis/eval_real_faces.py --data-dir data/real_faces
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
bash tools/setup_env.sh

export NO_ALBUMENTATIONS_UPDATE=1 PYTHONUNBUFFERED=1
export PYTHONWARNINGS="ignore:pkg_resources is deprecated:UserWarning"
PY=.venv/bin/python
STAGES="${STAGES-1 2 3 4 5 6}"
SHIP=6
DATA=([1]=data/synthetic_pretrain [2]=data/synthetic_pretrain_open
      [3]=data/synthetic_pretrain_glasses [4]=data/synthetic_pretrain_relief
      [5]=data/synthetic_pretrain_beard [6]=data/synthetic_pretrain_randconv)
LOOKS=([1]="--seed 1"
       [2]="--seed 2 --open-heads 0.7"
       [3]="--seed 3 --open-heads 0.7 --eyeglasses 0.4"
       [4]="--seed 4 --open-heads 0.7 --eyeglasses 0.4 --relief 0.7"
       [5]="--seed 5 --open-heads 0.7 --eyeglasses 0.4 --relief 0.7 --facial-hair 0.35"
       [6]="--seed 6 --open-heads 0.7 --eyeglasses 0.4 --relief 0.7 --facial-hair 0.35")
cfg() { echo "configs/pretrained/awing_synthetic_wflw_stage$1.py"; }
work() { echo "work_dirs/awing_synthetic_wflw_stage$1"; }

faces() {  # faces STAGE
  local out="${DATA[$1]}"
  [ -f "$out/annotations/face_landmarks_wflw_test.json" ] && return 0
  # shellcheck disable=SC2086  # LOOKS holds several options
  $PY tools/misc/generate_synthetic_faces.py --out-dir "$out" --no-300w \
    --num-train 10000 --num-val 300 --num-test 300 --photo-backgrounds 0.7 \
    ${LOOKS[$1]} --workers "$(nproc)"
  $PY tools/dataset_converters/wflw2coco.py --ann-dir "$out/WFLW_annotations" \
    --img-dir "$out/WFLW_images" --out-dir "$out/annotations" --no-progress
}
train() {  # train STAGE
  local w resume=()
  w="$(work "$1")"
  [ -f "$w/last_checkpoint" ] && resume=(--resume)
  $PY tools/train.py "$(cfg "$1")" --work-dir "$w" "${resume[@]}"
  cp "$(ls -t "$w"/best_NME_*.pth | head -n 1)" "$w/stage$1.pth"
}

for s in $STAGES; do
  echo "[pretrained] stage $s: faces -> ${DATA[$s]}, training $(cfg "$s")"
  faces "$s"
  train "$s"
done

W="$(work $SHIP)"
CKPT="$W/stage$SHIP.pth"
echo "[pretrained] testing $CKPT on every stage's synthetic test split"
for s in "${!DATA[@]}"; do
  name=test_metrics_stage${s}_split
  [ "$s" = "$SHIP" ] && name=test_metrics
  $PY tools/test.py "$(cfg $SHIP)" "$CKPT" --work-dir "$W/$name" \
    --out "$W/$name.json" \
    --cfg-options test_dataloader.dataset.data_root="${DATA[$s]}/" \
    test_evaluator.outfile_prefix="$W/$name/eval"
done
echo "[pretrained] packaging $CKPT"
$PY tools/misc/publish_checkpoint.py configs/pretrained/awing_synthetic_wflw.py \
  "$CKPT" --stage "$SHIP" --work-dir "$W" --test-metrics "$W/test_metrics.json"
REC=docs/records/pretrained
for s in "${!DATA[@]}"; do
  [ "$s" = "$SHIP" ] || cp "$W/test_metrics_stage${s}_split.json" \
    "$REC/stage${SHIP}_test_metrics_stage${s}_split.json"
done
