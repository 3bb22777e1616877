"""The table every benchmark driver prints and writes as CSV (bench/mlp_softmax_table.py, bench/mgdl_grade_table.py).

A row: benchmark, cores, msopt median, msopt min, reference, reference median, reference min, value, its
meaning, target, verdict (True: met, False: missed, None: for reference); times in seconds, "" where none.
"""
import csv
import os

COLUMNS = ["benchmark", "cores", "msopt_median_s", "msopt_min_s", "reference", "reference_median_s",
           "reference_min_s", "value", "value_meaning", "target", "verdict"]


def verdict(met):
    return "-" if met is None else ("met" if met else "MISSED")


def write_and_print(rows, out, decimals=4, noisy_if=lambda benchmark: True, after_table=()):
    """Writes rows to the CSV out and prints them; lines of after_table follow the table, then a warning
    for the rows (those noisy_if selects) whose median exceeds 1.15 x their min: a busy machine."""
    os.makedirs(os.path.dirname(os.path.abspath(out)), exist_ok=True)
    with open(out, "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(COLUMNS)
        w.writerows([[f"{x:.6g}" if isinstance(x, float) else x for x in r] for r in rows])

    width = max(len("benchmark"), *(len(r[0]) for r in rows))
    fmt = lambda x: f"{x:9.{decimals}f}" if isinstance(x, float) else f"{x:>9}"
    print(f"{'benchmark':<{width}} {'cores':>5} {'msopt med':>9} {'msopt min':>9} {'ref med':>9} {'ref min':>9}"
          f" {'value':>10}  {'target':<9} {'verdict':<7} meaning (reference)")
    for b, k, mm, mn, ref, rm, rn, v, meaning, target, verdict in rows:
        val = f"{v:10.3e}" if "agreement" in b else f"{100 * v:9.1f}%" if "_vs_" in b else f"{v:9.3f}x"
        print(f"{b:<{width}} {k:>5} {fmt(mm)} {fmt(mn)} {fmt(rm)} {fmt(rn)} {val}  {target:<9} {verdict:<7} "
              f"{meaning} ({ref})")
    for line in after_table:
        print(line)
    noisy = [f"{b}/{k}" for b, k, mm, mn, ref, rm, rn, *_ in rows if noisy_if(b) and
             ((isinstance(mn, float) and mm > 1.15 * mn) or (isinstance(rn, float) and rm > 1.15 * rn))]
    if noisy:
        print("WARNING: median > 1.15 x min for " + ", ".join(noisy) + ": the machine was busy; compare the min "
              "columns or rerun.")
    print(f"wrote {out}")
