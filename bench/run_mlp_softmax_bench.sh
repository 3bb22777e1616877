#!/usr/bin/env bash
# Issue 3 benchmarks, one command (as root on Debian 12, after scripts/setup.sh):
#
#   bench/run_mlp_softmax_bench.sh
#
# 1. MLP 784-1024-128-10 (relu, cross-entropy) on the 60000 Fashion-MNIST
#    training samples: one full-batch value+gradient (incl. the Allreduce) and
#    the exact H v, msopt at 1 and 2 MPI ranks vs PyTorch float64 at 1 and 2
#    threads, same parameters (msopt writes them, torch reads them) and the
#    loss/gradient/H v differences (bench_mlp_gradient, torch_mlp_gradient.py).
# 2. The 20 largest Hessian eigenvalues of softmax regression (d = 7850) at a
#    point after 20 GD steps: msopt's SLEPc path at 1 and 2 ranks vs scipy eigsh
#    on a numpy LinearOperator with 1 and 2 BLAS threads
#    (bench_softmax_spectrum, scipy_softmax_spectrum.py).
# Prints a table and writes results/bench_mlp_softmax.csv (bench/mlp_softmax_table.py).
#
# Installs python3-torch python3-scipy python3-h5py (and the Fashion-MNIST
# package) with apt-get if missing, imports the data once into
# build/bench-data/ (BENCH_DATA to change), builds (BUILD_DIR, default build/).
# Environment: REPS (timed gradients, default 5), HV_REPS (timed H v, 3),
# SPEC_REPS (timed eigensolves, 3), SWEEP (e.g. 256,1024: msopt block sweep),
# TORCH_TUNABLES (GLIBC_TUNABLES for torch, default glibc.malloc.hugetlb=1:
# transparent huge pages for its large tensors, as numpy's allocator does;
# set it empty for plain malloc). Runs one job at a time, at most 2 cores.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(dirname "$here")"
build="${BUILD_DIR:-$root/build}"
cache="${BENCH_DATA:-$build/bench-data}"
REPS="${REPS:-5}"
HV_REPS="${HV_REPS:-3}"
SPEC_REPS="${SPEC_REPS:-3}"
SWEEP="${SWEEP:-}"
TORCH_TUNABLES="${TORCH_TUNABLES-glibc.malloc.hugetlb=1}"
py=/usr/bin/python3  # Debian's numpy/scipy/torch

# 1. Packages.
packages=(python3-numpy python3-scipy python3-h5py python3-torch dataset-fashion-mnist)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  [[ $(id -u) == 0 ]] || { echo "run_mlp_softmax_bench.sh: missing ${missing[*]}; run as root to install them" >&2; exit 1; }
  echo "run_mlp_softmax_bench.sh: installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# 2. Build (incremental).
if [[ ! -f "$build/CMakeCache.txt" ]]; then
  cmake -S "$root" -B "$build" -DCMAKE_BUILD_TYPE=Release >/dev/null
fi
cmake --build "$build" -j2 --target msopt bench_mlp_gradient bench_softmax_spectrum blas_check >/dev/null
# MSOPT_BLAS_CORETYPE (opt-in): checked against the reference BLAS, then exported for both sides.
source "$root/scripts/blas_coretype.sh"
msopt_blas_coretype "$build"

export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
export OPENBLAS_NUM_THREADS=1 OMP_NUM_THREADS=1

# 3. Data, imported once.
data="$cache/fashion_train.h5"
if [[ ! -f "$data" ]]; then
  mkdir -p "$cache"
  "$build/msopt" data fashion-mnist -data_out "$data"
fi

logs="$(mktemp -d)"
trap 'rm -rf "$logs"' EXIT
run() {  # log-name command...: echo, run, keep the output
  local log="$1"
  shift
  echo "=== $*"
  "$@" | tee "$logs/$log.txt"
  echo
}
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"

# 4. MLP gradient and H v: msopt k ranks, then torch k threads on msopt's parameters.
sweep_opt=()
[[ -n "$SWEEP" ]] && sweep_opt=(-sweep "$SWEEP")
for k in 1 2; do
  run "mlp_msopt$k" mpiexec -n "$k" --bind-to none "$build/bench/bench_mlp_gradient" -data_file "$data" \
    -reps "$REPS" -hv_reps "$HV_REPS" -out "$cache/mlp_point_$k.h5" "${sweep_opt[@]}"
  run "mlp_torch$k" env OPENBLAS_NUM_THREADS="$k" OMP_NUM_THREADS="$k" GLIBC_TUNABLES="$TORCH_TUNABLES" \
    "$py" "$here/torch_mlp_gradient.py" "$data" "$cache/mlp_point_$k.h5" "$k" "$REPS" "$HV_REPS"
done

# 5. Softmax Hessian top-20: SLEPc k ranks, then eigsh with k BLAS threads.
for k in 1 2; do
  run "spec_slepc$k" mpiexec -n "$k" --bind-to none "$build/bench/bench_softmax_spectrum" -data_file "$data" \
    -nev 20 -reps "$SPEC_REPS" -out "$cache/softmax_point_$k.h5"
  run "spec_scipy$k" env OPENBLAS_NUM_THREADS="$k" OMP_NUM_THREADS="$k" \
    "$py" "$here/scipy_softmax_spectrum.py" "$data" "$cache/softmax_point_$k.h5" 20 "$SPEC_REPS"
done
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"

# 6. Table and CSV.
echo "=== msopt vs PyTorch (MLP) and scipy eigsh (softmax Hessian), medians and mins in seconds"
"$py" "$here/mlp_softmax_table.py" "$logs" "$root/results/bench_mlp_softmax.csv"
