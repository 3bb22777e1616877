#!/usr/bin/env bash
# Strong and weak scaling of full-batch gradient descent on least squares
# (MrGD paper's data model, d = 100) on this machine, one run per rank count:
#   scripts/scaling_study.sh [OUT_DIR] [RANKS...]     (default: results 1 2 3 4)
# Strong: N = $STRONG_N (default 1e6) fixed; weak: $WEAK_N_PER_RANK (default 5e5)
# rows per rank. Rank counts above the cores are oversubscribed and marked so.
# Writes OUT_DIR/scaling.csv (raw), scaling_table.csv, scaling.png and prints
# the table with the communication model's predictions up to 1024 ranks.
set -euo pipefail
source "$(dirname "$0")/env.sh"
cd "$MSOPT_ROOT"
out=${1:-results}
shift || true
ranks=("${@:-1 2 3 4}")
read -r -a ranks <<<"${ranks[*]}"
strong_n=${STRONG_N:-1000000}
weak_n=${WEAK_N_PER_RANK:-500000}
iterations=${ITERATIONS:-100}
mkdir -p "$out"
csv=$out/scaling.csv
rm -f "$csv"
common=(-data_generate -data_dims 80,20 -data_scales 1,0.0316 -opt_type gd -opt_lr 0.5 -opt_tol 1e-300
        -opt_max_it "$iterations" -quiet -timing_out "$csv")
for p in "${ranks[@]}"; do
  for series in strong weak; do
    n=$strong_n
    [ "$series" = weak ] && n=$((weak_n * p))
    echo "scaling: $series, $p ranks, N = $n"
    MSOPT_RANKS=$p msopt_run train "${common[@]}" -data_n "$n" -timing_label "$series" | grep -E "^train: gd:" || true
  done
done
/usr/bin/python3 scripts/plot_scaling.py "$csv" "$out"
