#!/usr/bin/python3
"""One PNG per figure of the landscape paper from scripts/landscape_figures.sh's
runs in OUT: fig2_1_eos.png, fig2_1_lr_decay.png, fig3_2_trajectory_pca.png,
fig4_1_subquadratic_gd.png, fig4_2_flattening_valley.png,
fig5_1_two_valley_lr_decay.png, fig6_1_relu3_landscapes.png.
Usage: /usr/bin/python3 scripts/plot_landscape.py OUT"""
import os
import sys

import h5py
import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402

OUT = sys.argv[1]


def load(name):
    with h5py.File(os.path.join(OUT, name + ".h5"), "r") as f:
        run = {k: f[k][:] for k in f.keys()}
        for k, v in f.attrs.items():
            run[k] = v.decode() if isinstance(v, bytes) else v
    dim = int(run["dim"][0])
    run["x"] = run["iterates"].reshape(-1, dim)
    return run


def grid2d(run):
    gx, gy = run["grid_x1"], run["grid_x2"]
    return gx, gy, run["grid_loss"].reshape(len(gy), len(gx))


def drops(ax, run):
    lr = run["lr"]
    for t in np.nonzero(np.diff(lr))[0] + 1:
        ax.axvline(t, color="r", lw=0.8, ls=":")


def save(fig, name):
    fig.tight_layout()
    path = os.path.join(OUT, name)
    fig.savefig(path, dpi=110)
    plt.close(fig)
    print("wrote " + path)


def fig4_1():
    fig, axes = plt.subplots(2, 3, figsize=(13, 7))
    for col, name in enumerate(["f1", "f2", "f3"]):
        run = load("fig4_1_" + name)
        top, bottom = axes[0, col], axes[1, col]
        if name == "f3":
            gx, gy, z = grid2d(run)
            top.contourf(gx, gy, z, 30, cmap="viridis")
            top.plot(run["x"][:, 0], run["x"][:, 1], ".-", color="w", lw=0.4, ms=2)
            top.set_xlabel("x1")
            top.set_ylabel("x2")
        else:
            top.plot(run["grid_x1"], run["grid_loss"], "k", lw=1)
            top.plot(run["x"][:, 0], run["loss"], ".", ms=3, label="GD iterates")
            top.set_xlabel("x")
        top.set_title("%s: rates %s" % (name, " -> ".join("%g" % r for r in dict.fromkeys(run["lr"]))))
        bottom.semilogy(np.maximum(run["loss"], 1e-16))
        bottom.set_ylim(1e-16, None)
        drops(bottom, run)
        bottom.set_xlabel("step")
        bottom.set_ylabel("loss")
    quad = load("fig4_1_quadratic")
    axes[1, 0].semilogy(quad["loss"], "--", color="gray", label="x^2/2 at rate 2.5 (diverges)")
    axes[1, 0].legend(fontsize=8)
    fig.suptitle("Fig. 4.1: GD on subquadratic functions does not blow up; each rate drop lowers the orbit")
    save(fig, "fig4_1_subquadratic_gd.png")


def fig4_2():
    run = load("fig4_2_valley")
    fig, axes = plt.subplots(1, 3, figsize=(14, 4))
    gx, gy, z = grid2d(run)
    axes[0].contourf(gx, gy, np.log10(z + 1e-6), 30, cmap="viridis")
    n = min(len(run["x"]), 400)
    axes[0].plot(run["x"][:n, 0], run["x"][:n, 1], "w.-", lw=0.3, ms=1.5)
    axes[0].set_title("log10 f and the first %d GD steps" % n)
    steps = np.arange(len(run["x"]))
    axes[1].plot(steps, run["x"][:, 0], label="GD")
    axes[1].plot(steps, run["quasistatic_x1"], "--", label="quasistatic (4.8)")
    axes[1].axhline((np.sqrt(3 / 2) - 1) / 0.01, color="r", ls=":", label="x1* (h^2 f''(0) = 2/eta)")
    axes[1].set_title("x1")
    axes[2].plot(steps, abs(run["x"][:, 1]), label="GD")
    axes[2].plot(steps, run["quasistatic_x2"], "--", label="quasistatic (4.7)")
    axes[2].set_title("|x2|")
    for ax in axes[1:]:
        ax.set_xlabel("step")
        ax.legend(fontsize=8)
    fig.suptitle("Fig. 4.2: GD bounces across a flattening valley and drifts to flatter minima (rate 3)")
    save(fig, "fig4_2_flattening_valley.png")


