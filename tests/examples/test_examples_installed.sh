#!/usr/bin/env bash
# examples/ against the *installed* msopt, as a user builds them: installs
# this build into a prefix under the build directory, configures and builds
# examples/ as an outside project (find_package(msopt)), checks that the
# examples link the installed libmsopt.so and that msopt.pc resolves, then
# runs each at 1 and 2 ranks:
#  ex1 (MrGD as a TAO type): every TAO type's row must report convergence to
#      the tolerance, MrGD's evaluation count agree between 1 and 2 ranks;
#  ex2 (least squares -> spectrum -> MrGD, its schedule set by an option):
#      MrGD, CG and GD converge, MrGD with -mrgd_schedule groups_chebyshev in
#      at most 2x CG's evaluations and 10x fewer than GD's, at both rank counts;
#  ex3 (one MGDL grade): the loss falls, and grade 2's residual data carry
#      exactly grade 1's loss (1/2 mean e^2, eq. (3)).
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
for ex in ex1_tao_mrgd ex2_least_squares_mrgd ex3_mgdl_grade; do
  # ldd's output is captured first: `ldd | grep -q` under pipefail fails at random
  # when grep exits at the match while ldd still writes (SIGPIPE).
  libs=$(ldd "$work/build/$ex")
  grep -qF "$work/prefix/lib/libmsopt.so" <<<"$libs" || { echo "$libs"; fail "$ex: not linked to the installed libmsopt.so"; }
done

tol=1e-6
declare -A mrgd_evals
for n in 1 2; do
  out=$("$mpiexec" -n $n --oversubscribe "$work/build/ex1_tao_mrgd" -types mrgd,lmvm,nls,bncg -tol $tol) || fail "ex1 at $n ranks"
  echo "$out"
  for type in mrgd lmvm nls bncg; do
    row=$(awk -v t=$type '$1 == t' <<<"$out")
    [ -n "$row" ] || fail "no row for $type at $n ranks"
    read -r _ evals hv its rel reason <<<"$row"
    [[ $evals =~ ^[0-9]+$ && $evals -gt 0 ]] || fail "$type: no evaluation count ('$row')"
    [ "$reason" = CONVERGED_GTTOL ] || fail "$type at $n ranks did not converge: $reason"
    awk -v r="$rel" -v t=$tol 'BEGIN { exit !(r <= t) }' || fail "$type: ||g||/||g0|| = $rel above $tol"
  done
  mrgd_evals[$n]=$(awk '$1 == "mrgd" { print $2 }' <<<"$out")
done
[ "${mrgd_evals[1]}" = "${mrgd_evals[2]}" ] || fail "MrGD evaluations differ between 1 and 2 ranks: ${mrgd_evals[1]} vs ${mrgd_evals[2]}"
echo "OK: ex1: MrGD converged in ${mrgd_evals[1]} gradient evaluations at 1 and 2 ranks (installed package)"

# ex2: rows "type evaluations rel.gradient reason".
for n in 1 2; do
  out=$("$mpiexec" -n $n --oversubscribe "$work/build/ex2_least_squares_mrgd" -types mrgd,cg,gd -data_n 3000 \
    -data_dims 30,10 -data_scales 1,0.03 -opt_tol 1e-8 -opt_max_it 50000 -mrgd_schedule groups_chebyshev -quiet) || fail "ex2 at $n ranks"
  echo "$out"
  evals() { awk -v t=$1 '$1 == t && $2 ~ /^[0-9]+$/ { print $2 }' <<<"$out"; }
  mrgd=$(evals mrgd) cg=$(evals cg) gd=$(evals gd)
  [ -n "$mrgd" ] && [ -n "$cg" ] && [ -n "$gd" ] || fail "ex2 at $n ranks: a method did not reach the tolerance"
  [ "$mrgd" -le $((2 * cg)) ] && [ $((10 * mrgd)) -le "$gd" ] ||
    fail "ex2 at $n ranks: MrGD $mrgd evaluations against CG $cg and GD $gd"
done
echo "OK: ex2: MrGD $mrgd, CG $cg, GD $gd gradient evaluations to 1e-8"

for n in 1 2; do
  out=$("$mpiexec" -n $n --oversubscribe "$work/build/ex3_mgdl_grade" -data_n 256 -opt_max_it 500 -quiet) ||
    fail "ex3 at $n ranks"
  echo "$out"
  grep -q "gd: rate" <<<"$out" || fail "ex3: GD's rate from the grade's spectrum not shown"
  awk '/grade 1: loss/ { exit !($5 > $7) }' <<<"$out" || fail "ex3 at $n ranks: the loss did not fall"
  awk '/grade 2 data/ { d = $10 - $14; if (d < 0) d = -d; exit !(d <= 1e-12 * $14 && $14 > 0) }' <<<"$out" ||
    fail "ex3 at $n ranks: grade 2's residual does not carry grade 1's loss"
done
echo "OK: ex3: one MGDL grade trained and frozen through the library"
