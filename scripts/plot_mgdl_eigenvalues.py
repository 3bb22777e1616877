"""Training-process figures of the MGDL paper (Sections 6 and 7) from the
`msopt mgdl` results of scripts/mgdl_eigenvalues.sh (or `msopt restore` results of
scripts/restoration_eigenvalues.sh, SETTING denoise<sigma>: Figures 21-24) in RUN_DIR:

  <prefix>_eig_setting<S>.png      Figures 2 / 16: the 10 smallest (solid) and 10
                                   largest (dashed) eigenvalues of I - eta H during
                                   training for SGDL and MGDL (grades one after the
                                   other, grade boundaries dotted), the loss curves below
  <prefix>_msdl_setting<S>.png     Figures 25 / 26: the same for MSDL and MGDL
  <prefix>_predictions_setting<S>.png  Figures 17 / 27: each model's prediction on the
                                   training grid against the target g of eq. (5)
  <prefix>_summary_setting<S>.csv  per model: rate, epochs, final losses, the extreme
                                   eigenvalues, how many recorded eigenvalues were <= -1
                                   (and in which grades)

Eigenvalues come from <model>_eig.csv, losses from <model>.csv, predictions
from <model>.h5 (-mgdl_predictions). Figures whose models are missing are skipped.
  /usr/bin/python3 scripts/plot_mgdl_eigenvalues.py RUN_DIR SETTING OUT_PREFIX"""
import csv
import math
import os
import re
import sys

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402

NAMES = {"sgdl": "SGDL", "mgdl": "MGDL", "msdl": "MSDL"}


def read_table(path):
    with open(path) as f:
        rows = list(csv.DictReader(f))
    return {k: np.array([float(r[k]) for r in rows]) for k in (rows[0].keys() if rows else [])}


def load(run_dir, model):
    """Loss and eigenvalue tables of one run, grades laid end to end on one epoch axis."""
    stem = os.path.join(run_dir, model)
    if not os.path.exists(stem + ".csv"):
        return None
    loss = read_table(stem + ".csv")
    eig = read_table(stem + "_eig.csv") if os.path.exists(stem + "_eig.csv") else {}
    grades = loss["grade"].astype(int)
    offsets = {g: 0 for g in np.unique(grades)}
    total = 0
    for g in sorted(offsets):  # epochs before grade g
        offsets[g] = total
        total += int(loss["evaluation"][grades == g].max())
    run = dict(model=model, loss_epoch=loss["evaluation"] + np.array([offsets[g] for g in grades]),
               train=loss["train_loss"], validation=loss["validation_loss"], boundaries=sorted(offsets.values())[1:],
               epochs=total, grades=len(offsets))
    if eig:
        run["eig_epoch"] = eig["evaluation"] + np.array([offsets[int(g)] for g in eig["grade"]])
        run["eig_grade"] = eig["grade"].astype(int)
        nev = sum(k.startswith("smallest_") for k in eig)
        run["smallest"] = np.column_stack([eig[f"smallest_{k}"] for k in range(nev)])
        run["largest"] = np.column_stack([eig[f"largest_{k}"] for k in range(nev)])
    with_h5 = stem + ".h5"
    if os.path.exists(with_h5):
        import h5py

        with h5py.File(with_h5, "r") as f:
            run["method"] = f.attrs["method"].decode() if isinstance(f.attrs["method"], bytes) else str(f.attrs["method"])
            for k in ("final_train_loss", "final_validation_loss"):
                run[k] = float(f[k][0]) if k in f else math.nan
            if "final_train_loss" not in f:  # msopt restore: the TV loss at the last evaluation
                run["final_train_loss"] = float(run["train"][-1])
            if "prediction_train" in f:
                run["x"], run["y"], run["f"] = f["x_train"][:], f["y_train"][:], f["prediction_train"][:]
    return run


def rate_of(run):
    """The rate in a method text such as "gd, rate 0.06" (restore appends the noise seed and image size)."""
    found = re.search(r"rate ([-+0-9.eE]+)", run.get("method", ""))
    return float(found.group(1)) if found else math.nan


def eig_panel(ax, run):
    nev = run["smallest"].shape[1]
    colors = plt.cm.tab10(np.arange(nev) % 10)
    for k in range(nev):
        ax.plot(run["eig_epoch"], run["smallest"][:, k], "-", color=colors[k], lw=1, label=f"{k}")
        ax.plot(run["eig_epoch"], run["largest"][:, k], "--", color=colors[k], lw=1)
    for y in (-1, 1):
        ax.axhline(y, color="k", lw=0.6)
    for b in run["boundaries"]:
        ax.axvline(b, color="0.5", ls=":", lw=0.8)
    ax.set_title(f"{NAMES[run['model']]} ($\\eta$ = {rate_of(run):g}): eigenvalues of I - $\\eta$H", fontsize=9)
    ax.set_xlabel("epoch" + (" (grades 1-%d)" % run["grades"] if run["grades"] > 1 else ""))
    ax.legend(title="index", fontsize=6, title_fontsize=6, loc="upper left", bbox_to_anchor=(1.0, 1.0))


