#!/usr/bin/env bash
# MGDL paper, Section 4 / Appendix C: denoising (noise sigma 10 and 30) and
# deblurring (sigma-hat 3, noise sigma 3) of 'Cameraman' by MGDL (33) and SGDL
# (29) through the TV loss (22)/(24) (msopt restore). Runs one job at a time
# on $MSOPT_RANKS ranks (default 2) and writes OUT_DIR/restoration/ (default
# results/): restoration_psnr.csv (the paper's Tables 2/3 values for its own
# images beside ours), one figure per task (images, PSNR over training), logs.
#   MSOPT_SCALE=full     256 x 256 image, up to 10,000 epochs per grade
#   MSOPT_SCALE=reduced  (default) 64 x 64 image, 1000 epochs per grade: about 8 minutes (at 150 epochs
#                        the networks do not yet reach the noisy input's PSNR)
# lambda per task (the paper gives none): for denoising near the best PSNR of
# the plain TV (ROF) model on a 128 x 128 Cameraman, for deblurring an untuned
# guess; MSOPT_TASKS narrows the list,
# e.g. MSOPT_TASKS="denoise:10". Started again after a crash or a kill, it
# resumes the cut-off run from its checkpoint (OUT_DIR/restoration/checkpoints/)
# and keeps the finished ones (resumable_run in scripts/env.sh).
# Usage: [MSOPT_SCALE=full] scripts/image_restoration.sh [OUT_DIR]
set -euo pipefail
source "$(dirname "$0")/env.sh"
cd "$MSOPT_ROOT"
out=${1:-results}/restoration
scale=${MSOPT_SCALE:-reduced}
case $scale in
  full) downsample=2 extra=() ;;
  reduced) downsample=8 extra=(-opt_max_it 1000) ;;
  *) echo "image_restoration: MSOPT_SCALE must be full or reduced, not '$scale'" >&2; exit 2 ;;
esac
declare -A lambda=([denoise:10]=0.02 [denoise:30]=0.08 [deblur:3]=0.003)
tasks=${MSOPT_TASKS:-denoise:10 denoise:30 deblur:3}
mkdir -p "$out"
png=${MSOPT_IMAGE:-$MSOPT_ROOT/data/images/camera.png}
[ -s "$png" ] || bash scripts/get_images.sh
echo "== Cameraman denoising / deblurring ($scale: -data_downsample $downsample, $MSOPT_RANKS ranks) =="
for task in $tasks; do
  kind=${task%%:*} level=${task##*:}
  if [ "$kind" = denoise ]; then args=(-restore_task denoise -restore_noise "$level")
  else args=(-restore_task deblur -restore_blur "$level" -restore_noise 3); fi
  for model in mgdl sgdl; do
    name=${kind}${level}_$model
    resumable_run "$out" "$name" "$scale" restore -options_file "runs/restoration_$model.opts" "${extra[@]}" \
      -data_png "$png" -data_downsample "$downsample" "${args[@]}" -tv_lambda "${lambda[$task]}" \
      -restore_out "$out/$name.h5" ||
      { echo "image_restoration: $name failed, see $out/$name.log" >&2; tail -3 "$out/$name.log" >&2; }
    grep -E "^restore: final PSNR|^msopt: error" "$out/$name.log" | sed "s/^/  $name: /"
  done
done
/usr/bin/python3 scripts/plot_restoration.py "$out" "$scale"
