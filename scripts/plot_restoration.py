"""Table and figures of scripts/image_restoration.sh (MGDL paper, Section 4, Tables 2/3).

usage: plot_restoration.py DIR SCALE
DIR holds <task><level>_<mgdl|sgdl>.h5 from msopt restore -restore_out and times.csv.
Writes restoration_psnr.csv (ours beside the paper's values, which are for the
paper's images Butterfly, Pirate and Chest: it reports no Cameraman restoration)
and restoration_<task><level>.png (clean, observed, MGDL, SGDL; PSNR over training).
"""
import csv
import glob
import os
import re
import sys

import h5py
import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import numpy as np

# Table 2 (denoising, noise sigma) and Table 3 (deblurring, sigma-hat): Butterfly, Pirate, Chest.
PAPER = {
    ("denoise", 10): {"sgdl": (27.53, 25.13, 36.20), "mgdl": (31.67, 29.36, 38.58)},
    ("denoise", 20): {"sgdl": (26.73, 25.02, 35.34), "mgdl": (28.39, 27.74, 36.89)},
    ("denoise", 30): {"sgdl": (26.05, 24.63, 34.30), "mgdl": (27.09, 27.20, 35.48)},
    ("denoise", 40): {"sgdl": (25.54, 24.47, 33.55), "mgdl": (26.37, 26.25, 34.61)},
    ("denoise", 50): {"sgdl": (24.65, 24.01, 33.51), "mgdl": (25.84, 25.77, 33.94)},
    ("denoise", 60): {"sgdl": (24.30, 23.82, 32.90), "mgdl": (25.21, 25.32, 33.06)},
    ("deblur", 3): {"sgdl": (25.43, 24.72, 35.40), "mgdl": (27.06, 26.47, 38.24)},
    ("deblur", 5): {"sgdl": (24.20, 23.79, 34.61), "mgdl": (25.19, 24.95, 36.51)},
    ("deblur", 7): {"sgdl": (22.70, 23.13, 33.69), "mgdl": (23.65, 23.98, 35.14)},
}


def psnr(truth, estimate):
    return -10 * np.log10(np.mean((np.asarray(truth) - np.asarray(estimate)) ** 2))


def main(d, scale):
    times = dict(line.strip().split(",") for line in open(os.path.join(d, "times.csv")) if line.strip())
    runs = {}
    for path in sorted(glob.glob(os.path.join(d, "*_[ms]gdl.h5"))):
        m = re.match(r"(denoise|deblur)(\d+)_(mgdl|sgdl)\.h5$", os.path.basename(path))
        if m:
            runs.setdefault((m.group(1), int(m.group(2))), {})[m.group(3)] = h5py.File(path, "r")
    rows = []
    for (task, level), models in sorted(runs.items()):
        for model in ("sgdl", "mgdl"):
            if model not in models:
                continue
            f = models[model]
            final = float(f["final_psnr"][0])
            # The stored PSNR, checked against the stored images.
            assert abs(psnr(f["clean"][:], f["reconstruction"][:]) - final) < 1e-8
            paper = PAPER.get((task, level), {}).get(model, (np.nan,) * 3)
            grades = int(f.attrs["finished"][0])
            rows.append({"task": task, "level": level, "method": model.upper(), "scale": scale,
                         "image": "x".join(str(int(v)) for v in f["image_shape"][:]),
                         "observed_PSNR": round(float(f["observed_psnr"][0]), 2), "PSNR": round(final, 2),
                         "grade_PSNR": " ".join(f"{float(f[f'grade{l + 1}_final_psnr'][0]):.2f}" for l in range(grades)),
                         "epochs": sum(len(f[f"grade{l + 1}_train_loss"][:]) for l in range(grades)),
                         "wall_seconds": round(float(times.get(f"{task}{level}_{model}", "nan")), 1),
                         "paper_Butterfly": paper[0], "paper_Pirate": paper[1], "paper_Chest": paper[2]})
    with open(os.path.join(d, "restoration_psnr.csv"), "w", newline="") as out:
        w = csv.DictWriter(out, fieldnames=list(rows[0].keys()))
        w.writeheader()
        w.writerows(rows)
    print("task     level method  observed  PSNR   (paper: Butterfly Pirate Chest)")
    for r in rows:
        print("{task:8s} {level:5d} {method:6s} {observed_PSNR:8.2f} {PSNR:6.2f}   ({paper_Butterfly} {paper_Pirate} "
              "{paper_Chest})  grades {grade_PSNR}, {wall_seconds} s".format(**r))

    for (task, level), models in sorted(runs.items()):
        any_f = next(iter(models.values()))
        shape = tuple(int(v) for v in any_f["image_shape"][:])
        fig = plt.figure(figsize=(16, 7.5))
        panels = [("clean", any_f["clean"][:], None), ("observed", any_f["observed"][:], float(any_f["observed_psnr"][0]))]
        for model in ("mgdl", "sgdl"):
            if model in models:
                panels.append((model.upper(), models[model]["reconstruction"][:], float(models[model]["final_psnr"][0])))
        for k, (title, img, p) in enumerate(panels):
            a = fig.add_subplot(2, 4, k + 1)
            a.imshow(np.clip(np.asarray(img).reshape(shape), 0, 1), cmap="gray", vmin=0, vmax=1)
            a.set_title(title + ("" if p is None else f": {p:.2f} dB"))
            a.axis("off")
        for k, model in enumerate(("mgdl", "sgdl")):
            if model not in models:
                continue
            f = models[model]
            a = fig.add_subplot(2, 2, 3 + k)
            start = 0
            for l in range(int(f.attrs["finished"][0])):
                ev = np.asarray(f[f"grade{l + 1}_psnr_evaluations"][:])
                a.plot(start + ev, f[f"grade{l + 1}_psnr"][:], lw=0.8, label=f"grade {l + 1}")
                start += len(f[f"grade{l + 1}_train_loss"][:])
            a.axhline(float(f["observed_psnr"][0]), color="gray", ls=":", lw=0.8, label="observed")
            a.set_xlabel("epoch (cumulative over grades)")
            a.set_ylabel("PSNR vs the clean image (dB)")
            a.set_title(f"{model.upper()}, {task} {'sigma' if task == 'denoise' else 'sigma-hat'} = {level}")
            a.legend(fontsize=8)
            a.grid(alpha=0.3)
        fig.tight_layout()
        fig.savefig(os.path.join(d, f"restoration_{task}{level}.png"), dpi=110)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2] if len(sys.argv) > 2 else "")
