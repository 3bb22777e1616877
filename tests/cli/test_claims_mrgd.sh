#!/usr/bin/env bash
# Claims of the MrGD paper as tests, at reduced sizes on 2 ranks (each under
# 60 s). The least-squares problems are those of scripts/mrgd_scaling.sh:
# N = 2000, 20 one-dimensional components per scale group, group g at scale
# r^(g/2) with spread kappa (covariance: sigma_g = r^g, kappa_g = kappa). Bands
# are wide enough for round-off and sampling, narrow enough to tell kappa from
# sqrt(kappa) and |log r| from 1/r.
source "$(dirname "$0")/cli_lib.sh" "$@"

# problem M KAPPA R: the data options of that problem.
problem() {
  local dims scales
  dims=$(awk -v m="$1" 'BEGIN{for (k = 0; k < 20 * m; k++) printf "%s1", k ? "," : ""}')
  scales=$(awk -v m="$1" -v k="$2" -v r="$3" 'BEGIN{
    for (g = 0; g < m; g++) for (j = 0; j < 20; j++) printf "%s%.10g", g + j ? "," : "", r^(g / 2) * k^(-j / 38)}')
  echo "-data_generate -data_n 2000 -data_dims $dims -data_scales $scales"
}

# evals M KAPPA R TYPE [OPTIONS...]: gradient evaluations to relative gradient 1e-8 (fails when not reached).
evals() {
  local m=$1 kappa=$2 r=$3 type=$4
  shift 4
  # shellcheck disable=SC2046
  msopt_np 2 train $(problem "$m" "$kappa" "$r") -opt_type "$type" -opt_tol 1e-8 -opt_max_it 100000 -quiet "$@" &&
    sed -n 's/.*gradient evaluations to 1e-08: \([0-9][0-9]*\)$/\1/p' out.txt | grep .
}

# check NAME EXPRESSION: passes when the awk expression is true; prints the numbers it saw.
check() {
  echo "  $1: $2"
  awk "BEGIN{exit !($2)}" && pass "$1" || fail "$1"
}
lg() { echo "log($1)"; }

# 1. Corollary 3.9 against eq. (21): MrGD's advantage over GD grows as r shrinks
#    (GD ~ kappa/r, MrGD ~ kappa |log r|), m = 2, kappa = 4.
if gd1=$(evals 2 4 0.04 gd) && mr1=$(evals 2 4 0.04 mrgd) && gd2=$(evals 2 4 0.005 gd) &&
  mr2=$(evals 2 4 0.005 mrgd); then
  check "Cor 3.9: GD/MrGD >= 3 at r = 0.005 and >= 2.5x its value at r = 0.04" \
    "$gd2 / $mr2 >= 3 && ($gd2 / $mr2) >= 2.5 * ($gd1 / $mr1)"
else
  fail "claim 1 runs"
fi

# 2. Eq. (21), Table 1: GD's evaluations grow like kappa_c r^(1-m): slopes -1 and -2 in r, 1 in kappa.
if g2a=$(evals 2 4 0.02 gd) && g2b=$(evals 2 4 0.005 gd) && g3a=$(evals 3 2 0.1 gd) && g3b=$(evals 3 2 0.05 gd) &&
  gk1=$(evals 2 2 0.01 gd) && gk2=$(evals 2 8 0.01 gd); then
  check "eq. 21: GD slope in r, m = 2, within [-1.15, -0.85]" \
    "$(lg "$g2b/$g2a") / $(lg 0.25) >= -1.15 && $(lg "$g2b/$g2a") / $(lg 0.25) <= -0.85"
  check "eq. 21: GD slope in r, m = 3, within [-2.3, -1.7]" \
    "$(lg "$g3b/$g3a") / $(lg 0.5) >= -2.3 && $(lg "$g3b/$g3a") / $(lg 0.5) <= -1.7"
  check "eq. 21: GD slope in kappa, m = 2, within [0.75, 1.25]" \
    "$(lg "$gk2/$gk1") / $(lg 4) >= 0.75 && $(lg "$gk2/$gk1") / $(lg 4) <= 1.25"
else
  fail "claim 2 runs"
fi

# 3. Eq. (22), Table 1's GD+: heavy ball and Nesterov grow like sqrt(kappa_c r^(1-m)): slopes -1/2 and -1 in r.
#    (CG is left out: on d = 40 distinct eigenvalues it terminates in about d steps whatever r is.)
for type in heavyball nesterov; do
  if a=$(evals 2 4 0.04 "$type") && b=$(evals 2 4 0.005 "$type") && c=$(evals 3 2 0.1 "$type") &&
    d=$(evals 3 2 0.05 "$type"); then
    check "eq. 22: $type slope in r, m = 2, within [-0.65, -0.35]" \
      "$(lg "$b/$a") / $(lg 0.125) >= -0.65 && $(lg "$b/$a") / $(lg 0.125) <= -0.35"
    check "eq. 22: $type slope in r, m = 3, within [-1.3, -0.7]" \
      "$(lg "$d/$c") / $(lg 0.5) >= -1.3 && $(lg "$d/$c") / $(lg 0.5) <= -0.7"
  else
    fail "claim 3 runs ($type)"
  fi
