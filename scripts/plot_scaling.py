"""Scaling table, allreduce model and plot from the rows of `msopt train -timing_out`.

Usage: /usr/bin/python3 scripts/plot_scaling.py SCALING_CSV OUT_DIR [NETWORK_GBPS]

Efficiency: strong T(1) / (P T(P)); weak T(1) / T(P). The model of one
iteration on P ranks is  T(P) = c * N * d / P + log2(P) * (alpha + 8 (d + 1) / B)
(a recursive-doubling allreduce of the d + 1 gradient entries): c fitted on
the 1-rank runs, the per-step latency alpha fitted to the measured
communication times at P >= 2 (which include waiting for the slowest rank),
and the network bandwidth B assumed (default 10 GB/s, InfiniBand-class),
because on one node the measurements cannot determine it.
"""
import csv
import math
import os
import sys

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402

PAPER_SCALE = [("Appendix E (N=1e4, d=100)", 1e4, 100), ("N=1e6, d=100", 1e6, 100), ("N=1e8, d=100", 1e8, 100)]


def load(path):
    with open(path) as f:
        rows = list(csv.DictReader(f))
    for r in rows:
        for k in ("ranks", "cores", "oversubscribed", "n_samples", "dim", "iterations"):
            r[k] = int(r[k])
        for k in ("seconds_per_iteration", "compute_per_iteration", "communication_per_iteration", "io_seconds"):
            r[k] = float(r[k])
    return rows


def fit(rows, bandwidth):
    one = [r for r in rows if r["ranks"] == 1]
    c = np.median([r["compute_per_iteration"] / (r["n_samples"] * r["dim"]) for r in one])
    beta = 1.0 / bandwidth
    multi = [r for r in rows if r["ranks"] > 1 and not r["oversubscribed"]] or [r for r in rows if r["ranks"] > 1]
    steps = [r["communication_per_iteration"] / math.log2(r["ranks"]) - beta * 8 * (r["dim"] + 1) for r in multi]
    alpha = max(float(np.median(steps)), 0.0) if steps else 0.0
    return c, alpha, beta


def model(c, alpha, beta, n, d, p):
    return c * n * d / p + math.log2(p) * (alpha + beta * 8 * (d + 1)) if p > 1 else c * n * d


def main(path, out, gbps):
    rows = load(path)
    c, alpha, beta = fit(rows, gbps * 1e9)
    table = []
    # Rows written before msopt named the kernel (issue 12) have no blas_kernel column.
    print("OpenBLAS kernel: " + ", ".join(sorted({r.get("blas_kernel") or "not recorded" for r in rows})))
    print(f"{'series':7s} {'ranks':>5s} {'N':>9s} {'s/iter':>10s} {'compute':>10s} {'comm':>10s} {'I/O s':>8s} "
          f"{'effic.':>7s} {'model':>10s}")
    for series in ("strong", "weak"):
        srows = sorted((r for r in rows if r["label"] == series), key=lambda r: r["ranks"])
        base = next((r for r in srows if r["ranks"] == 1), None)
        for r in srows:
            p = r["ranks"]
            t = r["seconds_per_iteration"]
            eff = (base["seconds_per_iteration"] / (p * t) if series == "strong" else base["seconds_per_iteration"] / t) if base else float("nan")
            pred = model(c, alpha, beta, r["n_samples"], r["dim"], p)
            mark = " (oversubscribed)" if r["oversubscribed"] else ""
            print(f"{series:7s} {p:5d} {r['n_samples']:9d} {t:10.4e} {r['compute_per_iteration']:10.4e} "
                  f"{r['communication_per_iteration']:10.4e} {r['io_seconds']:8.3f} {eff:7.1%} {pred:10.4e}{mark}")
            table.append([series, p, r["n_samples"], r["dim"], t, r["compute_per_iteration"],
                          r["communication_per_iteration"], r["io_seconds"], eff, pred, r["oversubscribed"]])
    with open(os.path.join(out, "scaling_table.csv"), "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["series", "ranks", "n_samples", "dim", "seconds_per_iteration", "compute_per_iteration",
                    "communication_per_iteration", "io_seconds", "efficiency", "model_seconds_per_iteration",
                    "oversubscribed"])
        w.writerows(table)

    print(f"\nmodel: compute {c:.3e} s per row*feature (1 rank); allreduce step latency alpha = {alpha:.3e} s "
          f"(fitted); network bandwidth {1 / beta / 1e9:.1f} GB/s (assumed)")
    ps = [2 ** k for k in range(11)]
    print("predicted seconds per iteration (strong scaling):")
    print(f"{'problem':28s}" + "".join(f"{p:>10d}" for p in ps))
    for name, n, d in PAPER_SCALE:
        print(f"{name:28s}" + "".join(f"{model(c, alpha, beta, n, d, p):10.2e}" for p in ps))

    fig, ax = plt.subplots(figsize=(6.4, 4.4))
    for series, marker in (("strong", "o"), ("weak", "s")):
        srows = sorted((r for r in rows if r["label"] == series), key=lambda r: r["ranks"])
        if srows:
            ax.loglog([r["ranks"] for r in srows], [r["seconds_per_iteration"] for r in srows], marker,
                      label=f"{series}: measured (N={srows[0]['n_samples']:.0e} at 1 rank)")
    for name, n, d in PAPER_SCALE:
        ax.loglog(ps, [model(c, alpha, beta, n, d, p) for p in ps], "-", lw=1, label=f"model, {name}")
    ax.set_xlabel("MPI ranks")
    ax.set_ylabel("seconds per gradient iteration")
    ax.set_title("msopt least-squares gradient: scaling and allreduce model")
    ax.legend(fontsize=7)
    fig.tight_layout()
    fig.savefig(os.path.join(out, "scaling.png"), dpi=120)
    print(f"wrote {out}/scaling_table.csv and {out}/scaling.png")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2] if len(sys.argv) > 2 else "results", float(sys.argv[3]) if len(sys.argv) > 3 else 10.0)
