"""Figure 3 of the MrGD paper from msopt histories: residual vs gradient
evaluations (log scale) per problem, and the table of evaluations to reach
relative residual 1e-8. Usage: /usr/bin/python3 scripts/plot_fig3.py RESULTS_DIR"""
import csv
import os
import sys

import h5py
import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

METHODS = [
    ("mrgd", "MrGD, rates from the spectrum (Thm 3.4)"),
    ("mrgd_paper", "MrGD, the paper's hand-set rates"),
    ("mrgd_groups", "MrGD, Chebyshev nodes per scale group"),
    ("gd", "GD, eta = 0.5 (paper)"),
    ("heavyball", "heavy ball"),
    ("nesterov", "Nesterov"),
    ("cg", "CG (PETSc KSP)"),
    ("chebyshev", "Chebyshev (PETSc KSP)"),
    ("lbfgs", "L-BFGS (PETSc TAO lmvm)"),
]
TOL = 1e-8


def load(path):
    with h5py.File(path, "r") as f:
        ref = f.attrs["reference_norm"][0]
        return f["evaluations"][:], f["residual"][:] / ref


def to_tolerance(evals, rel):
    hit = (rel <= TOL).nonzero()[0]
    return int(evals[hit[0]]) if len(hit) else None


def main(out):
    rows = []
    for problem, title in [("two_scale", "two scales (r = 1e-3)"), ("three_scale", "three scales (r = 0.1)")]:
        fig, ax = plt.subplots(figsize=(6.4, 4.4))
        counts = {}
        for key, label in METHODS:
            path = os.path.join(out, f"fig3_{problem}_{key}.h5")
            if not os.path.exists(path):
                continue
            evals, rel = load(path)
            counts[key] = to_tolerance(evals, rel)
            ax.semilogy(evals, rel, label=label, lw=1.4 if key.startswith("mrgd") else 1.0)
        ax.axhline(TOL, color="gray", ls=":", lw=0.8)
        ax.set_xscale("symlog", linthresh=100)
        ax.set_xlim(left=0)
        ax.set_xlabel("gradient evaluations")
        ax.set_ylabel("||A w - b|| / ||b||")
        ax.set_title(f"MrGD paper, Figure 3: {title}")
        ax.legend(fontsize=7, loc="upper right")
        fig.tight_layout()
        fig.savefig(os.path.join(out, f"fig3_{problem}.png"), dpi=120)
        plt.close(fig)
        gd = counts.get("gd")
        for key, label in METHODS:
            if key in counts:
                n = counts[key]
                ratio = gd / n if (gd and n) else None
                rows.append((problem, key, n, ratio))

    print(f"\nGradient evaluations to relative residual {TOL:g}:")
    print(f"{'problem':12s} {'method':12s} {'evaluations':>12s} {'GD(0.5)/method':>15s}")
    for problem, key, n, ratio in rows:
        print(f"{problem:12s} {key:12s} {str(n) if n else 'not reached':>12s} "
              f"{(f'{ratio:.1f}x' if ratio else '-'):>15s}")
    with open(os.path.join(out, "fig3_table.csv"), "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["problem", "method", "evaluations_to_1e-8", "gd_over_method"])
        w.writerows(rows)
    print(f"wrote {out}/fig3_two_scale.png, {out}/fig3_three_scale.png, {out}/fig3_table.csv")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "results")