done

# 4. Eq. (26): MrGD's evaluations grow like |log r|^(m-1): the exponent of |log r| between r = 0.04 and
#    0.001 (m = 2) or 0.1 and 0.02 (m = 3) within [0.5, 1.7] or [1, 2.6] (measured 1.2 and 1.9); GD's
#    would be 4.8 and 6.1, one Chebyshev interval's (sqrt of the global condition number) 2.3 and 3.2.
if m2a=$(evals 2 4 0.04 mrgd) && m2b=$(evals 2 4 0.001 mrgd) && m3a=$(evals 3 2 0.1 mrgd) &&
  m3b=$(evals 3 2 0.02 mrgd); then
  check "eq. 26: exponent of |log r| for MrGD, m = 2, within [0.5, 1.7]" \
    "$(lg "$m2b/$m2a") / $(lg "log(0.001)/log(0.04)") >= 0.5 && $(lg "$m2b/$m2a") / $(lg "log(0.001)/log(0.04)") <= 1.7"
  check "eq. 26: exponent of |log r| for MrGD, m = 3, within [1, 2.6]" \
    "$(lg "$m3b/$m3a") / $(lg "log(0.02)/log(0.1)") >= 1 && $(lg "$m3b/$m3a") / $(lg "log(0.02)/log(0.1)") <= 2.6"
else
  fail "claim 4 runs"
fi

# 5. Theorem 3.4: with its counts, in Algorithm 1's order, ||S|| <= the bound of eq. (19); as S is a
#    polynomial in A, the relative gradient after K cycles is <= bound^K, so MrGD reaches 1e-8 within
#    steps-per-cycle x (ceil(log 1e-8 / log bound) + 1) evaluations (the 1: the first evaluation).
for p in "2 4 0.01" "2 16 0.005" "3 2 0.05"; do
  # shellcheck disable=SC2086
  if n=$(evals $p mrgd -mrgd_order paper -mrgd_eta 1.05); then
    steps=$(sed -n 's/.*steps per cycle \([0-9]*\);.*/\1/p' out.txt)
    bound=$(sed -n 's/.*(eq. 19, 23) \([0-9.e+-]*\);.*/\1/p' out.txt)
    check "Thm 3.4: m kappa r = $p: $n evaluations <= the bound's" \
      "$n <= $steps * (int(log(1e-8) / log($bound)) + 2) && $bound < 1"
  else
    fail "claim 5 run ($p)"
  fi
done

# 6. Theorem 3.11, the remark after eq. (34): with Pi from the Hessian at the minimiser, the
#    cross-spectrum delta of softmax regression shrinks as the point nears it, and there the bound
#    rho + delta m B of one MrGD cycle is below 1.
softmax=(-data_file d.h5 -model softmax -model_classes 3 -model_l2 1e-3)
delta_at() {  # delta_at POINT_OPTIONS...: prints delta and the bound's factor rho + delta m B
  msopt_np 2 spectrum "${softmax[@]}" -spec_floor 1e-12 -spec_cross_delta min.h5 "$@" &&
    echo "$(sed -n 's/.*delta = \([0-9.e+-]*\) (eq. 31).*/\1/p' out.txt)" \
      "$(sed -n 's/.*rho + delta m B = \([0-9.e+-]*\) .*/\1/p' out.txt)"
}
if msopt_np 2 data multiscale -data_n 2000 -data_dims 4,4 -data_scales 1,0.05 -data_target labels -data_classes 3 \
  -data_out d.h5 && msopt_np 2 train "${softmax[@]}" -opt_type lbfgs -opt_tol 1e-10 -history_out min.h5 -quiet &&
  msopt_np 2 train "${softmax[@]}" -opt_type lbfgs -opt_max_it 20 -history_out p20.h5 -quiet &&
  msopt_np 2 train "${softmax[@]}" -opt_type lbfgs -opt_max_it 300 -history_out p300.h5 -quiet &&
  read -r d0 _ < <(delta_at) && read -r d20 _ < <(delta_at -spec_point p20.h5) &&
  read -r d300 f300 < <(delta_at -spec_point p300.h5); then
  check "Thm 3.11: delta falls toward the minimiser (start, 20, 300 L-BFGS steps), by 1e3 at least" \
    "$d0 > $d20 && $d20 > $d300 && $d300 < 1e-3 * $d0"
  check "Thm 3.11: near the minimiser one cycle's bound contracts (rho + delta m B < 1)" "$f300 < 1"
else
  fail "claim 6 runs"
fi
finish
