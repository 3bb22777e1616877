"""Figures and tables of scripts/fashion_mnist_experiments.sh.

Reads what the experiments wrote in OUT and makes, for the parts present:
  fig1_gradient_rows.png   MrGD paper Fig. 1: |dL/dW1[i,:]| (natural log) for
                           i = 0 and a random row at two stages, raw and
                           sorted, beside the data's principal values
  fig2_neuron_hessians.png Figs 2/4: eigenvalues (by magnitude, log) of the
                           Hessian blocks of W1[0,:] and W2[1,:] per stage
  mlp_late.png             MrGD vs GD on the MLP from its 80 % snapshot
  softmax_loss.png, softmax_table.csv   loss vs gradient evaluations; for
                           each method the evaluations to reach the loss the
                           best GD rate reaches after its last evaluation
  eos.png                  sharpness vs step with the 2/eta line, loss vs step
                           (the steps where it rose marked); the loss along
                           the gradient direction and its second differences
Usage: /usr/bin/python3 scripts/plot_fashion_mnist.py OUT
"""
import csv
import glob
import os
import re
import sys

import h5py
import matplotlib
import numpy as np

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402


def stage_name(path):
    return re.search(r"_(\d\.\d\d)\.h5$", path).group(1)


def fig1(out):
    files = sorted(glob.glob(os.path.join(out, "mlp_gradient_*.h5")))
    if not files:
        return
    files = files[-2:]  # the two latest stages
    with h5py.File(files[0]) as f:
        source = f.attrs["source"]
        source = source.decode() if isinstance(source, bytes) else source
    with h5py.File(source) as d:
        d_in = d["X"].shape[1]
        principal = d.attrs["pca_principal_values"][:] if "pca_principal_values" in d.attrs else None
    row = np.random.default_rng(2024).integers(1, 1024)
    fig, axes = plt.subplots(2, 2, figsize=(11, 7))
    for path, color in zip(files, ("tab:blue", "tab:orange")):
        with h5py.File(path) as f:
            g = f["gradient"][:]
            accuracy = f.attrs["accuracy"][0]
        for col, i in enumerate((0, row)):
            mag = np.log(np.abs(g[i * d_in:(i + 1) * d_in]) + 1e-300)
            # `msopt evaluate` ran on the training data: its accuracy is the training accuracy; the stage is
            # named by the test accuracy that saved it.
            label = f"training accuracy {accuracy:.2f} (saved at test accuracy >= {stage_name(path)})"
            axes[0, col].plot(mag, color=color, lw=0.7, label=label)
            axes[1, col].plot(np.sort(mag)[::-1], color=color, label=label)
    for col, name in enumerate(("w1_1 (row 0)", f"w1_2 (row {row})")):
        if principal is not None:
            top = axes[1, col].get_lines()[0].get_ydata()[0]
            scaled = 0.5 * np.log(principal) - 0.5 * np.log(principal[0]) + top
            axes[1, col].plot(scaled, color="red", lw=1, label="principal values (scaled)")
        axes[0, col].set_title(f"log |dL/dW1[{name}]|")
        axes[1, col].set_title(f"{name}, sorted by magnitude")
        axes[1, col].set_xlabel("input direction (PCA order)")
        for ax in axes[:, col]:
            ax.legend(fontsize=7)
    fig.tight_layout()
    fig.savefig(os.path.join(out, "fig1_gradient_rows.png"), dpi=120)


def fig2(out):
    blocks = {"0_0": "layer 1, neuron 0 (W1[0,:])", "1_1": "layer 2, neuron 1 (W2[1,:])"}
    present = [b for b in blocks if glob.glob(os.path.join(out, f"mlp_hessian_{b}_*.h5"))]
    if not present:
        return
    fig, axes = plt.subplots(1, len(present), figsize=(6 * len(present), 4), squeeze=False)
    for ax, block in zip(axes[0], present):
        for path in sorted(glob.glob(os.path.join(out, f"mlp_hessian_{block}_*.h5"))):
            with h5py.File(path) as f:
                e = f["eigenvalues"][:]
            e = np.sort(np.abs(e))[::-1]
            ax.plot(np.log(e + 1e-300), marker=".", ms=3, label=f"test accuracy >= {stage_name(path)}")
        ax.set_title(f"Hessian eigenvalues, {blocks[block]}")
        ax.set_xlabel("index (by magnitude)")
        ax.set_ylabel("log |eigenvalue|")
        ax.legend(fontsize=8)
    fig.tight_layout()
    fig.savefig(os.path.join(out, "fig2_neuron_hessians.png"), dpi=120)


