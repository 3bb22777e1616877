"""Table and figures of scripts/cameraman_regression.sh (MGDL paper, Section 4).

usage: plot_cameraman.py DIR SCALE
DIR holds mgdl.h5, sgdl.h5 (msopt mgdl -mgdl_out with -mgdl_test, -mgdl_predictions),
camera_test.h5 and times.csv. Writes cameraman_psnr.csv, cameraman_reconstructions.png
and cameraman_psnr_training.png. PSNR (eq. (34)) on [0, 1] targets is -10 log10(MSE);
the loss of msopt mgdl is 0.5 MSE, so PSNR over training is -10 log10(2 loss).
"""
import csv
import os
import sys

import h5py
import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import numpy as np

PAPER = {"mgdl": (31.80, 25.21), "sgdl": (27.05, 24.79)}  # Table 1, Cameraman: TrPSNR, TePSNR


def psnr(truth, estimate):
    return -10 * np.log10(np.mean((np.asarray(truth) - np.asarray(estimate)) ** 2))


def main(d, scale):
    times = dict(line.strip().split(",") for line in open(os.path.join(d, "times.csv")) if line.strip())
    test = h5py.File(os.path.join(d, "camera_test.h5"), "r")
    shape = tuple(int(v) for v in test.attrs["image_shape"])
    runs = {m: h5py.File(os.path.join(d, f"{m}.h5"), "r") for m in ("mgdl", "sgdl") if os.path.exists(os.path.join(d, f"{m}.h5"))}
    rows = []
    for m, f in runs.items():
        value = lambda k: float(f[k][0]) if k in f else float("nan")
        # The stored PSNR, checked against the stored predictions.
        if "prediction_test" in f:
            assert abs(psnr(f["y_test"][:], f["prediction_test"][:]) - value("final_test_psnr")) < 1e-8
        rows.append({"method": m.upper(), "scale": scale, "image": "x".join(map(str, shape)),
                     "grades": int(f.attrs["finished"][0]),
                     "epochs": sum(len(f[f"grade{l + 1}_train_loss"][:]) for l in range(int(f.attrs["finished"][0]))),
                     "TrPSNR": round(value("final_train_psnr"), 2), "VaPSNR": round(value("final_validation_psnr"), 2),
                     "TePSNR": round(value("final_test_psnr"), 2), "paper_TrPSNR": PAPER[m][0], "paper_TePSNR": PAPER[m][1],
                     "wall_seconds": round(float(times.get(m, "nan")), 1)})
    with open(os.path.join(d, "cameraman_psnr.csv"), "w", newline="") as out:
        w = csv.DictWriter(out, fieldnames=list(rows[0].keys()))
        w.writeheader()
        w.writerows(rows)
    for r in rows:
        print("  {method}: TrPSNR {TrPSNR:.2f} (paper {paper_TrPSNR}), TePSNR {TePSNR:.2f} (paper {paper_TePSNR}) dB, "
              "{epochs} epochs, {wall_seconds} s".format(**r))

    fig, ax = plt.subplots(1, 1 + len(runs), figsize=(4 * (1 + len(runs)), 4.6))
    ax[0].imshow(test["y"][:].reshape(shape), cmap="gray", vmin=0, vmax=1)
    ax[0].set_title("Cameraman (test: all pixels)")
    for a, (m, f) in zip(ax[1:], runs.items()):
        if "prediction_test" in f:
            a.imshow(np.clip(f["prediction_test"][:].reshape(shape), 0, 1), cmap="gray", vmin=0, vmax=1)
        a.set_title(f"{m.upper()}: TePSNR {float(f['final_test_psnr'][0]):.2f} dB")
    for a in ax:
        a.axis("off")
    fig.tight_layout()
    fig.savefig(os.path.join(d, "cameraman_reconstructions.png"), dpi=120)

    fig, ax = plt.subplots(1, len(runs), figsize=(6 * len(runs), 4), squeeze=False)
    for a, (m, f) in zip(ax[0], runs.items()):
        start = 0
        for l in range(int(f.attrs["finished"][0])):
            tr = np.asarray(f[f"grade{l + 1}_train_loss"][:])
            va = np.asarray(f[f"grade{l + 1}_validation_loss"][:])
            x = start + np.arange(1, len(tr) + 1)
            a.plot(x, -10 * np.log10(2 * tr), color="C0", lw=0.8, label="TrPSNR" if l == 0 else None)
            if len(va):
                a.plot(x[: len(va)], -10 * np.log10(2 * va), color="C1", lw=0.8, label="VaPSNR" if l == 0 else None)
            if l:
                a.axvline(start, color="gray", ls=":", lw=0.8)
            start += len(tr)
        a.set_title(f"{m.upper()} ({'grades separated by dotted lines' if m == 'mgdl' else 'one deep grade'})")
        a.set_xlabel("epoch (cumulative over grades)")
        a.set_ylabel("PSNR of the summed model (dB)")
        a.legend()
        a.grid(alpha=0.3)
    fig.tight_layout()
    fig.savefig(os.path.join(d, "cameraman_psnr_training.png"), dpi=120)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2] if len(sys.argv) > 2 else "")
