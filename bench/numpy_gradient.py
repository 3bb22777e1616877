#!/usr/bin/python3
"""numpy reference for bench_gradient: times X.T @ (X @ w - y) and a read kernel.

    OPENBLAS_NUM_THREADS=1 /usr/bin/python3 bench/numpy_gradient.py [N [d [reps]]]

Defaults N=1000000, d=100, reps=20. Uses Debian's numpy (OpenBLAS through
libblas.so.3); run it with /usr/bin/python3. Like bench_gradient it does one
warm-up, then times the read kernel (X.sum() over the flat array) and the
gradient interleaved, and reports median/min, the effective bandwidth counting
one pass over X (numpy's two gemv calls actually read X twice), and the same
RESULT line that bench/run_gradient_bench.sh parses.
"""
import sys
import time

import numpy as np

import blas_info


def huge_page_mb():
    """MB of this process on transparent huge pages (as bench_common.hpp's huge_page_mb)."""
    try:
        with open("/proc/self/smaps_rollup") as rollup:
            for line in rollup:
                if line.startswith("AnonHugePages:"):
                    return int(line.split()[1]) * 1024 / 1e6
    except OSError:
        pass
    return 0.0


def stats(t):
    return float(np.median(t)), float(np.min(t))


def main():
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 1000000
    d = int(sys.argv[2]) if len(sys.argv) > 2 else 100
    reps = int(sys.argv[3]) if len(sys.argv) > 3 else 20
    if n < 1 or d < 1 or reps < 1:
        sys.exit("numpy_gradient.py: N, d and reps must be >= 1")

    rng = np.random.default_rng(0)
    X = rng.random((n, d))  # C order, float64; the only large array
    X *= 2.0
    X -= 1.0
    y = rng.random(n) * 2.0 - 1.0
    w = 0.1 * (rng.random(d) * 2.0 - 1.0)
    flat = X.reshape(-1)  # a view, no copy
    x_bytes = 8.0 * n * d

    def read():
        return np.add.reduce(flat)

    def gradient():
        return X.T @ (X @ w - y)

    checksum = read()
    g = gradient()
    t_read, t_grad = [], []
    for _ in range(reps):
        t0 = time.perf_counter()
        checksum += read()
        t_read.append(time.perf_counter() - t0)
        t0 = time.perf_counter()
        g = gradient()
        t_grad.append(time.perf_counter() - t0)

    rm, rmin = stats(t_read)
    gm, gmin = stats(t_grad)
    read_gbs = x_bytes / rm / 1e9
    eff_gbs = x_bytes / gm / 1e9
    print(f"numpy_gradient (numpy {np.__version__}): N={n} d={d} ranks=1 reps={reps}")
    print(f"  X: {x_bytes / 1e6:.1f} MB over all ranks; one pass over X = N*d*8 bytes;"
          f" on huge pages: {huge_page_mb():.0f} MB")
    kernel, dgemm, _ = blas_info.report(1)  # memory-bound: the kernel is stated, no DGEMM fraction
    print(f"  read kernel (sum of X)  median {rm:.5f} s  min {rmin:.5f} s  {read_gbs:7.2f} GB/s median"
          f"  {x_bytes / rmin / 1e9:7.2f} GB/s best")
    print(f"  gradient                median {gm:.5f} s  min {gmin:.5f} s  {eff_gbs:7.2f} GB/s effective"
          f" (one pass over X)  {100 * eff_gbs / read_gbs:5.1f}% of read bandwidth"
          f" (best/best {100 * rmin / gmin:5.1f}%)")
    print(f"  checksums: {checksum:.6e} {float(g[0]):.6e}")
    print(f"RESULT impl=numpy ranks=1 grad_median_s={gm:.6f} grad_min_s={gmin:.6f}"
          f" read_median_s={rm:.6f} read_min_s={rmin:.6f} read_gbs={read_gbs:.3f} eff_gbs={eff_gbs:.3f}"
          f" frac_read={eff_gbs / read_gbs:.4f} kernel={kernel} dgemm_gflops={dgemm:.3f}")


if __name__ == "__main__":
    main()
