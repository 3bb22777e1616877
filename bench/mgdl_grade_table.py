#!/usr/bin/python3
"""Table and CSV of the MGDL grade-epoch benchmark from the logs bench/run_mgdl_grade_bench.sh wrote.

    /usr/bin/python3 bench/mgdl_grade_table.py LOGDIR OUT.csv

LOGDIR holds mgdl_msopt{1,2}_r{R}.txt and mgdl_torch{1,2}_r{R}.txt (rounds
R = 1, 2, ...), each with a TIMES line (every timed epoch: epoch, grad, step
in seconds, comma-separated; msopt also local and cpu, the backprop
without the Allreduce, wall and thread CPU time of the slowest rank) and a RESULT line of key=value fields, and
load_before.txt / load_after.txt. The epochs of all rounds are pooled:
median and min. Ratios come from the medians (the min columns are the
fastest epochs: other load only ever adds time). Targets: msopt's
epoch no slower than torch's at equal cores (torch/msopt >= 1), msopt's
2-rank speed-up >= 1.7, the first epoch's loss agreeing to <= 1e-12 relative,
the epoch at >= 70 % of the DGEMM rate per rank (issue 12); beside it, its
fraction of the rate OpenBLAS reaches on one hidden layer's block.
"""
import glob
import os
import statistics
import sys

from bench_table import verdict, write_and_print


def parse(path):
    res, times = None, None
    with open(path) as f:
        for line in f:
            if line.startswith("RESULT"):
                res = dict(kv.split("=", 1) for kv in line.split()[1:])
            elif line.startswith("TIMES"):
                times = {k: [float(x) for x in v.split(",") if x] for k, v in
                         (kv.split("=", 1) for kv in line.split()[1:])}
    if res is None or times is None:
        sys.exit(f"mgdl_grade_table.py: no RESULT or TIMES line in {path}")
    return res, times


def pooled(logdir, impl, k):
    paths = sorted(glob.glob(os.path.join(logdir, f"mgdl_{impl}{k}_r*.txt")))
    if not paths:
        sys.exit(f"mgdl_grade_table.py: no mgdl_{impl}{k}_r*.txt in {logdir}")
    results, times = [], {}
    for p in paths:
        r, t = parse(p)
        results.append(r)
        for key, v in t.items():
            times.setdefault(key, []).extend(v)
    stats = {key: (statistics.median(v), min(v)) for key, v in times.items()}
    return results, stats, len(paths), len(times["epoch"])


def main():
    logdir, out = sys.argv[1], sys.argv[2]
    rows = []  # benchmark, cores, msopt med, msopt min, reference, ref med, ref min, value, meaning, target, verdict

    def add(bench, cores, m_med, m_min, ref, r_med, r_min, value, meaning, target, met):
        rows.append([bench, cores, m_med, m_min, ref, r_med, r_min, value, meaning, target, verdict(met)])

    data = {}
    for k in (1, 2):
        data[k] = pooled(logdir, "msopt", k), pooled(logdir, "torch", k)
    for k in (1, 2):
        (_, m, rounds, n), (tr, t, _, _) = data[k]
        ratio = t["epoch"][0] / m["epoch"][0]
        add("grade4_epoch", k, *m["epoch"], "torch", *t["epoch"], ratio,
            f"torch/msopt time ({rounds} rounds x {n // rounds} epochs)", ">=1", ratio >= 1)
        add("grade4_gradient", k, *m["grad"], "torch fwd+bwd", *t["grad"], t["grad"][0] / m["grad"][0],
            "torch/msopt time", "reference", None)
        add("grade4_adam_step", k, *m["step"], "torch.optim.Adam", *t["step"], t["step"][0] / m["step"][0],
            "torch/msopt time", "reference", None)
    for k in (1, 2):
        (results, m, _, _), _ = data[k]
        square = statistics.median(float(r["frac_dgemm"]) for r in results)
        layer = statistics.median(float(r["frac_layer_dgemm"]) for r in results)
        add("grade4_epoch_vs_dgemm", k, *m["epoch"], f"DGEMM {results[0]['kernel']}", "", "", square,
            "per rank, of the square DGEMM's rate measured in the same run (median of rounds)", ">=70%",
            square >= 0.70)
        add("grade4_epoch_vs_layer", k, *m["epoch"], f"DGEMM {results[0]['layer_dgemm']}", "", "", layer,
            "per rank, of the rate OpenBLAS reaches on one hidden layer's block of rows (median of rounds)",
            "reference", None)
    for k in (1, 2):
        (_, m, _, _), _ = data[k]
        add("grade4_local_bp", k, *m["local"], "", "", "", m["local"][0] / m["grad"][0],
            "msopt local backprop / gradient time (the rest: Allreduce incl. waiting for the other rank)",
            "reference", None)
    (_, m1, _, _), (_, t1, _, _) = data[1]
    (_, m2, _, _), (_, t2, _, _) = data[2]
    s = m1["epoch"][0] / m2["epoch"][0]
    add("msopt_speedup", 2, *m2["epoch"], "msopt 1 rank", *m1["epoch"], s,
        f"msopt 1-rank/2-rank time (from mins {m1['epoch'][1] / m2['epoch'][1]:.3f})", ">=1.7", s >= 1.7)
    # The machine's own ceiling: on some VMs a core's DGEMM rate drops when both cores compute.
    (r1, _, _, _), _ = data[1]
    (r2, _, _, _), _ = data[2]
    s = statistics.median(2 * float(b["dgemm_gflops"]) / float(a["dgemm_gflops"]) for a, b in zip(r1, r2))
    add("dgemm_speedup", 2, "", "", "DGEMM 1 rank", "", "", s,
        "the square DGEMM's rate summed over 2 ranks / its rate at 1 rank, paired by round (median): the "
        "speed-up the machine itself gives msopt_speedup", "reference", None)
    s = m1["local"][0] / m2["local"][0]
    add("msopt_speedup_bp", 2, *m2["local"], "msopt 1 rank", *m1["local"], s,
        f"msopt local backprop 1-rank/2-rank time (from mins {m1['local'][1] / m2['local'][1]:.3f})", "reference",
        None)
    s = m1["cpu"][0] / m2["cpu"][0]
    add("msopt_speedup_cpu", 2, *m2["cpu"], "msopt 1 rank", *m1["cpu"], s,
        "msopt local backprop 1-rank/2-rank thread CPU time (slowest rank): the speed-up of the work on "
        "dedicated cores, Allreduce excluded", "reference", None)
    s = t1["epoch"][0] / t2["epoch"][0]
    add("torch_speedup", 2, "", "", "torch 1 vs 2 threads", *t2["epoch"], s,
        f"torch 1-thread/2-thread time (from mins {t1['epoch'][1] / t2['epoch'][1]:.3f})", "reference", None)
    for k in (1, 2):
        _, (tr, _, _, _) = data[k]
        worst = max(float(r["loss_rel"]) for r in tr)
        worst_all = max(float(r["max_loss_rel"]) for r in tr)
        add("loss_agreement", k, "", "", "torch", "", "", worst,
            f"rel diff of the first epoch's loss (max over all epochs after identical Adam steps {worst_all:.2e})",
            "<=1e-12", worst <= 1e-12)

    paths = [os.path.join(logdir, name + ".txt") for name in ("load_before", "load_after")]
    loads = [open(path).read().strip() for path in paths if os.path.exists(path)]
    write_and_print(rows, out, decimals=5, noisy_if=lambda b: "epoch" in b, after_table=loads)


if __name__ == "__main__":
    main()
