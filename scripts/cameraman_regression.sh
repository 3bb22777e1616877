#!/usr/bin/env bash
# MGDL paper, Section 4, image regression of 'Cameraman' (Table 1, Figure 5):
# MGDL (32) and SGDL (28) with Adam, early stopping on the validation loss,
# TrPSNR / VaPSNR / TePSNR by eq. (34). Fetches the image (scripts/get_images.sh),
# makes the train/validation/test splits, runs both models one after the other
# on $MSOPT_RANKS ranks (default 2), and writes OUT_DIR/cameraman/ (default
# results/): cameraman_psnr.csv (ours beside the paper's), reconstructions
# and PSNR over training as PNG, the runs' HDF5/CSV/logs.
#   MSOPT_SCALE=full     (default) 256 x 256 image (-data_downsample 2), up to 10,000 epochs per grade
#   MSOPT_SCALE=reduced  64 x 64 image (-data_downsample 8), 400 epochs per grade: a few minutes
# Started again after a crash or a kill, it resumes the cut-off run from its
# checkpoint (OUT_DIR/cameraman/checkpoints/) and keeps a finished one.
# Usage: [MSOPT_SCALE=reduced] scripts/cameraman_regression.sh [OUT_DIR]
set -euo pipefail
source "$(dirname "$0")/env.sh"
cd "$MSOPT_ROOT"
out=${1:-results}/cameraman
scale=${MSOPT_SCALE:-full}
case $scale in
  full) downsample=2 extra=() ;;
  reduced) downsample=8 extra=(-opt_max_it 400 -mgdl_patience 100) ;;
  *) echo "cameraman_regression: MSOPT_SCALE must be full or reduced, not '$scale'" >&2; exit 2 ;;
esac
mkdir -p "$out"
png=${MSOPT_IMAGE:-$MSOPT_ROOT/data/images/camera.png}
[ -s "$png" ] || bash scripts/get_images.sh
msopt_run data image -data_png "$png" -data_downsample "$downsample" -data_split all -data_out "$out/camera.h5" >/dev/null
echo "== Cameraman image regression ($scale: -data_downsample $downsample, $MSOPT_RANKS ranks) =="
for model in mgdl sgdl; do
  # Checkpoints every 200 epochs: a run that was cut off resumes where it stopped when the script is started
  # again (its wall time: the sum of the pieces that ended, not of one killed), and a finished one of the same
  # scale is kept.
  ck="$out/checkpoints/${scale}_$model.h5" seconds="$out/checkpoints/${scale}_$model.seconds" resume=()
  if [ "$(cat "$out/$model.done" 2>/dev/null)" = "$scale" ] && [ -s "$out/$model.h5" ]; then
    echo "  $model: kept $out/$model.h5 (delete it to train again)"
    grep -E "PSNR" "$out/$model.log" | sed "s/^mgdl: /  $model: /"
    continue
  fi
  rm -f "$out/$model.done"
  mkdir -p "$out/checkpoints"
  [ -e "${ck%.h5}.grades.h5" ] && resume=(-restart "$ck") && echo "  $model: resuming from $ck"
  start=$(date +%s.%N) status=0
  msopt_run mgdl -options_file "runs/cameraman_$model.opts" "${extra[@]}" -data_file "$out/camera_train.h5" \
    -mgdl_validation "$out/camera_validation.h5" -mgdl_test "$out/camera_test.h5" -mgdl_out "$out/$model.h5" \
    -checkpoint_every 200 -checkpoint_keep 2 -checkpoint_file "$ck" "${resume[@]}" >"$out/$model.log" 2>&1 || status=$?
  awk "BEGIN{print $(date +%s.%N) - $start}" >>"$seconds"
  if [ $status -eq 0 ]; then
    echo "$model,$(awk '{s += $1} END {print s}' "$seconds")" >>"$out/times.csv"
    echo "$scale" >"$out/$model.done"
    rm -f "${ck%.h5}".*
  else
    echo "cameraman_regression: $model failed, see $out/$model.log" >&2; tail -3 "$out/$model.log" >&2
  fi
  grep -E "PSNR|^msopt: error" "$out/$model.log" | sed "s/^mgdl: //; s/^/  $model: /"
done
/usr/bin/python3 scripts/plot_cameraman.py "$out" "$scale"
