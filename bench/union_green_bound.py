#!/usr/bin/python3
"""The least degree any polynomial p with p(0) = 1 needs to reach |p| <= tol on
the union E of a spectrum file's scale-group intervals, asymptotically:
the best p shrinks by exp(-g(0)) per degree, g the Green's function of E with
pole at infinity (potential theory). g(0) = V - U(0), U the logarithmic
potential of E's equilibrium measure and V its value on E; the measure is
found by collocation (charges at Chebyshev points of each interval).
Checked against one interval, where g(0) = acosh((b + a)/(b - a)): 0.2 % off.
The intervals are those -mrgd_schedule groups_chebyshev uses: the groups cut
at the gaps of ratio >= 1.5 between the eigenvalues inside them, each at least
1e-6 wide relative to its centre on either side (a lone eigenvalue, known to
rounding accuracy only).

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


def cut_at_gaps(intervals, eigenvalues, ratio=1.5):
    """Each interval split where consecutive eigenvalues inside it differ by `ratio` (as msopt's split_scale_groups)."""
    pieces = []
    for a, b in intervals:
        inside = np.sort(eigenvalues[(eigenvalues >= a) & (eigenvalues <= b)])[::-1]
        if len(inside) < 2:
            pieces.append((a, b))
            continue
        cuts = [k for k in range(1, len(inside)) if inside[k - 1] / inside[k] >= ratio]
        bounds = [0] + cuts + [len(inside)]
        part = [(inside[hi - 1], inside[lo]) for lo, hi in zip(bounds[:-1], bounds[1:])]
        part[0] = (part[0][0], b)  # the group's own ends kept
        part[-1] = (a, part[-1][1])
        pieces.extend(part)
    return pieces


def main():
    if len(sys.argv) not in (2, 3):
        sys.exit(__doc__)
    tol = float(sys.argv[2]) if len(sys.argv) == 3 else 1e-8
    try:
        with h5py.File(sys.argv[1], "r") as f:
            intervals = cut_at_gaps(list(zip(f["group_sigma_min"][:], f["group_sigma_max"][:])), f["eigenvalues"][:])
    except (OSError, KeyError) as e:
        sys.exit("union_green_bound.py: error: %s: not a spectrum file of msopt spectrum (%s)" % (sys.argv[1], e))
    centres = [(a + b) / 2 for a, b in intervals]
    intervals = [(min(a, c * (1 - 1e-6)), max(b, c * (1 + 1e-6))) for (a, b), c in zip(intervals, centres)]
    g, masses = green_at_zero(intervals)
    print("intervals %d  equilibrium mass per interval %s" % (len(intervals), " ".join("%.3f" % m for m in masses)))
    print("g(0) = %.4f  rate per degree exp(-g(0)) = %.4f  least degree to %g ~ %.0f"
          % (g, np.exp(-g), tol, np.log(1 / tol) / g))


if __name__ == "__main__":
    main()
