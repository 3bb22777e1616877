#!/usr/bin/env bash
# MGDL paper, Section 4, image regression of 'Cameraman' (Table 1, Figure 5):
# MGDL (32) and SGDL (28) with Adam, early stopping on the validation loss,
# TrPSNR / VaPSNR / TePSNR by eq. (34). Fetches the image (scripts/get_images.sh),
# makes the train/validation/test splits, runs both models one after the other
# on $MSOPT_RANKS ranks (default 2), and writes OUT_DIR/cameraman/ (default
# results/): cameraman_psnr.csv (ours beside the paper's), reconstructions
# and PSNR over training as PNG, the runs' HDF5/CSV/logs.
#   MSOPT_SCALE=full     256 x 256 image (-data_downsample 2), up to 10,000 epochs per grade
#   MSOPT_SCALE=reduced  (default) 64 x 64 image (-data_downsample 8), 400 epochs per grade: a few minutes
# Started again after a crash or a kill, it resumes the cut-off run from its
# checkpoint (OUT_DIR/cameraman/checkpoints/) and keeps a finished one
# (resumable_run in scripts/env.sh).
# -m eigenvalues (Section 6, Figures 3, 18): SGDL (27) at eta 0.1 and MGDL
# (31) at eta 0.2 trained by GD on the training pixels, the 10 smallest and
# largest eigenvalues of I - eta H every K epochs; OUT_DIR/cameraman_eigenvalues/
# (figure and summary by scripts/plot_mgdl_eigenvalues.py).
#   reduced: 32 x 32 image (256 training pixels), 2000 epochs per grade, every 100
#   full:    64 x 64 image (1024 training pixels), 1e5 epochs per grade, every 1000
# -m lr_sweep (Section 5, Figure 15): SGDL (28) and MGDL (32) by GD at rates in
# [0.001, 1]; final training loss against the rate, diverged runs marked NaN,
# OUT_DIR/cameraman_lr_sweep.{png,csv} (scripts/plot_mgdl_lr_sweep.py).
#   reduced: 32 x 32 image, 300 epochs per grade, rates 0.01 0.1 0.3 1
#   full:    256 x 256 image, 1e5 epochs per grade, 8 rates in [0.001, 1]
# Usage: [MSOPT_SCALE=full] scripts/cameraman_regression.sh [-m regression|eigenvalues|lr_sweep] [OUT_DIR]
set -euo pipefail
source "$(dirname "$0")/env.sh"
cd "$MSOPT_ROOT"
mode=regression
while getopts "m:" flag; do
  case $flag in
    m) mode=$OPTARG ;;
    *) echo "usage: $0 [-m regression|eigenvalues|lr_sweep] [OUT_DIR]" >&2; exit 2 ;;
  esac
done
shift $((OPTIND - 1))
scale=${MSOPT_SCALE:-reduced}
png=${MSOPT_IMAGE:-$MSOPT_ROOT/data/images/camera.png}
[ -s "$png" ] || bash scripts/get_images.sh
case $mode in
  regression) ;;
  eigenvalues | lr_sweep) exec bash scripts/cameraman_gd.sh "$mode" "$scale" "$png" "${1:-results}" ;;
  *) echo "cameraman_regression: -m must be regression, eigenvalues or lr_sweep, not '$mode'" >&2; exit 2 ;;
esac
out=${1:-results}/cameraman
case $scale in
  full) downsample=2 extra=() ;;
  reduced) downsample=8 extra=(-opt_max_it 400 -mgdl_patience 100) ;;
  *) echo "cameraman_regression: MSOPT_SCALE must be full or reduced, not '$scale'" >&2; exit 2 ;;
esac
mkdir -p "$out"
msopt_run data image -data_png "$png" -data_downsample "$downsample" -data_split all -data_out "$out/camera.h5" >/dev/null
echo "== Cameraman image regression ($scale: -data_downsample $downsample, $MSOPT_RANKS ranks) =="
for model in mgdl sgdl; do
  resumable_run "$out" "$model" "$scale" mgdl -options_file "runs/cameraman_$model.opts" "${extra[@]}" \
    -data_file "$out/camera_train.h5" -mgdl_validation "$out/camera_validation.h5" -mgdl_test "$out/camera_test.h5" \
    -mgdl_out "$out/$model.h5" ||
    { echo "cameraman_regression: $model failed, see $out/$model.log" >&2; tail -3 "$out/$model.log" >&2; }
  grep -E "PSNR|^msopt: error" "$out/$model.log" | sed "s/^mgdl: //; s/^/  $model: /"
done
/usr/bin/python3 scripts/plot_cameraman.py "$out" "$scale"
