#!/usr/bin/env bash
# The README's main job end to end (Figure 3 of the MrGD paper): MrGD with
# rates from the spectrum needs >= 10x fewer gradient evaluations than GD with
# eta = 0.5 and fewer than the paper's hand-set rates, and MrGD with Chebyshev
# nodes per scale group at most 2x CG's, on both problems.
source "$(dirname "$0")/cli_lib.sh" "$@"
MSOPT_BIN=$MSOPT bash "$SRC/scripts/fig3.sh" "$WORK/results" >out.txt 2>&1 || fail "scripts/fig3.sh"
for f in fig3_two_scale.png fig3_three_scale.png fig3_table.csv; do
  [ -s "results/$f" ] && pass "wrote $f" || fail "wrote $f"
done
for problem in two_scale three_scale; do
  $PY - "$problem" <<'PY' && pass "$problem: MrGD and groups_chebyshev claims" || fail "$problem: claim"
import csv, sys
rows = {r["method"]: r for r in csv.DictReader(open("results/fig3_table.csv")) if r["problem"] == sys.argv[1]}
n = {k: int(v["evaluations_to_1e-8"]) for k, v in rows.items() if v["evaluations_to_1e-8"] not in ("", "None")}
print("  %s: %s" % (sys.argv[1], n))
sys.exit(0 if len(n) == 9 and 10 * n["mrgd"] <= n["gd"] and n["mrgd"] < n["mrgd_paper"] and
         n["mrgd_groups"] <= 2 * n["cg"] else 1)
PY
done
finish
