#!/usr/bin/env bash
# The BLAS kernel (issue 12): blas_check against the reference BLAS, the
# MSOPT_BLAS_CORETYPE opt-in of scripts/blas_coretype.sh (never automatic:
# OPENBLAS_CORETYPE stays as found without it), msopt's warning about a generic
# kernel, and the kernel in the -timing_out rows. (The warning's decision for
# every kernel and CPU: tests/core/test_blas_kernel.cpp.)
source "$(dirname "$0")/cli_lib.sh" "$@"
BUILD=$(dirname "$MSOPT")
CHECK=$BUILD/bench/blas_check
[ -x "$CHECK" ] || { echo "FAILED: $CHECK is not built (cmake --build build --target blas_check)"; exit 1; }

"$CHECK" >out.txt 2>&1 && grep -q "agrees with the reference BLAS" out.txt && pass "blas_check: own kernel agrees" ||
  fail "blas_check: own kernel agrees"
OPENBLAS_CORETYPE=NoSuchCore "$CHECK" >out.txt 2>&1
[ $? -eq 1 ] && [ "$(wc -l <out.txt)" -eq 1 ] && grep -q "OPENBLAS_CORETYPE=NoSuchCore is not a kernel" out.txt &&
  pass "blas_check: an unknown kernel fails with one line" || fail "blas_check: an unknown kernel fails with one line"
"$CHECK" /nonexistent/libblas.so.3 >out.txt 2>&1
[ $? -eq 1 ] && [ "$(wc -l <out.txt)" -eq 1 ] && pass "blas_check: a missing reference fails with one line" ||
  fail "blas_check: a missing reference fails with one line"

# coretype MSOPT OPENBLAS: OPENBLAS_CORETYPE after sourcing blas_coretype.sh ("unset" for none), then its status.
coretype() {
  (
    [ "$1" = unset ] && unset MSOPT_BLAS_CORETYPE || export MSOPT_BLAS_CORETYPE=$1
    [ "$2" = unset ] && unset OPENBLAS_CORETYPE || export OPENBLAS_CORETYPE=$2
    source "$SRC/scripts/blas_coretype.sh"
    msopt_blas_coretype "$BUILD" 2>err.txt
    echo "${OPENBLAS_CORETYPE-unset} $?"
  )
}
[ "$(coretype unset unset)" = "unset 0" ] && [ "$(coretype unset Core2)" = "Core2 0" ] &&
  pass "no opt-in: OPENBLAS_CORETYPE as found" || fail "no opt-in: OPENBLAS_CORETYPE as found"
# Prescott runs on every x86-64 CPU.
[ "$(coretype Prescott unset)" = "Prescott 0" ] && grep -q "agrees with the reference BLAS" err.txt &&
  pass "opt-in: checked, then exported" || fail "opt-in: checked, then exported"
[ "$(coretype NoSuchCore Core2)" = "Core2 1" ] && [ "$(wc -l <err.txt)" -eq 1 ] &&
  grep -q "MSOPT_BLAS_CORETYPE=NoSuchCore not used" err.txt &&
  pass "opt-in of an unknown kernel: one line, nothing set" || fail "opt-in of an unknown kernel: one line, nothing set"

# The warning, end to end: OpenBLAS made to report its generic Prescott kernel (a preloaded
# openblas_get_corename) on this CPU; one line from rank 0, naming the kernel to export.
echo 'const char* openblas_get_corename(void) { return "Prescott"; }' >shim.c
cc -shared -fPIC -o shim.so shim.c
expect=""
grep -qw avx2 /proc/cpuinfo && grep -qw fma /proc/cpuinfo && expect=Haswell
grep -qw avx512f /proc/cpuinfo && expect=SkylakeX
# OPENBLAS_CORETYPE stays as the machine sets it: a force of another kernel did not take (the shim
# reports Prescott), and is named in the warning; a force of Prescott itself is the user's choice.
found="${OPENBLAS_CORETYPE:-}"
[ "${found,,}" = prescott ] && expect=""
quick=(train -data_generate -data_n 400 -data_dims 3,2 -data_scales 1,0.1 -opt_type gd -opt_lr 0.5 -opt_max_it 5 -quiet)
LD_PRELOAD=$WORK/shim.so msopt_np 2 "${quick[@]}" || fail "msopt with the preloaded corename"
warnings=$(grep -c "^msopt: warning: OpenBLAS uses its generic 'Prescott' kernel" out.txt)
if [ -n "$expect" ]; then
  [ "$warnings" = 1 ] && grep -q "export OPENBLAS_CORETYPE=$expect (or MSOPT_BLAS_CORETYPE=$expect" out.txt &&
    { [ -z "${OPENBLAS_CORETYPE:-}" ] || grep -q "OPENBLAS_CORETYPE=$OPENBLAS_CORETYPE did not take" out.txt; } &&
    pass "generic kernel: warned once, $expect suggested" || fail "generic kernel: warned once, $expect suggested"
else
  [ "$warnings" = 0 ] && pass "generic kernel on a CPU without AVX2, or forced: no warning" ||
    fail "generic kernel on a CPU without AVX2, or forced: no warning"
fi
OPENBLAS_CORETYPE=Prescott LD_PRELOAD=$WORK/shim.so msopt_np 2 "${quick[@]}" && ! grep -q "warning" out.txt &&
  pass "a kernel the user forced is not warned about" ||
  fail "a kernel the user forced is not warned about"

# The kernel as the last column of -timing_out; a file begun without it keeps its columns.
OPENBLAS_CORETYPE=Prescott msopt_np 2 "${quick[@]}" -opt_tol 1e-300 -timing_out new.csv &&
  [ "$(head -1 new.csv | cut -d, -f12)" = blas_kernel ] && [ "$(tail -1 new.csv | cut -d, -f12)" = Prescott ] &&
  pass "timing row names the kernel" || fail "timing row names the kernel"
head -1 new.csv | cut -d, -f1-11 >old.csv
msopt_np 1 "${quick[@]}" -opt_tol 1e-300 -timing_out old.csv && [ "$(awk -F, '{print NF}' old.csv | sort -u)" = 11 ] &&
  pass "an old timing file keeps its 11 columns" || fail "an old timing file keeps its 11 columns"
finish
