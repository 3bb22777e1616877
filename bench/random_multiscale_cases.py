#!/usr/bin/python3
"""Random multiscale least-squares problems for bench/groups_chebyshev_corpus.sh.

  bench/random_multiscale_cases.py [COUNT [SEED [GROUPS [DIMS]]]] > cases.txt

Each line is "name N dims scales [-data_rotate]": GROUPS groups (a range,
default 4-6) of DIMS dimensions each (default 5-50; 1-50 adds groups of a
single eigenvalue), standard deviations from 1 down to 10^-2 ... 10^-4
(log-uniform, so kappa up to 1e8), N in {10000, 15000, 20000}, rotated four
times in five.
"""
import sys

import numpy as np


def span(text, least):
    """ "a-b" (or "a") as the pair (a, b), least <= a <= b."""
    parts = text.split("-")
    try:
        low, high = int(parts[0]), int(parts[-1])
    except ValueError:
        low, high = 0, -1
    if len(parts) > 2 or not least <= low <= high:
        sys.exit(f"random_multiscale_cases.py: '{text}' is not a range a-b of integers with {least} <= a <= b")
    return low, high


def main():
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 24
    seed = int(sys.argv[2]) if len(sys.argv) > 2 else 2026
    fewest, most = span(sys.argv[3] if len(sys.argv) > 3 else "4-6", 2)
    thinnest, widest = span(sys.argv[4] if len(sys.argv) > 4 else "5-50", 1)
    rng = np.random.default_rng(seed)
    for case in range(count):
        groups = rng.integers(fewest, most + 1)
        dims = rng.integers(thinnest, widest + 1, size=groups)
        lowest = rng.uniform(2.0, 4.0)  # the smallest standard deviation is 10^-lowest
        scales = np.sort(10 ** -rng.uniform(0, lowest, size=groups - 1))[::-1]
        scales = np.concatenate([[1.0], scales])
        scales[-1] = 10 ** -lowest
        n = int(rng.choice([10000, 15000, 20000]))
        rotate = " -data_rotate" if rng.random() < 0.8 else ""
        print(f"r{case} {n} {','.join(map(str, dims))} {','.join(f'{s:.3g}' for s in scales)}{rotate}")


if __name__ == "__main__":
    main()
