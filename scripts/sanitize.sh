#!/usr/bin/env bash
# Builds msopt with AddressSanitizer + UndefinedBehaviorSanitizer in
# ./build-asan and runs the unit tests at 1 and 2 MPI ranks. Exits non-zero
# on a test failure or any sanitizer finding.
#
# Leak checking is on, restricted to our code: fuzz/lsan.supp suppresses
# every leak whose allocation stack passes through OpenMPI, PETSc, SLEPc,
# HDF5 or their dependencies (they keep memory until exit by design), and
# fuzz/no_dlclose.c (preloaded) keeps OpenMPI's plugins mapped so that their
# frames can be named. ASAN_OPTIONS=detect_leaks=0 turns leak checking off.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
jobs=${MSOPT_JOBS:-2}
start=$(date +%s)

cmake -S . -B build-asan -DMSOPT_SANITIZE=ON -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build build-asan -j "$jobs" --target msopt_tests msopt
cc -shared -fPIC -O2 -o build-asan/no_dlclose.so fuzz/no_dlclose.c
built=$(date +%s)

export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
export OPENBLAS_NUM_THREADS=1 OMP_NUM_THREADS=1
export LD_PRELOAD=$root/build-asan/no_dlclose.so${LD_PRELOAD:+:$LD_PRELOAD}
# verify_asan_link_order=0: the preloaded shim comes before libasan (harmless:
# it defines dlclose only); fast_unwind_on_malloc=0: full allocation stacks
# through the system libraries (built without frame pointers) for the
# suppressions to match.
# Options given by the caller come last and win.
export ASAN_OPTIONS=verify_asan_link_order=0:detect_leaks=1:fast_unwind_on_malloc=0:strict_string_checks=1:detect_stack_use_after_return=1:check_initialization_order=1${ASAN_OPTIONS:+:$ASAN_OPTIONS}
export LSAN_OPTIONS=${LSAN_OPTIONS:-suppressions=$root/fuzz/lsan.supp:print_suppressions=0}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}

tests=$root/build-asan/tests/msopt_tests
status=0
echo "sanitize: unit tests at 1 rank"
"$tests" --gtest_brief=1 || status=$?
# At 2 ranks without the one serial test that takes a third of the sanitized time (every rank would run
# the same arithmetic again, 230 s; the 1-rank run above covers it).
echo "sanitize: unit tests at 2 ranks"
mpiexec -n 2 --oversubscribe "$tests" --gtest_brief=1 --gtest_filter=-GroupsChebyshev.NeverMoreEvaluationsThanTheorem34 ||
  status=$?

# The msopt command itself on 2 ranks: data, spectrum, two solvers, a bad option.
echo "sanitize: msopt smoke run at 2 ranks"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
msopt_np2() { (cd "$work" && mpiexec -n 2 --oversubscribe "$root/build-asan/msopt" "$@" >>smoke.log 2>&1); }
{
  msopt_np2 data multiscale -data_n 301 -data_dims 6,3 -data_scales 1,0.05 -data_rotate -data_out d.h5 &&
    msopt_np2 spectrum -data_file d.h5 -spec_out s.h5 &&
    msopt_np2 train -data_file d.h5 -opt_type mrgd -opt_max_it 200 -quiet -history_out h.h5 \
      -checkpoint_every 50 -checkpoint_file ck.h5 &&
    msopt_np2 train -data_file d.h5 -opt_type cg -opt_max_it 50 -quiet &&
    ! msopt_np2 train -data_file d.h5 -opt_type mrgd -mrgd_rates 1,x
} || { status=1; echo "sanitize: msopt smoke run FAILED"; tail -40 "$work/smoke.log"; }
if grep -q "Sanitizer\|runtime error" "$work/smoke.log"; then
  status=1
  echo "sanitize: sanitizer report in the msopt smoke run"
  cat "$work/smoke.log"
fi
end=$(date +%s)
echo "sanitize: build $((built - start)) s, tests $((end - built)) s, exit $status"
exit "$status"
