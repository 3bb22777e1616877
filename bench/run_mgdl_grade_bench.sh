#!/usr/bin/env bash
# Issue 5 benchmark, one command (as root on Debian 12, after scripts/setup.sh):
#
#   bench/run_mgdl_grade_bench.sh
#
# One epoch (= one full-batch gradient incl. the Allreduce + one Adam step) of
# MGDL grade-4 training on the Cameraman regression task: the network
# [128 -> 128 -> 128 -> 1] (relu, 0.5 mean squared error) on the frozen
# 128-wide features of grades 1-3 (structure of runs/cameraman_mgdl.opts,
# grades 1-3 frozen at their start parameters) at the 16384 training pixels
# of the 256 x 256 image. msopt at 1 and 2 MPI ranks vs PyTorch float64 at 1
# and 2 threads on the same features, residuals and start parameters (msopt
# writes them, torch reads them), the losses of all epochs compared
# (bench_mgdl_grade, torch_mgdl_grade.py). The runs are interleaved (ROUNDS
# rounds of msopt 1 rank, torch 1 thread, msopt 2 ranks, torch 2 threads), the
# table pools every timed epoch of all rounds: median and min.
# Prints the table and writes results/bench_mgdl_grade.csv (bench/mgdl_grade_table.py).
#
# Installs python3-torch python3-scipy python3-h5py with apt-get if missing,
# fetches camera.png (scripts/get_images.sh) and makes the training set once
# in build/bench-data/ (BENCH_DATA to change), builds (BUILD_DIR, default
# build/). Environment: REPS (timed epochs per run, default 20), ROUNDS (3),
# MSOPT_IMAGE (camera.png to use), TORCH_TUNABLES (GLIBC_TUNABLES for torch,
# default glibc.malloc.hugetlb=1, as in run_mlp_softmax_bench.sh; empty for plain
# malloc). Runs one job at a time, at most 2 cores.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(dirname "$here")"
build="${BUILD_DIR:-$root/build}"
cache="${BENCH_DATA:-$build/bench-data}"
REPS="${REPS:-20}"
ROUNDS="${ROUNDS:-3}"
TORCH_TUNABLES="${TORCH_TUNABLES-glibc.malloc.hugetlb=1}"
py=/usr/bin/python3  # Debian's numpy/torch

# 1. Packages.
packages=(python3-numpy python3-scipy python3-h5py python3-torch)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  [[ $(id -u) == 0 ]] || { echo "run_mgdl_grade_bench.sh: missing ${missing[*]}; run as root to install them" >&2; exit 1; }
  echo "run_mgdl_grade_bench.sh: installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# 2. Build (incremental).
if [[ ! -f "$build/CMakeCache.txt" ]]; then
  cmake -S "$root" -B "$build" -DCMAKE_BUILD_TYPE=Release >/dev/null
fi
cmake --build "$build" -j2 --target msopt bench_mgdl_grade blas_check >/dev/null
# MSOPT_BLAS_CORETYPE (opt-in): checked against the reference BLAS, then exported for both sides.
source "$root/scripts/blas_coretype.sh"
msopt_blas_coretype "$build"

export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
export OPENBLAS_NUM_THREADS=1 OMP_NUM_THREADS=1

# 3. Data, made once: the 128 x 128 training pixels of the 256 x 256 Cameraman.
data="$cache/camera_train.h5"
if [[ ! -f "$data" ]]; then
  png="${MSOPT_IMAGE:-$root/data/images/camera.png}"
  [[ -s "$png" ]] || bash "$root/scripts/get_images.sh"
  mkdir -p "$cache"
  "$build/msopt" data image -data_png "$png" -data_downsample 2 -data_split train -data_out "$data" >/dev/null
fi

logs="$(mktemp -d)"
trap 'rm -rf "$logs"' EXIT
run() {  # log-name command...: echo, run, keep the output (the TIMES line only in the log)
  local log="$1"
  shift
  echo "=== $*"
  "$@" >"$logs/$log.txt" || { cat "$logs/$log.txt"; echo "run_mgdl_grade_bench.sh: failed: $*" >&2; exit 1; }
  grep -v '^TIMES' "$logs/$log.txt"
  echo
}
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)" | tee "$logs/load_before.txt"

# 4. Interleaved: msopt k ranks, then torch k threads on msopt's features and parameters.
for ((r = 1; r <= ROUNDS; ++r)); do
  echo "--- round $r of $ROUNDS, load average $(cut -d' ' -f1-3 /proc/loadavg)"
  for k in 1 2; do
    run "mgdl_msopt${k}_r$r" mpiexec -n "$k" --bind-to none "$build/bench/bench_mgdl_grade" -data_file "$data" \
      -reps "$REPS" -features "$cache/mgdl_grade4_features_$k.h5" -out "$cache/mgdl_grade4_point_$k.h5"
    run "mgdl_torch${k}_r$r" env OPENBLAS_NUM_THREADS="$k" OMP_NUM_THREADS="$k" GLIBC_TUNABLES="$TORCH_TUNABLES" \
      "$py" "$here/torch_mgdl_grade.py" "$cache/mgdl_grade4_features_$k.h5" "$cache/mgdl_grade4_point_$k.h5" "$k" "$REPS"
  done
done
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)" | tee "$logs/load_after.txt"

# 5. Table and CSV.
echo "=== one MGDL grade-4 epoch (gradient + Adam), msopt vs PyTorch float64, seconds over all rounds"
"$py" "$here/mgdl_grade_table.py" "$logs" "$root/results/bench_mgdl_grade.csv"
