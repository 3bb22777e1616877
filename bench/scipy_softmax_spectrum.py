#!/usr/bin/python3
"""scipy reference for bench_softmax_spectrum: eigsh on a numpy softmax Hessian-vector product.

    OPENBLAS_NUM_THREADS=T /usr/bin/python3 bench/scipy_softmax_spectrum.py DATA.h5 CHECK.h5 [nev [reps]]

DATA.h5 is an msopt dataset (/X [N][d], /y [N]); CHECK.h5 is what
`bench_softmax_spectrum -out` wrote: /parameters (the point, msopt's softmax
layout: W row-major classes x d, then the k biases) and /eigenvalues. The
Hessian at the point, H = (1/N) sum_i x~_i x~_i^T (x) (diag(p_i) - p_i p_i^T),
is a scipy LinearOperator whose matvec does, with the probabilities P (N x k)
computed once at the point: U = X V^T + c, R = P * (U - rowsum(P * U)),
H v = [R^T X / N, colsum(R) / N] -- two dgemm (OpenBLAS, T threads) per
product. eigsh(k=nev, which='LA', tol=1e-12, msopt's SLEPc tolerance) is timed
-reps times after one warm-up product; prints the max relative eigenvalue
difference to msopt's and a RESULT line for bench/run_mlp_softmax_bench.sh.
"""
import os
import sys
import time

import h5py
import numpy as np
import scipy
from scipy.sparse.linalg import LinearOperator, eigsh

import blas_info


def main():
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    data_path, check_path = sys.argv[1], sys.argv[2]
    nev = int(sys.argv[3]) if len(sys.argv) > 3 else 20
    reps = int(sys.argv[4]) if len(sys.argv) > 4 else 3
    with h5py.File(data_path, "r") as f:
        X = np.ascontiguousarray(f["X"][...], dtype=np.float64)
    with h5py.File(check_path, "r") as f:
        theta = f["parameters"][...]
        ref = np.sort(f["eigenvalues"][...])[::-1]
        k = int(f.attrs["classes"][0])
    n, d = X.shape
    W, b = theta[:k * d].reshape(k, d), theta[k * d:]
    Z = X @ W.T + b
    Z -= Z.max(axis=1, keepdims=True)
    P = np.exp(Z)
    P /= P.sum(axis=1, keepdims=True)
    del Z
    products = [0]

    def matvec(v):
        products[0] += 1
        v = np.ravel(v)
        U = X @ v[:k * d].reshape(k, d).T + v[k * d:]
        R = P * (U - np.sum(P * U, axis=1, keepdims=True))
        return np.concatenate([(R.T @ X).ravel(), R.sum(axis=0)]) / n

    H = LinearOperator((k * (d + 1), k * (d + 1)), matvec=matvec, dtype=np.float64)
    x = np.ones(k * (d + 1))
    H @ x  # warm-up
    t_solve, t_mult, per_solve, vals = [], [], 0, None
    for _ in range(reps):
        products[0] = 0
        t0 = time.perf_counter()
        vals = eigsh(H, k=nev, which="LA", tol=1e-12, return_eigenvectors=False)
        t_solve.append(time.perf_counter() - t0)
        per_solve = products[0]
        for _ in range(10):
            t0 = time.perf_counter()
            H @ x
            t_mult.append(time.perf_counter() - t0)
    vals = np.sort(vals)[::-1]
    rel = float(np.max(np.abs(vals - ref[:nev]) / np.abs(ref[:nev]))) if ref.size >= nev else float("nan")
    sm, smin, mm = float(np.median(t_solve)), float(np.min(t_solve)), float(np.median(t_mult))
    threads = os.environ.get("OPENBLAS_NUM_THREADS", "?")
    print(f"scipy_softmax_spectrum (scipy {scipy.__version__} eigsh, numpy {np.__version__}): d={k * (d + 1)} N={n}"
          f" OPENBLAS_NUM_THREADS={threads} nev={nev} reps={reps}")
    kernel, dgemm, dgemm_best = blas_info.report(threads)
    hv_gflop = 1e-9 * (4.0 * n * k * d + 6.0 * n * k)  # as SoftmaxRegression::local_hessian_vector_flops
    frac_solve, frac_hv = hv_gflop * per_solve / sm / dgemm, hv_gflop / mm / dgemm
    frac_solve_best = hv_gflop * per_solve / smin / dgemm_best
    print("  eigenvalues (largest first):" + "".join(
        ("\n   " if i % 4 == 0 else "") + f" {e:.12e}" for i, e in enumerate(vals)))
    print(f"  max relative difference to msopt/SLEPc: {rel:.2e}")
    print(f"  solve      median {sm:.4f} s  min {smin:.4f} s  ({per_solve} H v per solve;"
          f" {100 * frac_solve:.1f}% of DGEMM's rate, best/best {100 * frac_solve_best:.1f}%)")
    print(f"  one H v    median {mm:.5f} s  (H v time per solve {100 * per_solve * mm / sm:.1f}%;"
          f" {100 * frac_hv:.1f}% of DGEMM's rate)")
    print(f"RESULT impl=scipy threads={threads} nev={nev} solve_median_s={sm:.6f} solve_min_s={smin:.6f}"
          f" matvecs={per_solve} matvec_s={mm:.6f} lambda_max={vals[0]:.12e} eig_rel={rel:.3e}"
          f" kernel={kernel} dgemm_gflops={dgemm:.3f} frac_dgemm={frac_solve:.4f} frac_dgemm_best={frac_solve_best:.4f}"
          f" frac_dgemm_hv={frac_hv:.4f}")


if __name__ == "__main__":
    main()
