#!/usr/bin/env bash
# MGDL paper, Section 6, image denoising (Figures 21-24): SGDL (27) and MGDL
# (31) fitted through the TV loss (22)/(24) by GD (msopt restore -opt_type gd),
# the 10 smallest and largest eigenvalues of I - eta H every K epochs, H the
# Hessian in the network parameters at the current u. Runs one job at a time on
# $MSOPT_RANKS ranks (default 2) and writes OUT_DIR/restoration_eigenvalues/
# (default results/): per image and noise level a folder with the runs
# (HDF5, CSV, logs), <image>_denoise<sigma>_eig_setting....png (eigenvalues
# and losses of both models) and a summary CSV (scripts/plot_mgdl_eigenvalues.py).
#   MSOPT_SCALE=reduced  (default) Cameraman averaged down to 32 x 32, noise 10 and 30, eta 3e-4,
#                        2000 GD epochs per grade, eigenvalues every 100: about 1 minute
#   MSOPT_SCALE=full     64 x 64 Cameraman, brick (for Butterfly) and grass (for Barbara), noise 10
#                        and 30, 20,000 epochs per grade, every 500 (not timed; hours)
# The paper gives no rate for Figures 21-24. The TV loss is a sum over the
# pixels, so H is about n times the Hessian of a mean loss: eta 3e-4 puts
# SGDL's and MGDL's starting sharpness inside 2/eta on the 32 x 32 image.
# Usage: [MSOPT_SCALE=full] scripts/restoration_eigenvalues.sh [OUT_DIR]
set -euo pipefail
source "$(dirname "$0")/env.sh"
cd "$MSOPT_ROOT"
out=${1:-results}/restoration_eigenvalues
scale=${MSOPT_SCALE:-reduced}
case $scale in
  reduced) downsample=16 epochs=2000 every=100 images="camera" ;;
  full) downsample=8 epochs=20000 every=500 images="camera brick grass" ;;
  *) echo "restoration_eigenvalues: MSOPT_SCALE must be full or reduced, not '$scale'" >&2; exit 2 ;;
esac
[ -s data/images/MANIFEST ] || bash scripts/get_images.sh
common=(-restore_task denoise -tv_lambda 0.02 -opt_type gd -opt_lr 3e-4 -opt_max_it "$epochs" -opt_tol 1e-300
  -mgdl_activation relu -mgdl_init torch -mgdl_seed 1 -mgdl_eig_every "$every" -mgdl_eig_nev 10
  -spec_eps_conv_abs -spec_eps_tol 1e-4 -progress_seconds 60)
echo "== MGDL Figures 21-24 ($scale: -data_downsample $downsample, $epochs GD epochs per grade at eta 3e-4," \
  "eigenvalues every $every), images: $images =="
for image in $images; do
  for noise in 10 30; do
    dir=$out/${image}_denoise$noise
    mkdir -p "$dir"
    for model in sgdl mgdl; do
      grades=2-48-48-48-48-1
      [ $model = mgdl ] && grades=2-48-1,48-48-1,48-48-1,48-48-1
      t0=$SECONDS
      echo "  ${image}_denoise${noise}_$model: running (log $dir/$model.log)"
      msopt_run restore "${common[@]}" -data_png "data/images/$image.png" -data_downsample "$downsample" \
        -restore_noise "$noise" -mgdl_grades "$grades" -restore_out "$dir/$model.h5" >"$dir/$model.log" 2>&1 ||
        echo "restoration_eigenvalues: ${image}_denoise${noise}_$model failed, see $dir/$model.log" >&2
      echo "  ${image}_denoise${noise}_$model: $(grep -E '^restore: final PSNR|^msopt: error' "$dir/$model.log" |
        sed 's/^restore: //') ($((SECONDS - t0)) s)"
    done
    /usr/bin/python3 scripts/plot_mgdl_eigenvalues.py "$dir" "denoise$noise" "$out/${image}_denoise$noise"
  done
done
