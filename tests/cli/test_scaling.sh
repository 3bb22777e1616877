#!/usr/bin/env bash
# The scaling study tool on a small problem: one row per run with the time
# split into compute, communication and I/O, a table with efficiencies and the
# model's predictions, and a plot. (Speed targets are measured by the full
# study, scripts/scaling_study.sh, not here.)
source "$(dirname "$0")/cli_lib.sh" "$@"
STRONG_N=20000 WEAK_N_PER_RANK=10000 ITERATIONS=30 MSOPT_BIN=$MSOPT \
  bash "$SRC/scripts/scaling_study.sh" "$WORK/results" 1 2 3 >out.txt 2>&1 || fail "scaling_study.sh"
[ -s results/scaling.png ] && pass "plot written" || fail "plot written"
$PY - <<'PY' && pass "table: 6 runs, times split, 3 ranks marked oversubscribed" || fail "table"
import csv, sys
rows = list(csv.DictReader(open("results/scaling_table.csv")))
ok = len(rows) == 6
for r in rows:
    t, comp, comm = (float(r[k]) for k in ("seconds_per_iteration", "compute_per_iteration", "communication_per_iteration"))
    ok &= t > 0 and comp > 0 and comm >= 0 and (r["ranks"] != "1" or comm < comp)  # 1 rank: a trivial allreduce
    ok &= (r["oversubscribed"] == "1") == (int(r["ranks"]) > __import__("os").cpu_count())
    ok &= r["series"] != "weak" or r["ranks"] == "1" or int(r["n_samples"]) == 10000 * int(r["ranks"])
sys.exit(0 if ok else 1)
PY
grep -q "predicted seconds per iteration" out.txt && grep -q "^N=1e8, d=100" out.txt && pass "model predictions printed" ||
  fail "model predictions printed"
finish
