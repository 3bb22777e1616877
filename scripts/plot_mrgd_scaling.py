"""Gradient evaluations to 1e-8 against the decay rate r and the local condition
number kappa_c (log-log), beside the orders of the MrGD paper: GD eq. (21),
accelerated methods eq. (22) (Table 1's "GD+"), MrGD eq. (24)+(26). r and
kappa_c are measured on each problem's spectrum (largest r_i and kappa_i of
its scale groups). Fits the slope of log(evaluations) against log(r) or
log(kappa_c) and prints it beside the slope of the predicted order over the
same points. Usage: /usr/bin/python3 scripts/plot_mrgd_scaling.py OUT_DIR
(reads OUT_DIR/mrgd_scaling.csv; writes mrgd_scaling.png, mrgd_scaling_slopes.csv)."""
import csv
import os
import sys

import h5py
import matplotlib
import numpy as np

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

METHODS = ["gd", "mrgd", "heavyball", "nesterov", "cg"]
COLORS = {"gd": "C0", "mrgd": "C3", "heavyball": "C1", "nesterov": "C2", "cg": "C4"}


def order(method, m, r, kappa, cycles=False):
    """Predicted evaluations up to a constant and the |log eps| factor. MrGD: eq. (24) with n of eq. (26),
    O(|log eps|) cycles as the paper counts them, or (cycles=True) the eta kappa_c |log eps| cycles that
    the contraction 1 - 1/(eta kappa_c) of eq. (23) needs."""
    if method == "gd":
        return kappa * r ** (1 - m)  # eq. (21)
    if method == "mrgd":
        return (kappa * abs(np.log(r))) ** (m - 1) * (kappa if cycles else 1)  # eq. (26) [x eq. (23)]
    return np.sqrt(kappa * r ** (1 - m))  # eq. (22)


ORDER_TEXT = {"gd": "kappa r^(1-m)", "mrgd": "(kappa |log r|)^(m-1)", "heavyball": "sqrt(kappa r^(1-m))",
              "nesterov": "sqrt(kappa r^(1-m))", "cg": "sqrt(kappa r^(1-m))"}


def measured_groups(path):
    """Largest decay rate r_i and local condition number kappa_i of the spectrum's groups."""
    with h5py.File(path, "r") as f:
        top, bottom = f["group_sigma_max"][:], f["group_sigma_min"][:]
    return len(top), float(np.max(top[1:] / top[:-1])), float(np.max(top / bottom))


def slope(x, y):
    return float(np.polyfit(np.log(x), np.log(y), 1)[0])


def main(out):
    rows = list(csv.DictReader(open(os.path.join(out, "mrgd_scaling.csv"))))
    for row in rows:
        groups, row["r_measured"], row["kappa_measured"] = measured_groups(os.path.join(out, row["spectrum"]))
        if groups != int(row["groups"]):
            sys.exit(f"plot_mrgd_scaling: {row['spectrum']} has {groups} scale groups, not {row['groups']}")
    fig, axes = plt.subplots(2, 2, figsize=(11, 8.5))
    slopes = []
    for a, m in enumerate((2, 3)):
        for b, sweep in enumerate(("r", "kappa")):
            ax = axes[a][b]
            for method in METHODS:
                pts = [r for r in rows if int(r["groups"]) == m and r["sweep"] == sweep and r["method"] == method
                       and r["evaluations"]]
                if len(pts) < 2:
                    continue
                x = np.array([p[f"{sweep}_measured"] for p in pts])
                n = np.array([float(p["evaluations"]) for p in pts])
                pred = np.array([order(method, m, p["r_measured"], p["kappa_measured"]) for p in pts])
                k = np.argsort(x)
                x, n, pred = x[k], n[k], pred[k]
                ax.loglog(x, n, "o-", color=COLORS[method], label=method)
                scale = np.exp(np.mean(np.log(n) - np.log(pred)))
                ax.loglog(x, scale * pred, "--", color=COLORS[method], lw=0.9, alpha=0.7)
                cyc = np.array([order(method, m, p["r_measured"], p["kappa_measured"], True) for p in pts])[k]
                if method == "mrgd":
                    scale = np.exp(np.mean(np.log(n) - np.log(cyc)))
                    ax.loglog(x, scale * cyc, ":", color=COLORS[method], lw=1.2)
                slopes.append((m, sweep, method, slope(x, n), slope(x, pred), slope(x, cyc), ORDER_TEXT[method],
                               len(pts)))
            ax.set_xlabel("r (measured)" if sweep == "r" else "kappa_c (measured)")
            ax.set_ylabel("gradient evaluations to 1e-8")
            ax.set_title(f"m = {m} scale groups, sweep in {sweep}", fontsize=9)
            ax.legend(fontsize=7)
    fig.suptitle("MrGD paper, Corollary 3.9 and Table 1: evaluations vs r and kappa_c\n"
                 "dashed: predicted order (eq. 21, 22, 26); dotted: MrGD with the cycles of eq. (23)", fontsize=10)
    fig.tight_layout()
    fig.savefig(os.path.join(out, "mrgd_scaling.png"), dpi=110)
    with open(os.path.join(out, "mrgd_scaling_slopes.csv"), "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["groups", "sweep", "method", "measured_slope", "predicted_slope", "predicted_slope_with_cycles",
                    "predicted_order", "points"])
        w.writerows(slopes)
    print("\nslope of log(evaluations) against log(r) or log(kappa_c); predicted: the order's slope over the same "
          "points;\nMrGD also with the eta kappa_c |log eps| cycles of eq. (23) (the paper counts O(|log eps|))")
    print(f"{'m':>2s} {'sweep':6s} {'method':10s} {'measured':>9s} {'predicted':>9s} {'w/cycles':>9s}  order")
    for m, sweep, method, s, p, c, text, _ in slopes:
        print(f"{m:2d} {sweep:6s} {method:10s} {s:9.3f} {p:9.3f} {c:9.3f}  {text}")
    print(f"wrote {out}/mrgd_scaling.png, {out}/mrgd_scaling_slopes.csv")


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit("usage: plot_mrgd_scaling.py OUT_DIR")
    main(sys.argv[1])
