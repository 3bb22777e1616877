"""Figure 1 of the MGDL paper from `msopt mgdl` results: the final training
and validation loss against the learning rate for SGDL and MGDL; diverged
runs (no finite final loss) are marked NaN at the top. Writes the plot and a
CSV table beside it. Usage: /usr/bin/python3 scripts/plot_mgdl_lr_sweep.py RUN_DIR OUT.png"""
import glob
import math
import os
import re
import sys

import h5py
import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402


def final_losses(path):
    with h5py.File(path, "r") as f:
        train = f["final_train_loss"][0] if "final_train_loss" in f else math.nan
        valid = f["final_validation_loss"][0] if "final_validation_loss" in f else math.nan
    return train, valid


def collect(run_dir, model):
    rows = []
    for path in glob.glob(os.path.join(run_dir, f"{model}_lr*.h5")):
        rate = float(re.search(r"_lr([0-9.eE+-]+)\.h5$", path).group(1))
        rows.append((rate, *final_losses(path)))
    return sorted(rows)


def main(run_dir, png):
    fig, ax = plt.subplots(figsize=(6, 4))
    table = ["model,rate,final_train_loss,final_validation_loss"]
    finite = [1.0]
    for model, color in (("sgdl", "tab:red"), ("mgdl", "tab:blue")):
        rows = collect(run_dir, model)
        table += [f"{model},{r},{t},{v}" for r, t, v in rows]
        ok = [(r, t, v) for r, t, v in rows if math.isfinite(t)]
        finite += [t for _, t, _ in ok] + [v for _, _, v in ok if math.isfinite(v)]
        ax.plot([r for r, _, _ in ok], [t for _, t, _ in ok], "o-", color=color, label=f"{model.upper()} train")
        ax.plot([r for r, _, _ in ok], [v for _, _, v in ok], "s--", color=color, alpha=0.6,
                label=f"{model.upper()} validation")
        nan = [r for r, t, _ in rows if not math.isfinite(t)]
        if nan:
            top = max(finite) * 3
            ax.plot(nan, [top] * len(nan), "x", color=color, markersize=10, label=f"{model.upper()} NaN")
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xlabel("learning rate")
    ax.set_ylabel("final loss")
    ax.set_title(os.path.basename(os.path.normpath(run_dir)).replace("_", " "))
    ax.legend(fontsize=8)
    fig.tight_layout()
    fig.savefig(png, dpi=120)
    with open(os.path.splitext(png)[0] + ".csv", "w") as out:
        out.write("\n".join(table) + "\n")
    print(f"wrote {png}")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
