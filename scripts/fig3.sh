#!/usr/bin/env bash
# Reproduces Figure 3 of the MrGD paper (Appendix E) on $MSOPT_RANKS ranks (default 2):
# for the two- and three-scale problems it generates the data, computes the
# covariance spectrum with SLEPc, selects MrGD rates (Theorem 3.4), runs eight
# methods, prints the table of gradient evaluations to relative residual 1e-8
# and writes results/fig3_<problem>.png.
set -euo pipefail
source "$(dirname "$0")/env.sh"
cd "$MSOPT_ROOT"
out=${1:-results}
mkdir -p "$out"

for problem in two_scale three_scale; do
  opts=runs/fig3_$problem.opts
  data=$out/fig3_$problem.h5
  spec=$out/fig3_${problem}_spectrum.h5
  echo "== Figure 3, $problem =="
  msopt_run data multiscale -options_file "$opts" -data_out "$data"
  msopt_run spectrum -options_file "$opts" -data_file "$data" -spec_out "$spec"
  train() {  # train NAME OPTIONS...
    local name=$1
    shift
    msopt_run train -options_file "$opts" -data_file "$data" -spec_file "$spec" \
      -history_out "$out/fig3_${problem}_$name.h5" "$@" | grep -E "^train: [a-z_]+:|amplification|^  [a-z_]+.*:"
  }
  train mrgd -opt_type mrgd
  train mrgd_paper -options_file "runs/fig3_${problem}_paper_mrgd.opts"
  train mrgd_groups -opt_type mrgd -mrgd_schedule groups_chebyshev
  train gd -opt_type gd -opt_lr 0.5
  train heavyball -opt_type heavyball
  train nesterov -opt_type nesterov
  train cg -opt_type cg
  train chebyshev -opt_type ksp_chebyshev
  train lbfgs -opt_type lbfgs
done
/usr/bin/python3 scripts/plot_fig3.py "$out"
