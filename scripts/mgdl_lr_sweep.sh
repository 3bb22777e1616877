#!/usr/bin/env bash
# Figures 1 and 28 of the MGDL paper (Sections 5 and 7): final loss against the
# learning rate for SGDL (26), MGDL (30) and MSDL (Appendix D: four [1]->[8]x4->[1]
# sub-networks on inputs scaled by 1, 2, 4, 8) on synthetic Setting 1 or 2. Every (model, rate)
# is its own mpiexec job; up to $MSOPT_JOBS (default 2) run at once, each on
# $MSOPT_RANKS ranks (default 1). Diverged runs are kept and marked NaN.
# The plot script writes OUT_DIR/mgdl_lr_sweep_setting<S>.{png,csv} and
# _intervals.csv: per model, the widest run of rates with final training loss
# below 1e-3, below 1e-2, and finite (not diverged).
# Usage: scripts/mgdl_lr_sweep.sh [-s SETTING] [-e EPOCHS] [-r "RATES"] [-m "MODELS"] [OUT_DIR]
#   -e EPOCHS   iterations per grade
#   -r RATES    learning rates, space-separated
#   -m MODELS   among sgdl mgdl msdl (default all three)
# MSOPT_SCALE=reduced (default): 10000 epochs per grade, 9 rates in [0.005, 0.5]
#   (about 6 minutes per setting on one core; the paper's 1e-3 losses take far
#   more epochs: this measures where training diverges and how far each model
#   gets in 10000 epochs);
# MSOPT_SCALE=full: the paper's 1e6 epochs (runs/ file) and 12 rates in
#   [0.001, 0.5] (days on one core: jobscripts/mgdl_synthetic.sbatch).
set -uo pipefail
export MSOPT_RANKS=${MSOPT_RANKS:-1}
source "$(dirname "$0")/env.sh"
cd "$MSOPT_ROOT" || exit
setting=1 models="sgdl mgdl msdl"
case ${MSOPT_SCALE:-reduced} in
  reduced) epochs=10000 rates="0.005 0.01 0.02 0.05 0.08 0.1 0.2 0.3 0.5" ;;
  full) epochs="" rates="0.001 0.002 0.005 0.01 0.02 0.03 0.05 0.08 0.1 0.2 0.3 0.5" ;;
  *) echo "MSOPT_SCALE must be reduced or full" >&2; exit 2 ;;
esac
while getopts "s:e:r:m:" flag; do
  case $flag in
    s) setting=$OPTARG ;;
    e) epochs=$OPTARG ;;
    r) rates=$OPTARG ;;
    m) models=$OPTARG ;;
    *) echo "usage: $0 [-s SETTING] [-e EPOCHS] [-r RATES] [-m MODELS] [OUT_DIR]" >&2; exit 2 ;;
  esac
done
shift $((OPTIND - 1))
out=${1:-results}
opts=runs/mgdl_lr_sweep_setting$setting.opts
dir=$out/mgdl_lr_sweep_setting$setting
mkdir -p "$dir"
jobs=${MSOPT_JOBS:-2}

msopt_run data synthetic -options_file "$opts" -data_n 1024 -data_sampling grid -data_out "$dir/train.h5" >/dev/null
msopt_run data synthetic -options_file "$opts" -data_n 1000 -data_sampling uniform -data_seed 2 \
  -data_out "$dir/validation.h5" >/dev/null

declare -A structure=([sgdl]="-mgdl_grades 1-32-32-32-32-1" [mgdl]="-mgdl_grades 1-32-1,32-32-1,32-32-1,32-32-1"
  [msdl]="-mgdl_model msdl")
for model in $models; do
  [ -n "${structure[$model]:-}" ] || { echo "mgdl_lr_sweep: unknown model '$model' (sgdl, mgdl or msdl)" >&2; exit 2; }
done
run_one() {  # run_one MODEL RATE: one job, its log beside its result
  local model=$1 rate=$2
  # shellcheck disable=SC2086  # the structure is several words
  msopt_run mgdl -options_file "$opts" ${epochs:+-opt_max_it $epochs} ${structure[$model]} \
    -opt_lr "$rate" -data_file "$dir/train.h5" -mgdl_validation "$dir/validation.h5" \
    -mgdl_out "$dir/${model}_lr$rate.h5" -quiet >"$dir/${model}_lr$rate.log" 2>&1
  echo "  $model eta = $rate: $(grep -m1 -E '^mgdl: final model|^msopt: error' "$dir/${model}_lr$rate.log")"
}
echo "== MGDL Figures 1 and 28, setting $setting: ${epochs:-paper (runs/ file)} epochs per grade, $jobs jobs of $MSOPT_RANKS rank(s) =="
start=$SECONDS
for rate in $rates; do
  for model in $models; do
    while [ "$(jobs -rp | wc -l)" -ge "$jobs" ]; do wait -n; done
    run_one "$model" "$rate" &
  done
done
wait
echo "  sweep wall time: $((SECONDS - start)) s"
/usr/bin/python3 scripts/plot_mgdl_lr_sweep.py "$dir" "$out/mgdl_lr_sweep_setting$setting.png" --thresholds 1e-3,1e-2,inf
