#!/usr/bin/env bash
# Full-batch least-squares gradient: msopt at 1 and 2 ranks vs numpy, and each
# against the read bandwidth measured in the same run.
#
#   bench/run_gradient_bench.sh [N [d [reps]]]       (defaults 1000000 100 20)
#
# Environment: BLOCK (block_rows passed as -block, default 128), SWEEP (0 to
# skip the block-size sweep), BUILD_DIR (default <repo>/build).
# Uses at most 2 MPI ranks; runs one after another, never concurrently.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(dirname "$here")"
build="${BUILD_DIR:-$root/build}"
N="${1:-1000000}"
D="${2:-100}"
REPS="${3:-20}"
BLOCK="${BLOCK:-128}"
SWEEP="${SWEEP:-1}"
[[ "$SWEEP" == 0 ]] && sweep_opt=false || sweep_opt=true

export OPENBLAS_NUM_THREADS=1
export OMPI_ALLOW_RUN_AS_ROOT=1
export OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1

# Build if needed (incremental).
if [[ ! -f "$build/CMakeCache.txt" ]]; then
  cmake -S "$root" -B "$build" -DCMAKE_BUILD_TYPE=Release >/dev/null
fi
cmake --build "$build" -j2 --target bench_gradient >/dev/null
bin="$build/bench/bench_gradient"

logs="$(mktemp -d)"
trap 'rm -rf "$logs"' EXIT

for k in 1 2; do
  echo "=== msopt, $k rank(s): mpiexec -n $k --bind-to core $bin -n $N -d $D -reps $REPS -block $BLOCK -sweep $sweep_opt"
  mpiexec -n "$k" --bind-to core "$bin" -n "$N" -d "$D" -reps "$REPS" -block "$BLOCK" -sweep "$sweep_opt" \
    | tee "$logs/msopt$k.txt"
  echo
done
echo "=== numpy: /usr/bin/python3 $here/numpy_gradient.py $N $D $REPS"
/usr/bin/python3 "$here/numpy_gradient.py" "$N" "$D" "$REPS" | tee "$logs/numpy.txt"
echo

# key=value fields of the RESULT line of a log.
field() { grep '^RESULT' "$1" | tr ' ' '\n' | sed -n "s/^$2=//p"; }

m1=$(field "$logs/msopt1.txt" grad_median_s)
m2=$(field "$logs/msopt2.txt" grad_median_s)
np=$(field "$logs/numpy.txt" grad_median_s)
f1=$(field "$logs/msopt1.txt" frac_read)
f2=$(field "$logs/msopt2.txt" frac_read)
r1=$(field "$logs/msopt1.txt" read_gbs)
r2=$(field "$logs/msopt2.txt" read_gbs)
rn=$(field "$logs/numpy.txt" read_gbs)
b1=$(field "$logs/msopt1.txt" best_block)
b2=$(field "$logs/msopt2.txt" best_block)

awk -v N="$N" -v D="$D" -v reps="$REPS" -v block="$BLOCK" -v m1="$m1" -v m2="$m2" -v np="$np" \
    -v f1="$f1" -v f2="$f2" -v r1="$r1" -v r2="$r2" -v rn="$rn" -v b1="$b1" -v b2="$b2" 'BEGIN {
  s_np = np / m1; s_2 = m1 / m2
  printf "=== gradient of the least-squares objective, N=%d d=%d, median of %d reps, block=%d\n", N, D, reps, block
  printf "%-40s %12s %12s %s\n", "", "measured", "target", ""
  printf "%-40s %11.4fs\n", "msopt 1 rank, time per gradient", m1
  printf "%-40s %11.4fs\n", "msopt 2 ranks, time per gradient", m2
  printf "%-40s %11.4fs\n", "numpy (OpenBLAS, 1 thread), time", np
  printf "%-40s %11.2fx %12s %s\n", "speed-up msopt(1 rank) / numpy", s_np, ">= 1.5x", (s_np >= 1.5 ? "met" : "MISSED")
  printf "%-40s %11.2fx %12s %s\n", "2-rank speed-up msopt(1)/msopt(2)", s_2, ">= 1.7x", (s_2 >= 1.7 ? "met" : "MISSED")
  printf "%-40s %11.1f%% %12s %s\n", "fraction of read BW, 1 rank (1 pass)", 100 * f1, ">= 80%", (f1 >= 0.8 ? "met" : "MISSED")
  printf "%-40s %11.1f%% %12s %s\n", "fraction of read BW, 2 ranks (1 pass)", 100 * f2, ">= 80%", (f2 >= 0.8 ? "met" : "MISSED")
  printf "%-40s %8.2f GB/s (1 rank)  %.2f GB/s (2 ranks)  %.2f GB/s (numpy)\n", "measured read bandwidth", r1, r2, rn
  printf "%-40s %12s (1 rank)  %s (2 ranks)\n", "best block_rows in sweep", b1, b2
}'