def fig5_1():
    runs = {d: load("fig5_1_decay%d" % d) for d in (650, 700, 750)}
    fig, axes = plt.subplots(1, 3, figsize=(15, 4.3))
    gx, gy, z = grid2d(runs[650])
    axes[0].contourf(gx, gy, np.log10(z + 1e-4), 40, cmap="viridis")
    axes[0].set_title("log10 f: a flat valley (x2 = 0), a sharp one (x1 = 0)")
    x = runs[750]["x"]
    begin = int(np.argmax(x[:, 0] > -4))
    axes[1].plot(x[begin:751, 0], x[begin:751, 1], ".-", color="gray", lw=0.3, ms=1.5, label="before drop")
    for d, run in runs.items():
        axes[1].plot(run["x"][d:, 0], run["x"][d:, 1], ".-", lw=0.5, ms=2, label="drop at %d" % d)
        axes[2].semilogy(run["loss"], label="drop at %d" % d)
    axes[1].set_title("trajectories from step %d (x1 > -4)" % begin)
    axes[1].legend(fontsize=8)
    axes[2].set_xlabel("step")
    axes[2].set_ylabel("loss")
    axes[2].legend(fontsize=8)
    fig.suptitle("Fig. 5.1: the same rate drop 2.5 -> 0.25 at nearly the same loss; only the late one converges fast")
    save(fig, "fig5_1_two_valley_lr_decay.png")


def fig2_1_eos():
    fig, axes = plt.subplots(1, 2, figsize=(12, 4))
    for ax, name, eta in ((axes[0], "fig2_1_eos_f1", 3.0), (axes[1], "fig2_1_eos_two_valley", 2.5)):
        run = load(name)
        ax.plot(run["step_sharpness"], color="tab:orange", label="curvature along the step")
        ax.plot(run["sharpness"], color="tab:red", lw=0.8, label="sharpness (largest Hessian eigenvalue)")
        ax.axhline(2 / eta, color="tab:orange", ls="--", label="2/eta")
        ax.set_xlabel("step")
        ax.set_ylim(0, 1.5 * 2 / eta)
        loss_ax = ax.twinx()
        loss_ax.semilogy(run["loss"], color="tab:blue", lw=0.8)
        loss_ax.set_ylabel("loss", color="tab:blue")
        ax.set_title("%s, rate %g" % (run["model"], eta))
        ax.legend(fontsize=8, loc="lower right")
    fig.suptitle("Fig. 2.1 left on toy landscapes: the curvature GD sees rises to 2/eta and stays; the loss keeps "
                 "falling, not monotonically")
    save(fig, "fig2_1_eos.png")


def fig2_1_lr_decay():
    fig, axes = plt.subplots(1, 2, figsize=(12, 4))
    for d in (650, 750):
        run = load("fig5_1_decay%d" % d)
        axes[0].semilogy(run["loss"], label="decay at %d" % d)
        axes[0].axvline(d, color="r", lw=0.8, ls=":")
    axes[0].set_title("two valleys: decaying later converges sooner")
    for name, label in (("constant", "2.5 throughout"), ("small", "0.25 throughout"), ("step", "step x0.1 at 750"),
                        ("cosine", "cosine 2.5 -> 0.25"), ("linear", "linear 2.5 -> 0.25"),
                        ("decay750", "paper: 2.5 -> 0.25 at 750")):
        run = load("fig2_1_" + name if name != "decay750" else "fig5_1_decay750")
        axes[1].semilogy(run["loss"], lw=0.9, label=label)
    axes[1].set_title("rate schedules on the two valleys")
    for ax in axes:
        ax.set_xlabel("step")
        ax.set_ylabel("loss")
        ax.legend(fontsize=8)
    fig.suptitle("Fig. 2.1 right on a toy landscape: the effect of learning-rate decay and its timing")
    save(fig, "fig2_1_lr_decay.png")


