#!/usr/bin/env bash
# -mrgd_schedule groups_chebyshev against CG and automatic MrGD on random
# multiscale least-squares problems (issue 12: at most 2x CG's evaluations to
# 1e-8). Column green_deg: the degree any polynomial p with p(0) = 1 needs to
# guarantee |p| <= 1e-8 on the whole scale-group intervals, asymptotically
# (bench/union_green_bound.py); a run stops earlier when its error is small
# where |p| peaks, so it bounds what a schedule can promise, not its count.
#
#   bench/groups_chebyshev_corpus.sh [CASES [SEEDS]]
#
# CASES: a file of lines "name N dims scales [data options]" (# comments),
# e.g. bench/cases/*.txt or bench/random_multiscale_cases.py's output;
# default: the built-in corpus below. SEEDS: comma list (default 7).
# Verdict: within 2x CG or not, and ABOVE Theorem 3.4 where groups_chebyshev
# took more evaluations than automatic MrGD (Theorem 3.4's schedule).
# Environment: BUILD_DIR (default <repo>/build); MAX_IT (default 50000: the
# iterations every run may take); ULP_TRIALS=K (default 0)
# adds columns gc_ulp and auto_ulp, the least and most evaluations of both
# schedules on K copies of the spectrum with each eigenvalue moved by up to
# 2 ulps (bench/ulp_perturbed_spectra.py; * marks a copy that did not
# converge): counts that move there are decided by rounding. One rank, one
# job at a time.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(dirname "$here")"
build="${BUILD_DIR:-$root/build}"
cases="${1:-}"
IFS=, read -r -a seeds <<< "${2:-7}"
ulp_trials="${ULP_TRIALS:-0}"
[[ "$ulp_trials" =~ ^[0-9]+$ ]] || { echo "groups_chebyshev_corpus.sh: ULP_TRIALS must be a count" >&2; exit 2; }
max_it="${MAX_IT:-50000}"
[[ "$max_it" =~ ^[1-9][0-9]*$ ]] || { echo "groups_chebyshev_corpus.sh: MAX_IT must be a positive count" >&2; exit 2; }
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1 OPENBLAS_NUM_THREADS=1
[[ -f "$build/CMakeCache.txt" ]] || cmake -S "$root" -B "$build" -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build "$build" -j2 --target msopt >/dev/null
msopt="$build/msopt"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

corpus() {
  if [[ -n "$cases" ]]; then cat "$cases"; return; fi
  cat <<'CASES'
listed4 20000 40,30,20,10 1,0.1,0.01,0.001 -data_rotate
five 20000 30,25,20,15,10 1,0.2,0.03,0.005,0.001 -data_rotate
six_k1e8 20000 20,20,15,15,10,10 1,0.1,0.01,0.001,0.0003,0.0001 -data_rotate
uneven4 15000 5,60,10,25 1,0.05,0.004,0.0002 -data_rotate
five_unrotated 20000 10,40,10,30,10 1,0.3,0.02,0.002,0.0005
three_close 20000 50,30,20 1,0.5,0.25 -data_rotate
six_of_8 8000 8,8,8,8,8,8 1,0.3,0.1,0.03,0.01,0.003 -data_rotate
CASES
}

evals() { sed -n 's/.*gradient evaluations to 1e-08: \([0-9]*\).*/\1/p' "$1"; }
# The least and most of the counts on standard input ("lo-hi"; 0 is no convergence, marked *).
count_range() {
  awk '$1 == 0 { failed = 1; next } { lo = (n++ == 0 || $1 < lo) ? $1 : lo; hi = $1 > hi ? $1 : hi }
       END { printf "%s%s", n ? lo "-" hi : "none", failed ? "*" : "" }'
}
# ULP_TRIALS runs of `msopt train OPTIONS` on BASE's perturbed spectra: their count range.
ulp_counts() {
  local base=$1
  shift
  for ((k = 1; k <= ulp_trials; ++k)); do
    "$msopt" train -data_file "$base.h5" -spec_file "$base.ulp$k.h5" -opt_tol 1e-8 -opt_max_it "$max_it" "$@" \
      >"$base.ulp.out" 2>&1 || true
    count=$(evals "$base.ulp.out")
    echo "${count:-0}"
  done | count_range
}
ulp_header=()
((ulp_trials > 0)) && ulp_header=(gc_ulp auto_ulp)
printf "%-16s %5s %6s %6s %8s %6s %9s  %s\n" case seed CG gcheb auto_mrgd ratio green_deg \
  "${ulp_header[*]}${ulp_header[*]:+  }verdict"
corpus | while read -r name n dims scales extra; do
  [[ -z "$name" || "$name" == \#* ]] && continue
  for seed in "${seeds[@]}"; do
    base="$work/$name.$seed"
    # shellcheck disable=SC2086 # extra holds data options
    "$msopt" data multiscale -data_n "$n" -data_dims "$dims" -data_scales "$scales" $extra -data_seed "$seed" \
      -data_out "$base.h5" >"$base.log" 2>&1 && "$msopt" spectrum -data_file "$base.h5" -spec_out "$base.spec.h5" \
      >>"$base.log" 2>&1 || { echo "$name: data or spectrum failed: $(tail -1 "$base.log")"; continue; }
    common=(train -data_file "$base.h5" -spec_file "$base.spec.h5" -opt_tol 1e-8 -opt_max_it "$max_it")
    "$msopt" "${common[@]}" -opt_type cg >"$base.cg" 2>&1 || true
    "$msopt" "${common[@]}" -opt_type mrgd -mrgd_schedule groups_chebyshev >"$base.gc" 2>&1 || true
    "$msopt" "${common[@]}" -opt_type mrgd >"$base.auto" 2>&1 || true
    cg=$(evals "$base.cg"); gc=$(evals "$base.gc"); auto=$(evals "$base.auto")
    degree=$(/usr/bin/python3 "$here/union_green_bound.py" "$base.spec.h5" 2>&1 |
      sed -n 's/.*least degree to .* ~ \([0-9]*\).*/\1/p' || true)
    ulp=""
    if ((ulp_trials > 0)); then
      if /usr/bin/python3 "$here/ulp_perturbed_spectra.py" "$base.spec.h5" "$base.ulp" "$ulp_trials" 2 "$seed" \
        >"$base.ulp.out" 2>&1; then
        ulp="$(printf "%6s %8s  " "$(ulp_counts "$base" -opt_type mrgd -mrgd_schedule groups_chebyshev)" \
          "$(ulp_counts "$base" -opt_type mrgd)")"
      else
        ulp="$(printf "%6s %8s  " - -)"
      fi
    fi
    awk -v name="$name" -v seed="$seed" -v cg="${cg:-0}" -v gc="${gc:-0}" -v auto="${auto:-0}" -v deg="${degree:--}" \
      -v ulp="$ulp" 'BEGIN {
      ratio = (cg > 0 && gc > 0) ? gc / cg : -1
      verdict = ratio < 0 ? "no convergence" : (ratio <= 2 ? "<= 2x CG" : "MISSED 2x CG")
      if (ratio >= 0 && auto > 0 && gc > auto) verdict = verdict ", ABOVE Theorem 3.4"
      printf "%-16s %5s %6d %6d %8d %6.2f %9s  %s%s\n", name, seed, cg, gc, auto, ratio, deg, ulp, verdict }'
  done
done