def loss_panel(ax, run):
    ax.semilogy(run["loss_epoch"], run["train"], lw=0.8, label="training")
    if np.isfinite(run["validation"]).any():
        ax.semilogy(run["loss_epoch"], run["validation"], lw=0.8, alpha=0.7, label="validation")
    for b in run["boundaries"]:
        ax.axvline(b, color="0.5", ls=":", lw=0.8)
    ax.set_title(f"{NAMES[run['model']]}: loss", fontsize=9)
    ax.set_xlabel("epoch")
    ax.legend(fontsize=7)


def training_figure(runs, png, title):
    fig, axes = plt.subplots(2, len(runs), figsize=(5.5 * len(runs), 7), squeeze=False)
    for j, run in enumerate(runs):
        if "smallest" in run:
            eig_panel(axes[0, j], run)
        loss_panel(axes[1, j], run)
    fig.suptitle(title, fontsize=10)
    fig.tight_layout()
    fig.savefig(png, dpi=110)
    plt.close(fig)
    print(f"wrote {png}")


def prediction_figure(runs, png, title):
    runs = [r for r in runs if "f" in r]
    if not runs:
        return
    fig, axes = plt.subplots(1, len(runs), figsize=(4.5 * len(runs), 3.4), squeeze=False)
    for ax, run in zip(axes[0], runs):
        order = np.argsort(run["x"])
        ax.plot(run["x"][order], run["y"][order], "k-", lw=1.2, label="target g")
        ax.plot(run["x"][order], run["f"][order], "r--", lw=1, label="prediction")
        ax.set_title(f"{NAMES[run['model']]} ($\\eta$ = {rate_of(run):g}): validation loss "
                     f"{run['final_validation_loss']:.2e}", fontsize=9)
        ax.set_xlabel("x")
        ax.legend(fontsize=7)
    fig.suptitle(title, fontsize=10)
    fig.tight_layout()
    fig.savefig(png, dpi=110)
    plt.close(fig)
    print(f"wrote {png}")


def summary(runs, path):
    cols = ["model", "rate", "epochs", "final_train_loss", "final_validation_loss", "min_eigenvalue",
            "max_eigenvalue", "eig_evaluations", "evaluations_with_eig_le_-1", "eigenvalues_le_-1",
            "grades_with_eig_le_-1"]
    with open(path, "w", newline="") as out:
        w = csv.writer(out)
        w.writerow(cols)
        for r in runs:
            s = r.get("smallest", np.full((0, 1), np.nan))
            l = r.get("largest", np.full((0, 1), np.nan))
            below = (s <= -1).any(axis=1)
            grades = sorted(set(r["eig_grade"][below])) if s.size else []
            w.writerow([r["model"], rate_of(r), r["epochs"], r.get("final_train_loss", math.nan),
                        r.get("final_validation_loss", math.nan), s.min() if s.size else math.nan,
                        l.max() if l.size else math.nan, len(s), int(below.sum()),
                        int((s <= -1).sum()), ";".join(str(g) for g in grades)])
    print(f"wrote {path}")


def main(run_dir, setting, prefix):
    runs = {m: load(run_dir, m) for m in NAMES}
    runs = {m: r for m, r in runs.items() if r is not None}
    if not runs:
        sys.exit(f"plot_mgdl_eigenvalues.py: no <model>.csv results in {run_dir}")
    os.makedirs(os.path.dirname(prefix) or ".", exist_ok=True)
    for pair, name in ((("sgdl", "mgdl"), "eig"), (("msdl", "mgdl"), "msdl")):
        if all(m in runs for m in pair):
            figure = {"1": "Figure 2", "2": "Figure 16"}.get(setting, "Figures 3/18")
            if setting.startswith("denoise"):
                figure = "Figures 21-24"
            if name == "msdl":
                figure = "Figure 25" if setting == "1" else "Figure 26"
            training_figure([runs[m] for m in pair], f"{prefix}_{name}_setting{setting}.png",
                            f"{figure} (MGDL paper), {'Setting ' if setting in ('1', '2') else ''}{setting}")
    prediction_figure(list(runs.values()), f"{prefix}_predictions_setting{setting}.png",
                      f"Predictions (Figures 17 / 27 of the MGDL paper), Setting {setting}")
    summary(list(runs.values()), f"{prefix}_summary_setting{setting}.csv")


if __name__ == "__main__":
    if len(sys.argv) != 4:
        sys.exit(__doc__)
    main(*sys.argv[1:])
