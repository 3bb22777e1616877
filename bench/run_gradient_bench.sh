#!/usr/bin/env bash
# Full-batch least-squares gradient: msopt at 1 and 2 ranks vs numpy, and each
# against the read bandwidth measured in the same run.
#
#   bench/run_gradient_bench.sh [N [d [reps]]]       (defaults 1000000 100 20)
#
# Environment: BUILD_DIR (default <repo>/build); MSOPT_BLAS_CORETYPE (opt-in:
# the OpenBLAS kernel of numpy's side, checked against the reference BLAS
# first, see scripts/blas_coretype.sh; unset, OPENBLAS_CORETYPE stays as found).
# Uses at most 2 MPI ranks; runs one after another, never concurrently.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(dirname "$here")"
build="${BUILD_DIR:-$root/build}"
N="${1:-1000000}"
D="${2:-100}"
REPS="${3:-20}"

export OPENBLAS_NUM_THREADS=1
export OMPI_ALLOW_RUN_AS_ROOT=1
export OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1

# Build if needed (incremental).
if [[ ! -f "$build/CMakeCache.txt" ]]; then
  cmake -S "$root" -B "$build" -DCMAKE_BUILD_TYPE=Release >/dev/null
fi
cmake --build "$build" -j2 --target bench_gradient blas_check >/dev/null
bin="$build/bench/bench_gradient"
source "$root/scripts/blas_coretype.sh"
msopt_blas_coretype "$build"

logs="$(mktemp -d)"
trap 'rm -rf "$logs"' EXIT

for k in 1 2; do
  echo "=== msopt, $k rank(s): mpiexec -n $k --bind-to core $bin -n $N -d $D -reps $REPS"
  mpiexec -n "$k" --bind-to core "$bin" -n "$N" -d "$D" -reps "$REPS" | tee "$logs/msopt$k.txt"
  echo
done
echo "=== numpy: /usr/bin/python3 $here/numpy_gradient.py $N $D $REPS"
/usr/bin/python3 "$here/numpy_gradient.py" "$N" "$D" "$REPS" | tee "$logs/numpy.txt"
echo

# key=value fields of the RESULT line of a log.
field() { grep '^RESULT' "$1" | tr ' ' '\n' | sed -n "s/^$2=//p"; }
vals() {  # impl log -> "grad_median grad_min read_median read_min"
  echo "$(field "$1" grad_median_s) $(field "$1" grad_min_s) $(field "$1" read_median_s) $(field "$1" read_min_s)"
}

# Verdicts use the medians; the min column is the same quantity from the
# fastest repetitions (other jobs on the machine only ever add time).
awk -v N="$N" -v D="$D" -v reps="$REPS" \
    -v a="$(vals "$logs/msopt1.txt")" -v b="$(vals "$logs/msopt2.txt")" -v c="$(vals "$logs/numpy.txt")" 'BEGIN {
  split(a, m1); split(b, m2); split(c, np)   # [1] grad med [2] grad min [3] read med [4] read min
  X = 8.0 * N * D
  printf "=== least-squares gradient, N=%d d=%d, %d reps (one pass over X = %.0f MB)\n", N, D, reps, X / 1e6
  printf "%-38s %10s %10s %10s  %s\n", "", "median", "min", "target", "verdict"
  printf "%-38s %9.4fs %9.4fs\n", "msopt 1 rank, time per gradient", m1[1], m1[2]
  printf "%-38s %9.4fs %9.4fs\n", "msopt 2 ranks, time per gradient", m2[1], m2[2]
  printf "%-38s %9.4fs %9.4fs\n", "numpy X.T@(X@w-y), time", np[1], np[2]
  row("speed-up msopt(1 rank) / numpy", np[1] / m1[1], np[2] / m1[2], 1.5, "x")
  row("2-rank speed-up msopt(1)/msopt(2)", m1[1] / m2[1], m1[2] / m2[2], 1.7, "x")
  row("fraction of read BW, 1 rank", m1[3] / m1[1], m1[4] / m1[2], 0.8, "%")
  row("fraction of read BW, 2 ranks", m2[3] / m2[1], m2[4] / m2[2], 0.8, "%")
  printf "%-38s %8.2f GB/s 1 rank, %.2f GB/s 2 ranks, %.2f GB/s numpy X.sum() (medians)\n", "measured read bandwidth", X / m1[3] / 1e9, X / m2[3] / 1e9, X / np[3] / 1e9
  noisy = ""
  if (m1[1] > 1.15 * m1[2]) noisy = noisy " msopt-1"
  if (m2[1] > 1.15 * m2[2]) noisy = noisy " msopt-2"
  if (np[1] > 1.15 * np[2]) noisy = noisy " numpy"
  if (noisy != "") printf "WARNING: median > 1.15 x min for%s: the machine was busy; compare the min column or rerun.\n", noisy
}
function row(name, med, mn, target, unit) {
  if (unit == "%") printf "%-38s %9.1f%% %9.1f%% %9s%%  %s\n", name, 100 * med, 100 * mn, ">=" 100 * target, (med >= target ? "met" : "MISSED")
  else printf "%-38s %9.3fx %9.3fx %9s   %s\n", name, med, mn, ">=" target "x", (med >= target ? "met" : "MISSED")
}'
