"""Table and figures of scripts/image_restoration.sh (MGDL paper, Section 4, Tables 2/3).

usage: plot_restoration.py DIR SCALE
DIR holds <image>_<task><level>_<mgdl|sgdl>.h5 from msopt restore -restore_out and times.csv.
Writes restoration_psnr.csv, one row per image and task: PSNR of the observed
(noisy or blurred) input, of SGDL and of MGDL, and the paper's SGDL and MGDL
values for the paper image ours stands in for (STAND_IN; the paper reports no
Cameraman restoration), and prints it; restoration_<image>_<task><level>.png
(clean, observed, MGDL, SGDL; PSNR over training).
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


# scikit-image's gray test images standing in for the paper's (none of which Debian ships), by kind:
# Butterfly (edges and texture) -> brick, Pirate (natural detail) -> grass, Chest (smooth X-ray) -> moon
# (512 x 512 like the paper's, unlike coins or cell, whose sides share no divisor for -data_downsample).
STAND_IN = {"brick": 0, "grass": 1, "moon": 2}
PAPER_IMAGES = ("Butterfly", "Pirate", "Chest")


def psnr(truth, estimate):
    return -10 * np.log10(np.mean((np.asarray(truth) - np.asarray(estimate)) ** 2))


def main(d, scale):
    if not os.path.exists(os.path.join(d, "times.csv")):
        sys.exit(f"plot_restoration: no finished run in {d} (times.csv)")
    times = dict(line.strip().split(",") for line in open(os.path.join(d, "times.csv")) if line.strip())
    runs = {}
    for path in sorted(glob.glob(os.path.join(d, "*_[ms]gdl.h5"))):
        m = re.match(r"(\w+)_(denoise|deblur)(\d+)_(mgdl|sgdl)\.h5$", os.path.basename(path))
        if m:
            runs.setdefault((m.group(1), m.group(2), int(m.group(3))), {})[m.group(4)] = h5py.File(path, "r")
    rows = []
    for (image, task, level), models in sorted(runs.items(), key=lambda kv: (kv[0][0], kv[0][1] == "deblur", kv[0][2])):
        row = {"image": image, "task": task, "level": level, "scale": scale,
               "size": "x".join(str(int(v)) for v in next(iter(models.values()))["image_shape"][:]),
               "observed_PSNR": round(float(next(iter(models.values()))["observed_psnr"][0]), 2)}
        for model in ("sgdl", "mgdl"):
            f = models.get(model)
            final = float(f["final_psnr"][0]) if f else np.nan
            if f:  # The stored PSNR, checked against the stored images.
                assert abs(psnr(f["clean"][:], f["reconstruction"][:]) - final) < 1e-8
            grades = int(f.attrs["finished"][0]) if f else 0
            row[f"{model.upper()}_PSNR"] = round(final, 2)
            row[f"{model.upper()}_epochs"] = sum(len(f[f"grade{l + 1}_train_loss"][:]) for l in range(grades))
            row[f"{model.upper()}_seconds"] = round(float(times.get(f"{image}_{task}{level}_{model}", "nan")), 1)
        row["MGDL_grade_PSNR"] = " ".join(f"{float(models['mgdl'][f'grade{l + 1}_final_psnr'][0]):.2f}"
                                          for l in range(int(models["mgdl"].attrs["finished"][0]))) if "mgdl" in models else ""
        k = STAND_IN.get(image)
        paper = PAPER.get((task, level), {})
        row["paper_image"] = PAPER_IMAGES[k] if k is not None else "-"
        row["paper_SGDL"] = paper["sgdl"][k] if k is not None and paper else np.nan
        row["paper_MGDL"] = paper["mgdl"][k] if k is not None and paper else np.nan
        rows.append(row)
    with open(os.path.join(d, "restoration_psnr.csv"), "w", newline="") as out:
        w = csv.DictWriter(out, fieldnames=list(rows[0].keys()))
        w.writeheader()
        w.writerows(rows)
    print(f"{'image':8s} {'task':8s} {'level':>5s} {'size':>7s} {'noisy':>6s} {'SGDL':>6s} {'MGDL':>6s}"
          "   paper (image: SGDL MGDL)   MGDL grades   seconds SGDL/MGDL")
    for r in rows:
        print("{image:8s} {task:8s} {level:5d} {size:>7s} {observed_PSNR:6.2f} {SGDL_PSNR:6.2f} {MGDL_PSNR:6.2f}"
              "   {paper_image:>9s}: {paper_SGDL:5} {paper_MGDL:5}   {MGDL_grade_PSNR}   {SGDL_seconds}/{MGDL_seconds}"
              .format(**r))

    for (image, task, level), models in sorted(runs.items()):
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
            a.set_title(f"{model.upper()}, {image} {task} {'sigma' if task == 'denoise' else 'sigma-hat'} = {level}")
            a.legend(fontsize=8)
            a.grid(alpha=0.3)
        fig.tight_layout()
        fig.savefig(os.path.join(d, f"restoration_{image}_{task}{level}.png"), dpi=110)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2] if len(sys.argv) > 2 else "")
