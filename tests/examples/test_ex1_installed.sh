#!/usr/bin/env bash
# examples/ex1_tao_mrgd.cpp against the *installed* msopt, as a user builds it:
# installs this build into a prefix under the build directory, configures and
# builds examples/ as an outside project (find_package(msopt)), checks that the
# example links the installed libmsopt.so and that msopt.pc resolves, then
# runs the example at 1 and 2 ranks: every TAO type's row must report
# convergence to the tolerance, and MrGD's gradient-evaluation count must be
# printed (and agree between 1 and 2 ranks).
# Arguments: build dir, source dir, mpiexec, cmake.
set -euo pipefail
build=$1 src=$2 mpiexec=$3 cmake=${4:-cmake}
work=$build/example-install
rm -rf "$work"
mkdir -p "$work"
fail() { echo "FAIL: $*" >&2; exit 1; }

"$cmake" --install "$build" --prefix "$work/prefix" >"$work/install.log" || fail "cmake --install"
for f in lib/libmsopt.so include/msopt/optim/tao_types.hpp lib/cmake/msopt/msoptConfig.cmake lib/pkgconfig/msopt.pc bin/msopt; do
  [ -e "$work/prefix/$f" ] || fail "not installed: $f"
done
PKG_CONFIG_PATH=$work/prefix/lib/pkgconfig pkg-config --exists --print-errors msopt || fail "msopt.pc does not resolve"
[ "$(PKG_CONFIG_PATH=$work/prefix/lib/pkgconfig pkg-config --variable=libdir msopt)" -ef "$work/prefix/lib" ] ||
  fail "msopt.pc: libdir is not the install's"

"$cmake" -S "$src/examples" -B "$work/build" -DCMAKE_PREFIX_PATH="$work/prefix" -DCMAKE_BUILD_TYPE=Release \
  >"$work/configure.log" 2>&1 || { cat "$work/configure.log"; fail "configure examples/"; }
"$cmake" --build "$work/build" -j2 >"$work/build.log" 2>&1 || { cat "$work/build.log"; fail "build examples/"; }
if grep -i "warning" "$work/build.log"; then fail "warnings building the example"; fi
ldd "$work/build/ex1_tao_mrgd" | grep -q "$work/prefix/lib/libmsopt.so" || { ldd "$work/build/ex1_tao_mrgd"; fail "not linked to the installed libmsopt.so"; }

tol=1e-6
declare -A mrgd_evals
for n in 1 2; do
  out=$("$mpiexec" -n $n --oversubscribe "$work/build/ex1_tao_mrgd" -types mrgd,lmvm,nls,bncg -tol $tol) || fail "ex1 at $n ranks"
  echo "$out"
  for type in mrgd lmvm nls bncg; do
    row=$(echo "$out" | awk -v t=$type '$1 == t')
    [ -n "$row" ] || fail "no row for $type at $n ranks"
    read -r _ evals hv its rel reason <<<"$row"
    [[ $evals =~ ^[0-9]+$ && $evals -gt 0 ]] || fail "$type: no evaluation count ('$row')"
    [ "$reason" = CONVERGED_GTTOL ] || fail "$type at $n ranks did not converge: $reason"
    awk -v r="$rel" -v t=$tol 'BEGIN { exit !(r <= t) }' || fail "$type: ||g||/||g0|| = $rel above $tol"
  done
  mrgd_evals[$n]=$(echo "$out" | awk '$1 == "mrgd" { print $2 }')
done
[ "${mrgd_evals[1]}" = "${mrgd_evals[2]}" ] || fail "MrGD evaluations differ between 1 and 2 ranks: ${mrgd_evals[1]} vs ${mrgd_evals[2]}"
echo "OK: MrGD converged in ${mrgd_evals[1]} gradient evaluations at 1 and 2 ranks (installed package)"
