#!/usr/bin/env bash
# scripts/mrgd_scaling.sh end to end (reduced, 2 ranks): it writes only under
# its OUT folder, one CSV row per run, the plot, and slopes whose GD entries
# match the predicted order of eq. (21) (the claims themselves: test_claims_mrgd.sh).
source "$(dirname "$0")/cli_lib.sh" "$@"
mkdir run && cd run || exit 1
MSOPT_BIN=$MSOPT bash "$SRC/scripts/mrgd_scaling.sh" out >../out.txt 2>&1 && pass "mrgd_scaling.sh ran" ||
  fail "mrgd_scaling.sh ran"
cd .. || exit 1
[ "$(ls run)" = "out" ] && pass "writes only under OUT" || fail "writes only under OUT: $(ls run | tr '\n' ' ')"
[ -s run/out/mrgd_scaling.png ] && pass "plot written" || fail "plot written"
grep -q "^  \[80/80, " out.txt && pass "progress lines" || fail "progress lines"
$PY - <<'PY' && pass "CSV: 80 runs, all reached 1e-8; GD's slopes within 0.1 of eq. (21)'s" || fail "CSV and slopes"
import csv, sys
runs = list(csv.DictReader(open("run/out/mrgd_scaling.csv")))
slopes = [r for r in csv.DictReader(open("run/out/mrgd_scaling_slopes.csv")) if r["method"] == "gd"]
for r in slopes:
    print("  m = %s, sweep in %s: GD slope %s, predicted %s" % (r["groups"], r["sweep"], r["measured_slope"],
                                                               r["predicted_slope"]))
sys.exit(0 if len(runs) == 80 and all(r["evaluations"] for r in runs) and len(slopes) == 4 and
         all(abs(float(r["measured_slope"]) - float(r["predicted_slope"])) <= 0.1 for r in slopes) else 1)
PY
finish
