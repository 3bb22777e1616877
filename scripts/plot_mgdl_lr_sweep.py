"""Figures 1 and 28 of the MGDL paper (Sections 5 and 7) from `msopt mgdl` results: the final
training loss against the learning rate on log axes for SGDL, MGDL and MSDL
(validation loss dashed; triangles: the last iterate's training loss, as the
final model keeps each grade's best-validation iterate), diverged runs (no
finite loss) marked NaN along the top. Writes OUT.png, OUT.csv (one row per run) and OUT_intervals.csv: for each
model and threshold, the widest run of consecutive swept rates whose final
training loss is below the threshold (the paper: loss < 1e-3 for eta in
[0.03, 0.08] with SGDL, [0.01, 0.3] with MGDL, Setting 1).

  /usr/bin/python3 scripts/plot_mgdl_lr_sweep.py RUN_DIR OUT.png [--thresholds 1e-3,1e-2]
  /usr/bin/python3 scripts/plot_mgdl_lr_sweep.py --intervals TABLE.csv [--thresholds ...]

RUN_DIR holds <model>_lr<rate>.h5 (scripts/mgdl_lr_sweep.sh). The second form
prints the intervals of a table with columns model,rate,final_train_loss
(OUT.csv or a hand-made one)."""
import argparse
import csv
import glob
import math
import os
import re

MODELS = (("sgdl", "tab:red"), ("mgdl", "tab:blue"), ("msdl", "tab:green"))
COLUMNS = ["model", "rate", "final_train_loss", "final_validation_loss", "last_train_loss", "diverged", "epochs"]


def read_run(path):
    """The final model's losses, the last recorded training loss, the divergence flag and the
    epochs of grade 1 of one result."""
    import h5py

    nan = math.nan
    with h5py.File(path, "r") as f:
        train = float(f["final_train_loss"][0]) if "final_train_loss" in f else nan
        valid = float(f["final_validation_loss"][0]) if "final_validation_loss" in f else nan
        grades = int(f.attrs["finished"][0])
        last = f[f"grade{grades}_train_loss"][:] if grades else []
        epochs = len(f["grade1_train_loss"]) if grades else 0
        diverged = any(f.attrs.get(f"grade{l}_diverged", [0])[0] for l in range(1, grades + 1))
    last_loss = float(last[-1]) if len(last) else nan
    if diverged or not math.isfinite(train):
        train = valid = last_loss = nan
    return train, valid, last_loss, int(diverged or not math.isfinite(train)), epochs


def collect(run_dir):
    rows = []
    for model, _ in MODELS:
        for path in glob.glob(os.path.join(run_dir, f"{model}_lr*.h5")):
            rate = float(re.search(r"_lr([0-9.eE+-]+)\.h5$", path).group(1))
            rows.append(dict(zip(COLUMNS, (model, rate, *read_run(path)))))
    return sorted(rows, key=lambda r: (r["model"], r["rate"]))


def loss_interval(rates, losses, threshold):
    """(low, high, count): the widest (in log rate) run of consecutive sorted rates with a
    finite loss below threshold; (nan, nan, 0) if there is none."""
    best, start = (math.nan, math.nan, 0), None
    pairs = sorted(zip(rates, losses)) + [(math.inf, math.nan)]
    for i, (rate, loss) in enumerate(pairs):
        below = math.isfinite(loss) and loss < threshold
        if below and start is None:
            start = i
        elif not below and start is not None:
            lo, hi, n = pairs[start][0], pairs[i - 1][0], i - start
            if best[2] == 0 or (hi / lo, n) > (best[1] / best[0], best[2]):
                best = (lo, hi, n)
            start = None
    return best


def intervals(rows, thresholds):
    out = []
    for model, _ in MODELS:
        mine = [r for r in rows if r["model"] == model]
        if not mine:
            continue
        for t in thresholds:
            lo, hi, n = loss_interval([r["rate"] for r in mine], [r["final_train_loss"] for r in mine], t)
            decades = math.log10(hi / lo) if n else math.nan
            out.append(dict(model=model, threshold=t, low=lo, high=hi, decades=decades, rates_in_interval=n,
                            rates_swept=len(mine), diverged=sum(r["diverged"] for r in mine)))
    return out


def describe(iv):
    span = (f"for eta in [{iv['low']:g}, {iv['high']:g}] ({iv['decades']:.2f} decades, "
            f"{iv['rates_in_interval']} rates)") if iv["rates_in_interval"] else "at no swept rate"
    return (f"{iv['model'].upper()}: final train loss < {iv['threshold']:g} {span}; "
            f"{iv['diverged']} of {iv['rates_swept']} rates diverged")


