#!/usr/bin/env bash
# MGDL paper, Section 4 / Appendix C, Tables 2 and 3: denoising (noise sigma
# 10, 20, 30, 40, 50, 60) and deblurring (sigma-hat 3, 5, 7, noise sigma 3) by
# MGDL (33) and SGDL (29) through the TV loss (22)/(24) (msopt restore). Runs
# one job at a time on $MSOPT_RANKS ranks (default 2) and writes
# OUT_DIR/restoration/ (default results/): restoration_psnr.csv (per image and
# task: PSNR of the noisy/blurred input, of SGDL and of MGDL, beside the
# paper's value for the image ours stands in for), one figure per image and
# task (images, PSNR over training), logs.
#   MSOPT_SCALE=reduced  (default) images averaged down to about 64 x 64, 1000 epochs per grade at
#                        Adam rate 3e-3 (at 1e-3 MGDL stays below the noisy input at sigma 10),
#                        Cameraman only: 18 runs of 70-89 s, 24 minutes on 2 idle cores
#   MSOPT_SCALE=full     about 256 x 256, 10,000 epochs per grade, the three stand-ins of Tables 2-3
#                        (Butterfly -> brick, Pirate -> grass, Chest -> moon) and Cameraman: days
# MSOPT_IMAGES narrows or widens the images (names in data/images/ without .png,
# e.g. MSOPT_IMAGES="camera moon"), MSOPT_TASKS the tasks (e.g.
# MSOPT_TASKS="denoise:10 deblur:5"), MSOPT_EPOCHS the epochs per grade,
# MSOPT_LR Adam's rate (full: the runs/ files' 1e-3).
# lambda per task (the paper gives none): near the lambda whose plain TV
# reconstruction (eq. (19) with the image in place of the network) has the
# best PSNR on the 64 x 64 Cameraman, by scripts/tv_lambda.py (denoising
# 0.018, 0.044, 0.073, 0.103, 0.138, 0.177 at sigma 10..60; deblurring 0.0020,
# 0.0021, 0.0023 at sigma-hat 3, 5, 7). The full-size runs keep these values.
# Started again after a crash or a kill, it resumes the cut-off run from its
# checkpoint (OUT_DIR/restoration/checkpoints/) and keeps the finished ones
# (resumable_run in scripts/env.sh).
# Usage: [MSOPT_SCALE=full] scripts/image_restoration.sh [OUT_DIR]
set -euo pipefail
source "$(dirname "$0")/env.sh"
cd "$MSOPT_ROOT"
out=${1:-results}/restoration
scale=${MSOPT_SCALE:-reduced}
case $scale in
  full) side=256 epochs=10000 images="brick grass moon camera" lr= ;;
  reduced) side=64 epochs=1000 images="camera" lr=3e-3 ;;
  *) echo "image_restoration: MSOPT_SCALE must be full or reduced, not '$scale'" >&2; exit 2 ;;
esac
epochs=${MSOPT_EPOCHS:-$epochs}
images=${MSOPT_IMAGES:-$images}
lr=${MSOPT_LR:-$lr}
rate=()
[ -z "$lr" ] || rate=(-opt_lr "$lr")
declare -A lambda=([denoise:10]=0.02 [denoise:20]=0.045 [denoise:30]=0.075 [denoise:40]=0.1 [denoise:50]=0.14
  [denoise:60]=0.18 [deblur:3]=0.002 [deblur:5]=0.002 [deblur:7]=0.002)
tasks=${MSOPT_TASKS:-denoise:10 denoise:20 denoise:30 denoise:40 denoise:50 denoise:60 deblur:3 deblur:5 deblur:7}
for task in $tasks; do
  [ -n "${lambda[$task]:-}" ] || { echo "image_restoration: MSOPT_TASKS: unknown task '$task'" >&2; exit 2; }
done
mkdir -p "$out"
[ -s data/images/MANIFEST ] || bash scripts/get_images.sh
for image in $images; do
  [ -s "data/images/$image.png" ] ||
    { echo "image_restoration: MSOPT_IMAGES: no data/images/$image.png (scripts/get_images.sh lists them)" >&2; exit 2; }
done
# downsample PNG: the block size that brings the shorter side of PNG nearest to $side (at least 1); the
# width and height are bytes 16-23 of the file (IHDR, big-endian).
downsample() {
  local w h
  read -r w h < <(od -An -tu1 -j16 -N8 "$1" | awk '{print $1*2^24+$2*2^16+$3*2^8+$4, $5*2^24+$6*2^16+$7*2^8+$8}')
  awk -v s=$((w < h ? w : h)) -v t="$side" 'BEGIN{k = int(s / t + 0.5); print k < 1 ? 1 : k}'
}
echo "== MGDL Tables 2-3: $scale (shorter side about $side pixels, $epochs epochs per grade, Adam rate" \
  "${lr:-of runs/}), images: $images," \
  "$MSOPT_RANKS ranks =="
for image in $images; do
  png=data/images/$image.png
  ds=$(downsample "$png")
  for task in $tasks; do
    kind=${task%%:*} level=${task##*:}
    if [ "$kind" = denoise ]; then args=(-restore_task denoise -restore_noise "$level")
    else args=(-restore_task deblur -restore_blur "$level" -restore_noise 3); fi
    for model in mgdl sgdl; do
      name=${image}_${kind}${level}_$model
      echo "  $name: running (log $out/$name.log)"
      resumable_run "$out" "$name" "$scale-$epochs-$lr" restore -options_file "runs/restoration_$model.opts" \
        -opt_max_it "$epochs" "${rate[@]}" -data_png "$png" -data_downsample "$ds" "${args[@]}" -tv_lambda "${lambda[$task]}" \
        -restore_out "$out/$name.h5" ||
        { echo "image_restoration: $name failed, see $out/$name.log" >&2; tail -3 "$out/$name.log" >&2; }
      grep -E "^restore: final PSNR|^msopt: error" "$out/$name.log" | sed "s/^/  $name: /"
    done
  done
done
/usr/bin/python3 scripts/plot_restoration.py "$out" "$scale"
