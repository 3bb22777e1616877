#!/usr/bin/env bash
# MrGD paper, Corollary 3.9 and Table 1 (Section 3.1.1): how the gradient
# evaluations to relative gradient 1e-8 grow with the decay rate r and the
# within-group condition number kappa_c, for m = 2 and 3 scale groups, for GD,
# MrGD (rates and counts from the spectrum), heavy ball, Nesterov and CG.
# Each problem is least squares on Assumption 2.1 data with d_g one-dimensional
# components per group: component j of group g has scale r^(g/2) kappa^(-j/(2(d_g-1))),
# so the covariance has groups with sigma_g = r^g and kappa_g = kappa (the
# measured values, from the spectrum, are what the plot uses).
#   MSOPT_SCALE=reduced  (default) N = 2000, d_g = 20, 4 points per sweep, global condition <= ~2e3
#   MSOPT_SCALE=full     N = 10000, d_g = 40, 6 points per sweep, global condition <= ~6e4 (about 2.3e6 GD
#                        evaluations in all: of the order of an hour, estimated, not run here)
# Writes OUT_DIR/mrgd_scaling.csv, the spectra (OUT_DIR/spectra/), the plots and
# slopes of scripts/plot_mrgd_scaling.py. Runs on $MSOPT_RANKS ranks (default 2).
# Usage: [MSOPT_SCALE=full] scripts/mrgd_scaling.sh [OUT_DIR]
set -euo pipefail
source "$(dirname "$0")/env.sh"
out=${1:-results/mrgd_scaling}
scale=${MSOPT_SCALE:-reduced}
# Sweeps: "m sweep kappa r" per problem; kappa * r stays <= 0.2 so the groups stay apart (eq. 13).
case $scale in
  reduced)
    n=2000 per_group=20 max_it=200000
    problems=("2 r 4 0.04" "2 r 4 0.02" "2 r 4 0.01" "2 r 4 0.005"
              "2 kappa 2 0.01" "2 kappa 4 0.01" "2 kappa 8 0.01" "2 kappa 16 0.01"
              "3 r 2 0.1" "3 r 2 0.07" "3 r 2 0.05" "3 r 2 0.035"
              "3 kappa 1.5 0.05" "3 kappa 2 0.05" "3 kappa 3 0.05" "3 kappa 4 0.05") ;;
  full)
    n=10000 per_group=40 max_it=3000000
    problems=("2 r 4 0.04" "2 r 4 0.01" "2 r 4 3e-3" "2 r 4 1e-3" "2 r 4 3e-4" "2 r 4 1e-4"
              "2 kappa 2 1e-3" "2 kappa 4 1e-3" "2 kappa 8 1e-3" "2 kappa 16 1e-3" "2 kappa 32 1e-3" "2 kappa 64 1e-3"
              "3 r 2 0.1" "3 r 2 0.05" "3 r 2 0.035" "3 r 2 0.025" "3 r 2 0.0125" "3 r 2 0.00625"
              "3 kappa 1.5 0.02" "3 kappa 2 0.02" "3 kappa 3 0.02" "3 kappa 4 0.02" "3 kappa 6 0.02" "3 kappa 8 0.02") ;;
  *) echo "mrgd_scaling: MSOPT_SCALE must be full or reduced, not '$scale'" >&2; exit 2 ;;
esac
methods=(gd mrgd heavyball nesterov cg)
mkdir -p "$out/spectra"
csv=$out/mrgd_scaling.csv
echo "groups,sweep,kappa,r,method,evaluations,seconds,spectrum" >"$csv"  # spectrum: its file under OUT_DIR
echo "== MrGD scaling in r and kappa ($scale: N = $n, $per_group components per group, $MSOPT_RANKS ranks) =="
total=$((${#problems[@]} * ${#methods[@]})) done_runs=0 start=$SECONDS
for problem in "${problems[@]}"; do
  read -r m sweep kappa r <<<"$problem"
  dims=$(awk -v m="$m" -v d="$per_group" 'BEGIN{for (k = 0; k < m * d; k++) printf "%s1", k ? "," : ""}')
  scales=$(awk -v m="$m" -v d="$per_group" -v r="$r" -v k="$kappa" 'BEGIN{
    for (g = 0; g < m; g++) for (j = 0; j < d; j++) printf "%s%.10g", g + j ? "," : "", r^(g / 2) * k^(-j / (2 * (d - 1)))}')
  data=(-data_generate -data_n "$n" -data_dims "$dims" -data_scales "$scales" -data_seed 1)
  spec=$out/spectra/m${m}_kappa${kappa}_r${r}.h5
  msopt_run spectrum "${data[@]}" -spec_out "$spec" >"${spec%.h5}.log"
  for method in "${methods[@]}"; do
    t0=$SECONDS
    line=$(msopt_run train "${data[@]}" -spec_file "$spec" -opt_type "$method" -opt_tol 1e-8 -opt_max_it "$max_it" -quiet |
      grep "gradient evaluations to") || { echo "mrgd_scaling: $method failed on m=$m kappa=$kappa r=$r" >&2; exit 1; }
    evals=${line##*: }
    [ "$evals" = "not reached" ] && evals=""
    echo "$m,$sweep,$kappa,$r,$method,$evals,$((SECONDS - t0)),spectra/${spec##*/}" >>"$csv"
    done_runs=$((done_runs + 1))
    printf "  [%d/%d, %d s] m=%s kappa=%s r=%s %-9s %s evaluations\n" "$done_runs" "$total" $((SECONDS - start)) \
      "$m" "$kappa" "$r" "$method" "${evals:-not reached by $max_it}"
  done
done
/usr/bin/python3 "$(dirname "$0")/plot_mrgd_scaling.py" "$out"
