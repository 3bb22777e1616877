#!/usr/bin/env bash
# Sections 6 and 7 of the MGDL paper on the synthetic data of eq. (5): SGDL (26),
# MGDL (30) and MSDL (Appendix D) trained by GD at the paper's rates, with the
# 10 smallest and 10 largest eigenvalues of I - eta H recorded during training:
#   Setting 1: SGDL 0.08, MGDL 0.06 (Figure 2), MSDL 0.004 (Figure 25)
#   Setting 2: SGDL 0.005, MGDL 0.2 (Figure 16), MSDL 0.006 (Figure 26)
# Runs go to OUT_DIR/eigenvalues_setting<S>/<model>.{h5,csv,_eig.csv,log};
# scripts/plot_mgdl_eigenvalues.py draws OUT_DIR/mgdl_{eig,msdl,predictions}_setting<S>.png
# (Figures 2/16, 25/26, 17/27) and OUT_DIR/mgdl_summary_setting<S>.csv.
# Every run is one mpiexec job on $MSOPT_RANKS ranks (default 1), up to
# $MSOPT_JOBS (default 1) at once; a diverged run is kept (its losses plotted).
# Usage: scripts/mgdl_eigenvalues.sh [-s "SETTINGS"] [-m "MODELS"] [-e EPOCHS] [-k EIG_EVERY] [OUT_DIR]
#   -s  settings (default "1 2")        -m  models (default "sgdl mgdl msdl")
#   -e  GD epochs per grade             -k  epochs between eigenvalue computations
# MSOPT_SCALE=reduced (default): 20000 epochs per grade, eigenvalues every 500
#   (104 s for setting 1 on one rank, measured on 2 busy cores); full: the runs/ files' 1e6 epochs,
#   every 1e4 (jobscripts/mgdl_synthetic.sbatch).
set -uo pipefail
export MSOPT_RANKS=${MSOPT_RANKS:-1}
source "$(dirname "$0")/env.sh"
# Single-rank jobs side by side: OpenMPI would bind every one of them to core 0.
export OMPI_MCA_hwloc_base_binding_policy=${OMPI_MCA_hwloc_base_binding_policy:-none}
cd "$MSOPT_ROOT" || exit
settings="1 2" models="sgdl mgdl msdl"
case ${MSOPT_SCALE:-reduced} in
  reduced) epochs=20000 every=500 ;;
  full) epochs="" every="" ;;
  *) echo "MSOPT_SCALE must be reduced or full" >&2; exit 2 ;;
esac
while getopts "s:m:e:k:" flag; do
  case $flag in
    s) settings=$OPTARG ;;
    m) models=$OPTARG ;;
    e) epochs=$OPTARG ;;
    k) every=$OPTARG ;;
    *) echo "usage: $0 [-s SETTINGS] [-m MODELS] [-e EPOCHS] [-k EIG_EVERY] [OUT_DIR]" >&2; exit 2 ;;
  esac
done
shift $((OPTIND - 1))
out=${1:-results/mgdl_synthetic}
jobs=${MSOPT_JOBS:-1}
# The paper's rates (figure captions) and structures (Appendix D).
declare -A rate=([sgdl1]=0.08 [mgdl1]=0.06 [msdl1]=0.004 [sgdl2]=0.005 [mgdl2]=0.2 [msdl2]=0.006)
declare -A structure=([sgdl]="-mgdl_grades 1-32-32-32-32-1" [mgdl]="-mgdl_grades 1-32-1,32-32-1,32-32-1,32-32-1"
  [msdl]="-mgdl_model msdl")
for m in $models; do
  [ -n "${structure[$m]:-}" ] || { echo "$0: unknown model '$m' (sgdl, mgdl, msdl)" >&2; exit 2; }
done

run_one() {  # run_one SETTING MODEL: one job, its log beside its result
  local s=$1 m=$2 dir=$out/eigenvalues_setting$1 t0=$SECONDS
  # shellcheck disable=SC2086
  msopt_run mgdl -options_file "runs/mgdl_eigenvalues_setting$s.opts" ${epochs:+-opt_max_it $epochs} \
    ${every:+-mgdl_eig_every $every} ${structure[$m]} -opt_lr "${rate[$m$s]}" -data_file "$dir/train.h5" \
    -mgdl_validation "$dir/validation.h5" -mgdl_out "$dir/$m.h5" -quiet >"$dir/$m.log" 2>&1
  echo "  setting $s $m eta = ${rate[$m$s]}: $(grep -m1 -E '^mgdl: final model|^msopt: error' "$dir/$m.log")" \
    "($((SECONDS - t0)) s)"
}

for s in $settings; do
  dir=$out/eigenvalues_setting$s
  mkdir -p "$dir"
  opts=runs/mgdl_eigenvalues_setting$s.opts
  [ -f "$opts" ] || { echo "$0: no $opts (settings 1 and 2)" >&2; exit 2; }
  msopt_run data synthetic -options_file "$opts" -data_n 1024 -data_sampling grid -data_out "$dir/train.h5" >/dev/null
  msopt_run data synthetic -options_file "$opts" -data_n 1000 -data_sampling uniform -data_seed 2 \
    -data_out "$dir/validation.h5" >/dev/null
  echo "== MGDL paper Sections 6-7, setting $s: ${epochs:-paper (runs/ file)} epochs per grade," \
    "eigenvalues every ${every:-runs/ file} =="
  for m in $models; do
    while [ "$(jobs -rp | wc -l)" -ge "$jobs" ]; do wait -n; done
    run_one "$s" "$m" &
  done
  wait
  /usr/bin/python3 scripts/plot_mgdl_eigenvalues.py "$dir" "$s" "$out/mgdl"
done
