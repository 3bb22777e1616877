#!/usr/bin/python3
"""PyTorch reference for bench_mlp_gradient: full-batch loss+gradient and H v of the same MLP.

    OPENBLAS_NUM_THREADS=T OMP_NUM_THREADS=T /usr/bin/python3 bench/torch_mlp_gradient.py \
        DATA.h5 CHECK.h5 THREADS [reps [hv_reps]]

DATA.h5 is an msopt dataset (/X [N][d], /y [N]); CHECK.h5 is what
`bench_mlp_gradient -out` wrote: /parameters in msopt's layout (per layer
W_l row-major widths[l+1] x widths[l], then b_l), /v, /gradient, /hv, the
attributes loss and widths. The network is rebuilt in float64 with
torch.set_num_threads(THREADS) (run with the same OPENBLAS/OMP thread counts:
torch's float64 matmul calls OpenBLAS). Timed, after one warm-up each and
interleaved like the C++ benchmark: one forward+backward of the mean
cross-entropy (torch.autograd.grad w.r.t. the parameters; the inputs need no
gradient), and H v by double backward (grad with create_graph, then grad of
<g, v>). Prints the relative differences to msopt's loss, gradient and H v,
and a RESULT line that bench/run_mlp_softmax_bench.sh parses.
"""
import sys
import time

import h5py
import numpy as np
import torch
import torch.nn.functional as F
import blas_info
from msopt_layers import gradient_flops, relu_mlp, split_layers


def main():
    if len(sys.argv) < 4:
        sys.exit(__doc__)
    data_path, check_path, threads = sys.argv[1], sys.argv[2], int(sys.argv[3])
    reps = int(sys.argv[4]) if len(sys.argv) > 4 else 5
    hv_reps = int(sys.argv[5]) if len(sys.argv) > 5 else 3
    torch.set_num_threads(threads)

    with h5py.File(data_path, "r") as f:
        X = torch.from_numpy(np.ascontiguousarray(f["X"][...], dtype=np.float64))
        y = torch.from_numpy(f["y"][...].astype(np.int64))
    with h5py.File(check_path, "r") as f:
        theta = f["parameters"][...]
        v_flat = f["v"][...]
        g_ref = f["gradient"][...]
        hv_ref = f["hv"][...]
        loss_ref = float(f.attrs["loss"][0])
        widths = [int(w) for w in f.attrs["widths"]]

    params = [p.requires_grad_(True) for p in split_layers(theta, widths)]
    vs = split_layers(v_flat, widths)

    def loss_fn():
        a = relu_mlp(X, params)
        return F.cross_entropy(a, y)  # mean over the N samples

    def gradient():
        loss = loss_fn()
        return loss, torch.autograd.grad(loss, params)

    def hessian_vector():
        g = torch.autograd.grad(loss_fn(), params, create_graph=True)
        return torch.autograd.grad(g, params, grad_outputs=vs)

    def timed(f):
        t0 = time.perf_counter()
        r = f()
        return time.perf_counter() - t0, r

    gradient()  # warm-up
    hessian_vector()
    t_grad, t_hv = [], []
    for r in range(max(reps, hv_reps)):
        if r < reps:
            dt, (loss, grads) = timed(gradient)
            t_grad.append(dt)
        if r < hv_reps:
            dt, hvs = timed(hessian_vector)
            t_hv.append(dt)

    flat = lambda ts: torch.cat([t.reshape(-1) for t in ts]).detach().numpy()
    g, hv = flat(grads), flat(hvs)
    loss = float(loss)
    rel = lambda a, b: float(np.linalg.norm(a - b) / np.linalg.norm(b))
    loss_rel, g_rel, hv_rel = abs(loss - loss_ref) / abs(loss_ref), rel(g, g_ref), rel(hv, hv_ref)
    gm, gmin = float(np.median(t_grad)), float(np.min(t_grad))
    hm, hmin = float(np.median(t_hv)), float(np.min(t_hv))
    arch = "-".join(map(str, widths))
    kernel, dgemm, dgemm_best = blas_info.report(threads, torch.mm, torch.from_numpy)
    gflop = gradient_flops(widths, X.shape[0]) * 1e-9
    frac, frac_best = gflop / gm / dgemm, gflop / gmin / dgemm_best
    print(f"torch_mlp_gradient (torch {torch.__version__}, float64): MLP {arch} relu cross-entropy, "
          f"N={X.shape[0]} threads={torch.get_num_threads()} reps={reps} hv_reps={hv_reps}")
    print(f"  loss {loss:.17g}  msopt {loss_ref:.17g}  rel diff {loss_rel:.2e}")
    print(f"  rel diff to msopt: gradient {g_rel:.2e}  H v {hv_rel:.2e} (2-norm)")
    print(f"  torch BLAS_INFO={torch.__config__.show().split('BLAS_INFO=')[-1].split(',')[0]}")
    print(f"  gradient      median {gm:.4f} s  min {gmin:.4f} s"
          f"  ({100 * frac:.1f}% of DGEMM's rate, best/best {100 * frac_best:.1f}%)")
    print(f"  H v (double backward) median {hm:.4f} s  min {hmin:.4f} s  = {hm / gm:.2f} x gradient")
    print(f"RESULT impl=torch threads={threads} grad_median_s={gm:.6f} grad_min_s={gmin:.6f} hv_median_s={hm:.6f}"
          f" hv_min_s={hmin:.6f} hv_ratio={hm / gm:.4f} loss={loss:.17g} loss_rel={loss_rel:.3e}"
          f" grad_rel={g_rel:.3e} hv_rel={hv_rel:.3e} kernel={kernel} dgemm_gflops={dgemm:.3f} frac_dgemm={frac:.4f}"
          f" frac_dgemm_best={frac_best:.4f}")


if __name__ == "__main__":
    main()
