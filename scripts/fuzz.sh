#!/usr/bin/env bash
# Builds the libFuzzer targets (fuzz/) with clang in ./build-fuzz, replays
# the inputs of past findings (fuzz/regressions/<name>/, once each), then
# runs each target for SECONDS (default 30) on a copy of its corpus in
# fuzz/corpus/. Exits non-zero if a target crashed, hung, ran out of memory
# or a sanitizer reported; the inputs are kept in build-fuzz/artifacts/
# (reproduce with `build-fuzz/fuzz/<target> <file>`), logs in build-fuzz/logs/.
#
# Crashes inside the (uninstrumented) HDF5 library on corrupt files are
# listed but do not fail the run unless FUZZ_STRICT=1.
#
#   scripts/fuzz.sh [SECONDS]
#   FUZZ_TARGETS="fuzz_options" scripts/fuzz.sh 60     # one target only
#   FUZZ_FORK=0 scripts/fuzz.sh 60                     # stop at the first crash
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
seconds=${1:-30}
targets=${FUZZ_TARGETS:-"fuzz_hdf5_dataset fuzz_options fuzz_idx fuzz_png"}
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

# Fork mode: the run goes on after a crash, hang or OOM for the whole time
# (the input is saved and libFuzzer restarts); FUZZ_FORK=0 stops at the first.
extra=(-fork=1 -ignore_crashes=1 -ignore_ooms=1 -ignore_timeouts=1)
[ "${FUZZ_FORK:-1}" = 0 ] && extra=()

# classify REPORT: "hdf5" when the crash lies inside libhdf5 on memory our code
# did not allocate (HDF5 1.10 crashes on some corrupt files: not our code, reported
# but not failing unless FUZZ_STRICT=1), else "ours". UBSan reports, leaks,
# uncaught exceptions, the harness's own checks and overruns of our buffers
# are always ours.
runtime='__interceptor_|__asan|__sanitizer|__ubsan|libclang_rt|asan_|sanitizer_common|libc\.so|libstdc\+\+|memcpy|memmove|memset| in str[a-z]*dup | in strn?(len|cpy|cmp) |abort|raise|gsignal'
first_frame() { grep -E '^ *#[0-9]+ ' | grep -vE "$runtime" | sed -n 1p; }
classify() {
  local report=$1
  if grep -qE 'runtime error|LeakSanitizer|deadly signal|terminate called|objects still open|inconsistent' "$report" ||
    ! grep -q 'ERROR: AddressSanitizer' "$report"; then
    echo ours
    return
  fi
  local crash alloc
  crash=$(awk '/ERROR: AddressSanitizer/{on=1} on&&/^$/{exit} on' "$report" | first_frame)
  # The first frame that asked for the memory (past malloc and its kin, which sit in the fuzzer binary, and
  # inlined standard-library frames).
  alloc=$(awk '/allocated by thread/{on=1} on' "$report" |
    grep -vE ' in (malloc|calloc|realloc|posix_memalign|operator new)|/usr/include/c\+\+/| in std::' | first_frame)
  # Inside HDF5, on memory that HDF5 or another library (e.g. OpenMPI's pmix, whose freed block HDF5 read past)
  # allocated: HDF5's. On memory our code or the harness allocated: ours.
  if [[ $crash == *libhdf5* ]] && ! [[ $alloc =~ msopt::|/src/|/fuzz/|LLVMFuzzer|fuzzer:: ]]; then echo hdf5; else echo ours; fi
}

status=0
for target in $targets; do
  name=${target#fuzz_}
  for input in fuzz/regressions/"$name"/*; do
    [ -f "$input" ] || continue
    log=build-fuzz/logs/$target-regression-$(basename "$input").log
    if build-fuzz/fuzz/"$target" -timeout=10 -rss_limit_mb=4096 -artifact_prefix="$TMPDIR/replay-" \
      "$input" >"$log" 2>&1; then
      echo "fuzz: $target: past finding fixed: $input"
    else
      status=1
      echo "fuzz: $target: PAST FINDING IS BACK: $input"
      echo "    $(grep -m1 -E 'SUMMARY: |runtime error|what\(\)|ERROR: libFuzzer' "$log") (log $log)"
    fi
  done
  corpus=build-fuzz/corpus/$name
  rm -rf "$corpus"
  mkdir -p "$corpus"
  cp fuzz/corpus/"$name"/* "$corpus"/
  dict=()
  [ -f fuzz/"$name".dict ] && dict=(-dict=fuzz/"$name".dict)
  marker=build-fuzz/logs/$target.started
  touch "$marker"
  log=build-fuzz/logs/$target.log
  echo "fuzz: $target for $seconds s (log $log)"
  rc=0
  build-fuzz/fuzz/"$target" "$corpus" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=4096 \
    -artifact_prefix="$root/build-fuzz/artifacts/$target-" -print_final_stats=1 \
    "${dict[@]}" "${extra[@]}" >"$log" 2>&1 || rc=$?
  # Final progress line: executions, coverage (cov/ft), corpus; in fork mode
  # also oom/timeout/crash counts.
  grep -E '^#[0-9]+' "$log" | tail -1 || true
  grep -E '^stat::(number_of_executed_units|new_units_added|peak_rss_mb)' "$log" || true
  ours=0 library=0 ignored=0
  while IFS= read -r artifact; do
    report=build-fuzz/logs/$(basename "$artifact").txt
    replay=0
    build-fuzz/fuzz/"$target" -timeout=10 -rss_limit_mb=4096 -artifact_prefix="$TMPDIR/replay-" \
      "$artifact" >"$report" 2>&1 || replay=$?
    if [ "$replay" -eq 0 ]; then  # e.g. a fork child killed from outside: nothing to fix
      ignored=$((ignored + 1))
      echo "fuzz: not reproducible, ignored: $artifact"
      continue
    fi
    kind=ours
    [[ $(basename "$artifact") == "$target-crash-"* ]] && kind=$(classify "$report")
    summary=$(grep -m1 -E 'SUMMARY: |runtime error|objects still open|inconsistent|terminate called|ERROR: libFuzzer' "$report" || true)
    if [ "$kind" = hdf5 ]; then
      library=$((library + 1))
      echo "fuzz: HDF5 library crash (not our code): $artifact"
      [ "${FUZZ_STRICT:-0}" = 1 ] && status=1
    else
      ours=$((ours + 1))
      status=1
      echo "fuzz: FINDING: $artifact"
    fi
    echo "    ${summary:-see $report} (report $report)"
  done < <(find build-fuzz/artifacts -type f -name "$target-*" -newer "$marker" | sort)
  # libFuzzer exits non-zero whenever it saved a crash, even in fork mode;
  # the artifacts are judged above. A non-zero exit without any artifact
  # (a broken harness, a bad flag) is a failure of its own.
  if [ "$rc" -ne 0 ] && [ $((ours + library + ignored)) -eq 0 ]; then
    status=1
    echo "fuzz: $target exited with $rc and left no input to judge (log $log)"
  fi
  echo "fuzz: $target: $ours finding(s) in our code, $library crash(es) inside HDF5"
done
echo "fuzz: total $(($(date +%s) - start)) s, exit $status"
exit "$status"
