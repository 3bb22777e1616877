#!/usr/bin/python3
"""The least degree any polynomial p with p(0) = 1 needs to reach |p| <= tol on
the union E of a spectrum file's scale-group intervals, asymptotically:
the best p shrinks by exp(-g(0)) per degree, g the Green's function of E with
pole at infinity (potential theory). g(0) = V - U(0), U the logarithmic
potential of E's equilibrium measure and V its value on E; the measure is
found by collocation (charges at Chebyshev points of each interval).
Checked against one interval, where g(0) = acosh((b + a)/(b - a)): 0.2 % off.

    /usr/bin/python3 bench/union_green_bound.py SPEC.h5 [TOL]   (default 1e-8)
"""
import sys

import h5py
import numpy as np


def green_at_zero(intervals, points=200):
    def charges_on(a, b):  # Chebyshev points of the first kind
        return (a + b) / 2 + (b - a) / 2 * np.cos((np.arange(points) + 0.5) * np.pi / points)

    def collocation_on(a, b):  # its extrema, pulled in off the charges at the ends
        return (a + b) / 2 + (b - a) / 2 * 0.9999 * np.cos(np.arange(points) * np.pi / (points - 1))

    charges = np.concatenate([charges_on(a, b) for a, b in intervals])
    collocation = np.concatenate([collocation_on(a, b) for a, b in intervals])
    # sum_j mu_j log(1/|x - t_j|) - V = 0 on E, sum_j mu_j = 1
    system = np.hstack([np.log(1 / np.abs(collocation[:, None] - charges[None, :])), -np.ones((len(collocation), 1))])
    system = np.vstack([system, np.r_[np.ones(len(charges)), 0]])
    rhs = np.r_[np.zeros(len(collocation)), 1]
    solution = np.linalg.lstsq(system, rhs, rcond=None)[0]
    mu, level = solution[:-1], solution[-1]
    masses = [float(mu[i * points:(i + 1) * points].sum()) for i in range(len(intervals))]
    return level - float(np.sum(mu * np.log(1 / np.abs(charges)))), masses


def main():
    if len(sys.argv) not in (2, 3):
        sys.exit(__doc__)
    tol = float(sys.argv[2]) if len(sys.argv) == 3 else 1e-8
    try:
        with h5py.File(sys.argv[1], "r") as f:
            intervals = list(zip(f["group_sigma_min"][:], f["group_sigma_max"][:]))
    except (OSError, KeyError) as e:
        sys.exit("union_green_bound.py: error: %s: not a spectrum file of msopt spectrum (%s)" % (sys.argv[1], e))
    g, masses = green_at_zero(intervals)
    print("groups %d  equilibrium mass per group %s" % (len(intervals), " ".join("%.3f" % m for m in masses)))
    print("g(0) = %.4f  rate per degree exp(-g(0)) = %.4f  least degree to %g ~ %.0f"
          % (g, np.exp(-g), tol, np.log(1 / tol) / g))


if __name__ == "__main__":
    main()
