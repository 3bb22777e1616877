#!/usr/bin/python3
"""Copies of an msopt spectrum file with every eigenvalue moved by a random
number of ulps, for bench/groups_chebyshev_corpus.sh's ULP_TRIALS.

  bench/ulp_perturbed_spectra.py SPEC PREFIX COUNT [ULPS] [SEED]

Writes PREFIX1.h5 ... PREFIXCOUNT.h5: each eigenvalue moved by a uniform
integer in [-ULPS, ULPS] ulps (default 2), the scale groups' ends set to the
moved eigenvalues at their ends. A step count that changes between copies is
decided by rounding, not by the schedule: the eigenvalues are only known to
about 1e3 eps lambda_max anyway. Only for spectra that hold every eigenvalue
(attribute complete = 1), whose groups' ends are eigenvalues.
"""
import shutil
import sys

import h5py
import numpy as np


def main():
    if len(sys.argv) < 4:
        sys.exit(__doc__)
    spec, prefix, count = sys.argv[1], sys.argv[2], int(sys.argv[3])
    ulps = int(sys.argv[4]) if len(sys.argv) > 4 else 2
    rng = np.random.default_rng(int(sys.argv[5]) if len(sys.argv) > 5 else 1)
    with h5py.File(spec, "r") as f:
        if not ("complete" in f.attrs and f.attrs["complete"][0] == 1):
            sys.exit(f"ulp_perturbed_spectra.py: {spec} does not hold every eigenvalue")
        eigenvalues = np.array(f["eigenvalues"])
        size = np.array(f["group_size"]).astype(int)
    if size.sum() != eigenvalues.size:
        sys.exit(f"ulp_perturbed_spectra.py: {spec}: group sizes do not add up to the eigenvalues")
    top = np.cumsum(size) - size  # index of each group's largest eigenvalue
    for k in range(1, count + 1):
        moved = eigenvalues.copy()
        for i, shift in enumerate(rng.integers(-ulps, ulps + 1, size=moved.size)):
            for _ in range(abs(shift)):
                moved[i] = np.nextafter(moved[i], np.inf if shift > 0 else 0)
        out = f"{prefix}{k}.h5"
        shutil.copy(spec, out)
        with h5py.File(out, "r+") as f:
            f["eigenvalues"][...] = moved
            f["group_sigma_max"][...] = moved[top]
            f["group_sigma_min"][...] = moved[top + size - 1]


if __name__ == "__main__":
    main()
