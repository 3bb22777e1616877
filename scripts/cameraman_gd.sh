#!/usr/bin/env bash
# The GD experiments of the MGDL paper on 'Cameraman' image regression, run by
# scripts/cameraman_regression.sh -m MODE (see there for the sizes):
#   eigenvalues  Section 6, Figures 3 and 18: SGDL (27) at eta 0.1, MGDL (31) at
#                eta 0.2, the 10 smallest and largest eigenvalues of I - eta H
#                during training -> OUT_DIR/cameraman_eigenvalues/
#   lr_sweep     Section 5, Figure 15: SGDL (28) and MGDL (32) at each rate ->
#                OUT_DIR/cameraman_lr_sweep/ and OUT_DIR/cameraman_lr_sweep.{png,csv}
# Every run is one job on $MSOPT_RANKS ranks, one at a time.
# Usage: scripts/cameraman_gd.sh eigenvalues|lr_sweep reduced|full PNG OUT_DIR
set -euo pipefail
source "$(dirname "$0")/env.sh"
cd "$MSOPT_ROOT"
mode=$1 scale=$2 png=$3 out=$4/cameraman_$1
common=(-opt_type gd -opt_tol 1e-300 -mgdl_activation relu -mgdl_init torch -mgdl_seed 1 -progress_seconds 60)
case $mode:$scale in
  eigenvalues:reduced) downsample=16 epochs=2000 every=100 ;;
  eigenvalues:full) downsample=8 epochs=100000 every=1000 ;;
  lr_sweep:reduced) downsample=16 epochs=300 rates="0.01 0.1 0.3 1" ;;
  lr_sweep:full) downsample=2 epochs=100000 rates="0.001 0.003 0.01 0.03 0.1 0.3 0.5 1" ;;
  *) echo "cameraman_gd: MSOPT_SCALE must be full or reduced, not '$scale'" >&2; exit 2 ;;
esac
mkdir -p "$out"
msopt_run data image -data_png "$png" -data_downsample "$downsample" -data_split all -data_out "$out/camera.h5" >/dev/null
data=(-data_file "$out/camera_train.h5" -mgdl_validation "$out/camera_validation.h5" -mgdl_test "$out/camera_test.h5")

# run NAME ARGS...: one msopt mgdl job, its log beside its result; prints its last line and time.
run() {
  local name=$1 t0=$SECONDS
  shift
  echo "  $name: running (log $out/$name.log)"
  msopt_run mgdl "${common[@]}" "${data[@]}" -opt_max_it "$epochs" -mgdl_out "$out/$name.h5" "$@" \
    >"$out/$name.log" 2>&1 || echo "cameraman_gd: $name failed, see $out/$name.log" >&2
  echo "  $name: $(grep -m1 -E '^mgdl: final model|^msopt: error' "$out/$name.log" | sed 's/^mgdl: //') ($((SECONDS - t0)) s)"
}

if [ "$mode" = eigenvalues ]; then
  echo "== MGDL Figures 3/18, Cameraman ($scale: -data_downsample $downsample, $epochs GD epochs per grade," \
    "eigenvalues every $every) =="
  eig=(-mgdl_eig_every "$every" -mgdl_eig_nev 10 -spec_eps_conv_abs)
  run sgdl -mgdl_grades 2-48-48-48-48-1 -opt_lr 0.1 "${eig[@]}"
  run mgdl -mgdl_grades 2-48-1,48-48-1,48-48-1,48-48-1 -opt_lr 0.2 "${eig[@]}"
  /usr/bin/python3 scripts/plot_mgdl_eigenvalues.py "$out" cameraman "$out/cameraman"
else
  echo "== MGDL Figure 15, Cameraman ($scale: -data_downsample $downsample, $epochs GD epochs per grade," \
    "rates $rates) =="
  for rate in $rates; do
    run "sgdl_lr$rate" -mgdl_grades 2-128-128-128-128-128-128-128-128-1 -opt_lr "$rate"
    run "mgdl_lr$rate" -mgdl_grades 2-128-128-1,128-128-128-1,128-128-128-1,128-128-128-1 -opt_lr "$rate"
  done
  /usr/bin/python3 scripts/plot_mgdl_lr_sweep.py "$out" "$out.png" --thresholds 1e-2,inf
fi
