#!/usr/bin/env bash
# Submits a strong (N fixed) and a weak (N per rank fixed) scaling series as
# SLURM jobs, one per rank count, then a job that gathers their rows into the
# table and plot (scripts/plot_scaling.py) once all have finished.
#   jobscripts/scaling_study.sh OUT_DIR RANKS...      e.g. results/scaling 1 2 4 8 16
# STRONG_N (default 1e6), WEAK_N_PER_RANK (5e5), ITERATIONS (100) as for
# scripts/scaling_study.sh, which runs the same series without SLURM.
set -euo pipefail
cd "$(dirname "$0")/.."
out=${1:?usage: jobscripts/scaling_study.sh OUT_DIR RANKS...}
shift
[ $# -gt 0 ] || { echo "scaling_study.sh: give the rank counts, e.g. 1 2 4 8" >&2; exit 2; }
mkdir -p "$out" results
csv=$(cd "$out" && pwd)/scaling.csv
rm -f "$csv"
jobs=()
for p in "$@"; do
  for series in strong weak; do
    n=${STRONG_N:-1000000}
    [ "$series" = weak ] && n=$((${WEAK_N_PER_RANK:-500000} * p))
    id=$(sbatch --parsable --ntasks="$p" jobscripts/scaling_run.sbatch "$series" "$n" "$csv")
    echo "submitted $series, $p ranks, N = $n: job $id"
    jobs+=("$id")
  done
done
dependency=$(IFS=:; echo "afterok:${jobs[*]}")
id=$(sbatch --parsable --dependency="$dependency" --ntasks=1 --job-name=msopt-scaling-table \
  --output="$out/scaling_table.out" --wrap "/usr/bin/python3 scripts/plot_scaling.py '$csv' '$out'")
echo "submitted the table and plot: job $id (writes $out/scaling_table.csv, $out/scaling.png)"
