#!/usr/bin/python3
"""PyTorch reference for bench_mgdl_grade: epochs of MGDL grade-4 training (gradient + Adam step).

    OPENBLAS_NUM_THREADS=T OMP_NUM_THREADS=T /usr/bin/python3 bench/torch_mgdl_grade.py \
        FEATURES.h5 CHECK.h5 THREADS [reps]

FEATURES.h5 is what `bench_mgdl_grade -features` wrote (an msopt dataset:
/X [N][128] the frozen features of grades 1-3, /y [N] the residuals); CHECK.h5
what `bench_mgdl_grade -out` wrote: /parameters, grade 4's start in msopt's
layout (per layer W_l row-major widths[l+1] x widths[l], then b_l), /losses
(msopt's loss at every epoch, warm-up first), the attributes widths and lr.
The network is rebuilt in float64 with torch.set_num_threads(THREADS) (run
with the same OPENBLAS/OMP thread counts: torch's float64 matmul calls
OpenBLAS) and trained like msopt: one warm-up epoch, then `reps` timed
epochs, each = forward, 0.5 mean squared error, backward (the inputs need no
gradient), torch.optim.Adam step (lr from CHECK.h5, betas 0.9/0.999, eps 1e-8,
the same update as msopt's Adam). Prints the relative differences to msopt's
losses (first epoch: same parameters; later epochs: after the same Adam
steps), a TIMES line (every timed epoch) and a RESULT line that bench/run_mgdl_grade_bench.sh parses.
"""
import sys
import time

import h5py
import numpy as np
import torch
import blas_info
from msopt_layers import gradient_flops, relu_mlp, split_layers


def main():
    if len(sys.argv) < 4:
        sys.exit(__doc__)
    features_path, check_path, threads = sys.argv[1], sys.argv[2], int(sys.argv[3])
    reps = int(sys.argv[4]) if len(sys.argv) > 4 else 20
    torch.set_num_threads(threads)

    with h5py.File(features_path, "r") as f:
        X = torch.from_numpy(np.ascontiguousarray(f["X"][...], dtype=np.float64))
        y = torch.from_numpy(np.ascontiguousarray(f["y"][...], dtype=np.float64))
    with h5py.File(check_path, "r") as f:
        theta = f["parameters"][...]
        losses_ref = f["losses"][...]
        widths = [int(w) for w in f.attrs["widths"]]
        lr = float(f.attrs["lr"][0])
    assert X.shape[1] == widths[0] and widths[-1] == 1, f"features {tuple(X.shape)}, widths {widths}"

    params = [p.requires_grad_(True) for p in split_layers(theta, widths)]
    opt = torch.optim.Adam(params, lr=lr, betas=(0.9, 0.999), eps=1e-8)

    def loss_fn():
        a = relu_mlp(X, params)
        return 0.5 * torch.mean((a[:, 0] - y) ** 2)

    losses, t_epoch, t_grad, t_step = [], [], [], []

    def epoch():
        t0 = time.perf_counter()
        opt.zero_grad(set_to_none=True)
        loss = loss_fn()
        loss.backward()
        t1 = time.perf_counter()
        opt.step()
        t2 = time.perf_counter()
        losses.append(float(loss))
        return t2 - t0, t1 - t0, t2 - t1

    epoch()  # warm-up (epoch 1)
    for _ in range(reps):
        te, tg, ts = epoch()
        t_epoch.append(te)
        t_grad.append(tg)
        t_step.append(ts)

    n = min(len(losses), len(losses_ref))
    rel = np.abs(np.array(losses[:n]) - losses_ref[:n]) / np.abs(losses_ref[:n])
    loss_rel, max_rel = float(rel[0]), float(rel.max())
    med = lambda t: float(np.median(t))
    arch = "-".join(map(str, widths))
    kernel, dgemm, dgemm_best = blas_info.report(threads, torch.mm, torch.from_numpy)
    gflop = gradient_flops(widths, X.shape[0]) * 1e-9
    frac, frac_best = gflop / med(t_epoch) / dgemm, gflop / min(t_epoch) / dgemm_best
    print(f"torch_mgdl_grade (torch {torch.__version__}, float64): grade network {arch} relu least squares, "
          f"N={X.shape[0]} threads={torch.get_num_threads()} reps={reps} adam lr {lr:g}")
    print(f"  loss epoch 1 {losses[0]:.17g}  msopt {losses_ref[0]:.17g}  rel diff {loss_rel:.2e}")
    print(f"  loss rel diff to msopt, max over the {n} epochs (after identical Adam steps): {max_rel:.2e}")
    print(f"  torch BLAS_INFO={torch.__config__.show().split('BLAS_INFO=')[-1].split(',')[0]}")
    print(f"  epoch         median {med(t_epoch):.5f} s  min {min(t_epoch):.5f} s"
          f"  ({100 * frac:.1f}% of DGEMM's rate, best/best {100 * frac_best:.1f}%)")
    print(f"    gradient    median {med(t_grad):.5f} s  min {min(t_grad):.5f} s")
    print(f"    adam step   median {med(t_step):.5f} s  min {min(t_step):.5f} s")
    lst = lambda t: ",".join(f"{x:.6f}" for x in t)
    print(f"TIMES epoch={lst(t_epoch)} grad={lst(t_grad)} step={lst(t_step)}")
    print(f"RESULT impl=torch threads={threads} epoch_median_s={med(t_epoch):.6f} epoch_min_s={min(t_epoch):.6f}"
          f" grad_median_s={med(t_grad):.6f} grad_min_s={min(t_grad):.6f} step_median_s={med(t_step):.6f}"
          f" step_min_s={min(t_step):.6f} loss={losses[0]:.17g} loss_rel={loss_rel:.3e} max_loss_rel={max_rel:.3e}"
          f" kernel={kernel} dgemm_gflops={dgemm:.3f} frac_dgemm={frac:.4f} frac_dgemm_best={frac_best:.4f}")


if __name__ == "__main__":
    main()
