"""The BLAS kernel of this Python process and its DGEMM rate, which
the python sides of the benchmarks report beside their times as the C++ sides
do (bench_common.hpp's dgemm_rate): a time is comparable across machines and
kernels only as a fraction of that rate.
"""
import ctypes
import time

import numpy as np


def openblas():
    """(corename, config) of the OpenBLAS mapped into this process, or ("not OpenBLAS", "")."""
    with open("/proc/self/maps") as f:
        paths = sorted({line.split()[-1] for line in f if "blas" in line.lower() and ".so" in line})
    for path in paths:
        try:  # the library is already loaded: this only finds its symbols
            lib = ctypes.CDLL(path)
            name, config = lib.openblas_get_corename, lib.openblas_get_config
        except (OSError, AttributeError):
            continue
        name.restype = config.restype = ctypes.c_char_p
        return name().decode(), config().decode()
    return "not OpenBLAS", ""


def dgemm_gflops(mm=np.matmul, convert=lambda a: a, n=1000):
    """(median, best) GFLOP/s of mm on n x n float64 matrices (the caller's thread count), 5 runs after a warm-up."""
    a = convert(1.0 + 1e-3 * (np.arange(n * n) % 97).reshape(n, n))
    b = convert(1.0 - 1e-3 * (np.arange(n * n) % 89).reshape(n, n))
    mm(a, b)
    t = []
    for _ in range(5):
        t0 = time.perf_counter()
        mm(a, b)
        t.append(time.perf_counter() - t0)
    return 2e-9 * n ** 3 / float(np.median(t)), 2e-9 * n ** 3 / min(t)


def report(threads, mm=np.matmul, convert=lambda a: a, n=1000):
    """Prints the "  blas: ..." line; returns (kernel, median DGEMM GFLOP/s, best DGEMM GFLOP/s)."""
    kernel, config = openblas()
    median, best = dgemm_gflops(mm, convert, n)
    print(f"  blas: OpenBLAS kernel '{kernel}', DGEMM {n}x{n}x{n} {threads} thread(s) {median:.1f} GFLOP/s median,"
          f" {best:.1f} best (5 runs){'; ' + config if config else ''}")
    return kernel, median, best