def principal_direction(points):
    centered = points - points.mean(axis=0)
    return np.linalg.svd(centered, full_matrices=False)[2][0]


def fig3_2_pca():
    """Fig. 3.2 right: principal moving directions before and after the rate drop (two valleys)."""
    runs = {d: load("fig5_1_decay%d" % d) for d in (650, 750)}
    before = runs[750]["x"][400:650]
    segments = {"before drop (large rate)": before, "after drop at 650": runs[650]["x"][650:],
                "after drop at 750": runs[750]["x"][750:]}
    axes_vectors = []
    for points in segments.values():  # orthogonalised first principal components, as in the paper
        v = principal_direction(points)
        for u in axes_vectors:
            v = v - (v @ u) * u
        if np.linalg.norm(v) > 1e-8 and len(axes_vectors) < 2:
            axes_vectors.append(v / np.linalg.norm(v))
    basis = np.array(axes_vectors)
    fig, ax = plt.subplots(figsize=(6, 5))
    lines = []
    for label, points in segments.items():
        p = points @ basis.T
        ax.plot(p[:, 0], p[:, 1] if basis.shape[0] > 1 else 0 * p[:, 0], ".-", lw=0.4, ms=2, label=label)
        direction = principal_direction(points)
        lines.append("%s: PC1 = (%.3f, %.3f)" % (label, *direction))
    ax.set_xlabel("PC1 of the segment before the drop")
    ax.set_ylabel("orthogonalised PC1 of the next segment")
    ax.legend(fontsize=8)
    ax.set_title("Fig. 3.2 right (toy): trajectory PCA around the rate drop", fontsize=10)
    print("\n".join(lines))
    save(fig, "fig3_2_trajectory_pca.png")


def fig6_1():
    relu, population, valleys = load("fig6_1_relu3"), load("fig6_1_population"), load("fig6_1_valleys2d")
    fig = plt.figure(figsize=(14, 4.3))
    ax = fig.add_subplot(1, 3, 1)
    ax.plot(relu["grid_x1"], relu["grid_loss"], label="3 data: x = 1, 10, 100")
    ax.plot(population["grid_x1"], population["grid_loss"], label="population, x ~ U[0, 3] (6.2)")
    ax.set_xlabel("w")
    ax.set_ylabel("L(w)")
    ax.legend(fontsize=8)
    ax.set_title("loss of the 3-neuron model (6.1)")
    ax = fig.add_subplot(1, 3, 2)
    for run, label in ((relu, "3 data"), (population, "population")):
        w, L = run["grid_x1"], run["grid_loss"]
        h = w[1] - w[0]
        second = (L[2:] - 2 * L[1:-1] + L[:-2]) / h**2
        keep = (w[1:-1] > 0) & (abs(second) > 1e-6)  # the flat pieces' differences are round-off
        ax.loglog(w[1:-1][keep], abs(second[keep]), ".", ms=2, label=label)
    ax.set_xlabel("w > 0")
    ax.set_ylabel("|second difference|")
    ax.set_title("separate scales vs a continuum of scales")
    ax.legend(fontsize=8)
    ax = fig.add_subplot(1, 3, 3, projection="3d")
    gx, gy, z = grid2d(valleys)
    X, Y = np.meshgrid(gx, gy)
    ax.plot_surface(X, Y, z, cmap="viridis", linewidth=0, rstride=2, cstride=2)
    ax.set_xlabel("w1")
    ax.set_ylabel("w2")
    ax.set_title("L_C(w1) + L_10C(w2): two valleys in two scales", fontsize=9)
    fig.suptitle("Fig. 6.1: multiscale data make a multiscale loss")
    save(fig, "fig6_1_relu3_landscapes.png")


for make in (fig4_1, fig4_2, fig5_1, fig2_1_eos, fig2_1_lr_decay, fig3_2_pca, fig6_1):
    make()