def write_csv(path, rows, columns):
    with open(path, "w", newline="") as out:
        w = csv.DictWriter(out, fieldnames=columns)
        w.writeheader()
        w.writerows(rows)


def plot(rows, ivs, png, title):
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(6, 4))
    ax.set_xscale("log")
    ax.set_yscale("log")
    finite = [r[k] for r in rows for k in ("final_train_loss", "final_validation_loss", "last_train_loss")
              if math.isfinite(r[k])]
    top = max(finite + [1.0]) * 4
    for m, (model, color) in enumerate(MODELS):
        mine = [r for r in rows if r["model"] == model]
        if not mine:  # a model left out of the sweep gets no legend entry
            continue
        ok = [r for r in mine if not r["diverged"]]
        name = model.upper()
        ax.plot([r["rate"] for r in ok], [r["final_train_loss"] for r in ok], "o-", color=color, label=f"{name} train")
        ax.plot([r["rate"] for r in ok], [r["final_validation_loss"] for r in ok], "s--", color=color, alpha=0.5,
                markersize=4, label=f"{name} validation")
        ax.plot([r["rate"] for r in ok], [r["last_train_loss"] for r in ok], "v", color=color, alpha=0.5,
                markersize=4, label=f"{name} train, last iterate")
        nan = [r["rate"] for r in mine if r["diverged"]]
        if nan:
            ax.plot(nan, [top * 1.5 ** m] * len(nan), "x", color=color, markersize=10, mew=2,
                    label=f"{name} NaN (diverged)")
    if any(r["diverged"] for r in rows):  # the NaN band above every finite loss
        ax.axhline(top / 1.25, color="0.6", lw=0.5)
        ax.text(0.01, top * 1.2, "NaN", fontsize=8, va="center", transform=ax.get_yaxis_transform())
        ax.set_ylim(top=top * 2.5)  # after the log scale: no autoscaled bottom at 0
    t = ivs[0]["threshold"] if ivs else None
    if t is not None and math.isfinite(t):
        ax.axhline(t, color="k", ls=":", lw=1)
        ax.set_ylim(bottom=min(ax.get_ylim()[0], t / 2))
        for iv in ivs:
            if iv["threshold"] == t and iv["rates_in_interval"]:
                color = dict(MODELS)[iv["model"]]
                ax.axvspan(iv["low"], iv["high"], color=color, alpha=0.08)
    ax.set_xlabel("learning rate $\\eta$")
    ax.set_ylabel("final loss")
    ax.set_title(title, fontsize=10)
    ax.legend(fontsize=7)
    fig.tight_layout()
    fig.savefig(png, dpi=120)


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("run_dir", nargs="?")
    p.add_argument("png", nargs="?")
    p.add_argument("--intervals", metavar="TABLE.csv", help="only print the intervals of this table")
    p.add_argument("--thresholds", default="1e-3,1e-2", help="comma-separated loss thresholds (first one shaded)")
    a = p.parse_args()
    thresholds = [float(t) for t in a.thresholds.split(",")]
    if a.intervals:
        with open(a.intervals) as f:
            rows = [dict(model=r["model"], rate=float(r["rate"]), final_train_loss=float(r["final_train_loss"]),
                         diverged=int(not math.isfinite(float(r["final_train_loss"])))) for r in csv.DictReader(f)]
    else:
        if not a.run_dir or not a.png:
            p.error("give RUN_DIR OUT.png, or --intervals TABLE.csv")
        rows = collect(a.run_dir)
        if not rows:
            p.error(f"no <model>_lr<rate>.h5 results in {a.run_dir}")
    ivs = intervals(rows, thresholds)
    for iv in ivs:
        print(describe(iv))
    if a.intervals:
        return
    stem = os.path.splitext(a.png)[0]
    write_csv(stem + ".csv", rows, COLUMNS)
    write_csv(stem + "_intervals.csv", ivs, list(ivs[0].keys()))
    name = os.path.basename(os.path.normpath(a.run_dir))
    figure = f"Figures 1/28, setting {re.sub(r'^.*setting', '', name)}" if "setting" in name else f"Figure 15, {name}"
    lengths = sorted({r["epochs"] for r in rows if not r["diverged"]})
    if len(lengths) > 1:
        print(f"warning: {a.run_dir} mixes runs of {lengths} epochs per grade (results of an earlier sweep?)")
    epochs = lengths[-1] if lengths else 0
    plot(rows, ivs, a.png, f"MGDL paper {figure}: GD, {epochs} epochs per grade")
    print(f"wrote {a.png}, {stem}.csv, {stem}_intervals.csv")


if __name__ == "__main__":
    main()
