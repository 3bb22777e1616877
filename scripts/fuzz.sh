#!/usr/bin/env bash
# Builds the libFuzzer targets (fuzz/) with clang in ./build-fuzz and runs
# each for SECONDS (default 30) on a copy of its corpus in fuzz/corpus/.
# Exits non-zero if a target crashed, hung, ran out of memory or a sanitizer
# reported; the inputs are kept in build-fuzz/artifacts/ (reproduce with
# `build-fuzz/fuzz/<target> <file>`), logs in build-fuzz/logs/.
#
#   scripts/fuzz.sh [SECONDS]
#   FUZZ_TARGETS="fuzz_options" scripts/fuzz.sh 60     # one target only
#   FUZZ_KEEP_GOING=1 scripts/fuzz.sh 600              # fork mode: go on after a crash
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
seconds=${1:-30}
targets=${FUZZ_TARGETS:-"fuzz_hdf5_dataset fuzz_options"}
jobs=${MSOPT_JOBS:-2}

start=$(date +%s)
CC=clang CXX=clang++ cmake -S . -B build-fuzz -DMSOPT_FUZZ=ON -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
# shellcheck disable=SC2086
cmake --build build-fuzz -j "$jobs" --target $targets
cc -shared -fPIC -O2 -o build-fuzz/no_dlclose.so fuzz/no_dlclose.c
echo "fuzz: build $(($(date +%s) - start)) s"

export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
export OPENBLAS_NUM_THREADS=1 OMP_NUM_THREADS=1
# Leaks are checked for our code only, as in scripts/sanitize.sh. Huge
# allocations fail (NULL) instead of aborting: HDF5 handles that for the
# sizes a corrupt header claims; operator new still reports them.
export LD_PRELOAD=$root/build-fuzz/no_dlclose.so${LD_PRELOAD:+:$LD_PRELOAD}
export ASAN_OPTIONS=verify_asan_link_order=0:fast_unwind_on_malloc=0:allocator_may_return_null=1${ASAN_OPTIONS:+:$ASAN_OPTIONS}
export LSAN_OPTIONS=suppressions=$root/fuzz/lsan.supp:print_suppressions=0${LSAN_OPTIONS:+:$LSAN_OPTIONS}
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1${UBSAN_OPTIONS:+:$UBSAN_OPTIONS}
mkdir -p build-fuzz/artifacts build-fuzz/logs build-fuzz/tmp
export TMPDIR=$root/build-fuzz/tmp

extra=()
if [ "${FUZZ_KEEP_GOING:-0}" = 1 ]; then
  extra=(-fork=1 -ignore_crashes=1 -ignore_ooms=1 -ignore_timeouts=1)
fi

status=0
for target in $targets; do
  name=${target#fuzz_}
  corpus=build-fuzz/corpus/$name
  rm -rf "$corpus"
  mkdir -p "$corpus"
  cp fuzz/corpus/"$name"/* "$corpus"/
  dict=()
  [ -f fuzz/"$name".dict ] && dict=(-dict=fuzz/"$name".dict)
  before=$(find build-fuzz/artifacts -type f | wc -l)
  log=build-fuzz/logs/$target.log
  echo "fuzz: $target for $seconds s (log $log)"
  rc=0
  build-fuzz/fuzz/"$target" "$corpus" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=4096 \
    -artifact_prefix="$root/build-fuzz/artifacts/$target-" -print_final_stats=1 \
    "${dict[@]}" "${extra[@]}" >"$log" 2>&1 || rc=$?
  after=$(find build-fuzz/artifacts -type f | wc -l)
  # Final progress line (executions, coverage) and the stats.
  grep -E '^#[0-9]+' "$log" | tail -1 || true
  grep -E '^stat::(number_of_executed_units|peak_rss_mb|new_units_added)' "$log" || true
  if [ "$rc" -ne 0 ] || [ "$after" -gt "$before" ]; then
    status=1
    echo "fuzz: $target FOUND A PROBLEM (exit $rc); new artifacts:"
    find build-fuzz/artifacts -type f -newer "$corpus" -name "$target-*" | sed 's/^/  /'
    grep -E 'ERROR: |SUMMARY: |runtime error|terminate called|what\(\)|objects still open|inconsistent' "$log" | head -10
  fi
done
echo "fuzz: total $(($(date +%s) - start)) s, exit $status"
exit "$status"