def softmax(out):
    runs = {}
    for path in sorted(glob.glob(os.path.join(out, "softmax_*.h5"))):
        with h5py.File(path) as f:
            runs[os.path.basename(path)[len("softmax_"):-3]] = f["loss"][:]
    gd = {k: v for k, v in runs.items() if k.startswith("gd_")}
    if not gd:
        return
    best_gd = min(gd, key=lambda k: gd[k][-1])
    target, budget = gd[best_gd][-1], len(gd[best_gd])
    rows = []
    for name, loss in runs.items():
        hit = np.nonzero(loss <= target)[0]
        reached = int(hit[0]) + 1 if hit.size else None
        rows.append((name, len(loss), loss[-1], reached, reached / budget if reached else None))
    with open(os.path.join(out, "softmax_table.csv"), "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["method", "evaluations", "final_loss", f"evaluations_to_{target:.6f}", "ratio_to_tuned_gd"])
        for r in sorted(rows, key=lambda r: (r[3] is None, r[3] or 0)):
            w.writerow([r[0], r[1], f"{r[2]:.6f}", r[3] if r[3] else "not reached", f"{r[4]:.3f}" if r[4] else ""])
    # Best run per method: the soonest to reach the target, then the lowest final loss.
    reached_at = {r[0]: (r[3] or np.inf, r[2]) for r in rows}
    families = {}
    for name in runs:
        family = re.sub(r"_[0-9.e-]+$", "", name)  # gd_1.5 -> gd, mrgd_chebyshev_300 -> mrgd_chebyshev
        if family not in families or reached_at[name] < reached_at[families[family]]:
            families[family] = name
    fig, axes = plt.subplots(1, 2, figsize=(13, 5))
    for ax, zoom in zip(axes, (False, True)):
        for family, name in sorted(families.items()):
            loss = runs[name]
            ax.plot(np.arange(1, len(loss) + 1), loss, lw=2 if name.startswith("mrgd") else 1, label=name)
        ax.axhline(target, color="gray", ls=":", label=f"tuned GD ({best_gd}) after {budget}")
        ax.set_xlabel("gradient evaluations")
        ax.set_ylabel("training loss")
        if zoom:
            ax.set_ylim(0.5 * target, 2 * target)
            ax.set_title("near the target")
        else:
            ax.set_yscale("log")
            ax.set_title("softmax regression on PCA-aligned Fashion-MNIST (best run per method)", fontsize=10)
            ax.legend(fontsize=8)
    fig.tight_layout()
    fig.savefig(os.path.join(out, "softmax_loss.png"), dpi=120)


def mlp_late(out):
    paths = {m: os.path.join(out, f"mlp_late_{m}.h5") for m in ("gd", "mrgd")}
    if not all(os.path.exists(p) for p in paths.values()):
        return
    fig, ax = plt.subplots(figsize=(7, 4.5))
    for method, path in paths.items():
        with h5py.File(path) as f:
            loss = f["loss"][:]
        ax.plot(np.arange(1, len(loss) + 1), loss, label=f"{method}: {loss[-1]:.4f} after {len(loss)}")
    ax.set_xlabel("gradient evaluations from the 80 % snapshot")
    ax.set_ylabel("training loss")
    ax.set_title("MLP 784-1024-128-10, later stage")
    ax.legend(fontsize=8)
    fig.tight_layout()
    fig.savefig(os.path.join(out, "mlp_late.png"), dpi=120)


def eos(out):
    path = os.path.join(out, "eos_gd.h5")
    if not os.path.exists(path):
        return
    with h5py.File(path) as f:
        loss = f["loss"][:]
        its, sharp = f["track_evaluations"][:], f["track_sharpness"][:]
        parameters = f["optimizer"][()]
        parameters = parameters.decode() if isinstance(parameters, bytes) else parameters
        eta = float(re.search(r"rate ([0-9.e+-]+)", parameters).group(1))
    fig, axes = plt.subplots(1, 3, figsize=(16, 4.5))
    ax = axes[0]
    ax.plot(its, sharp, "o-", ms=3, color="tab:orange", label="sharpness lambda_max(H)")
    ax.axhline(2 / eta, color="tab:orange", ls="--", label=f"2/eta = {2 / eta:.3g}")
    ax.axhspan(0.9 * 2 / eta, 1.1 * 2 / eta, color="tab:orange", alpha=0.1, label="2/eta +- 10 %")
    ax.set_xlabel("GD step")
    ax.set_ylabel("sharpness")
    ax.legend(loc="lower right", fontsize=8)
    ax.set_title(f"edge of stability (eta = {eta:g})")
    steps = np.arange(len(loss))
    rises = np.flatnonzero(np.diff(loss) > 0) + 1
    ax = axes[1]
    ax.semilogy(steps, loss, color="tab:blue", lw=0.8, label="training loss")
    ax.semilogy(rises, loss[rises], ".", ms=2, color="tab:red", label=f"steps where it rose ({len(rises)})")
    ax.set_xlabel("GD step")
    ax.set_ylabel("training loss")
    ax.legend(fontsize=8)
    ax.set_title("loss: non-monotone, falling overall")
    slice_path = os.path.join(out, "eos_slice.h5")
    if os.path.exists(slice_path):
        with h5py.File(slice_path) as f:
            t, l, s = f["t"][:], f["loss"][:], f["second_difference"][:]
        axes[2].plot(t, l, label="L(w + t g/|g|)")
        axes[2].set_xlabel("t (along the gradient)")
        axes[2].set_ylabel("loss")
        twin = axes[2].twinx()
        twin.plot(t[1:-1], s, color="tab:green", label="second difference")
        twin.set_ylabel("second difference / h^2", color="tab:green")
        axes[2].set_title("gradient-direction landscape at the last iterate")
    fig.tight_layout()
    fig.savefig(os.path.join(out, "eos.png"), dpi=120)


def main():
    out = sys.argv[1] if len(sys.argv) > 1 else "results/fashion_mnist"
    for make in (fig1, fig2, mlp_late, softmax, eos):
        make(out)
    print("plot_fashion_mnist: figures in", out)


if __name__ == "__main__":
    main()
