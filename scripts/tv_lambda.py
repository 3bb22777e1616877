"""The lambda of the TV term per restoration task (MGDL paper, Appendix C;
the paper gives none): the lambda whose plain TV reconstruction, eq. (19)
with the image itself in place of the network (the best a network could fit),
has the highest PSNR against the clean image. Same operators as msopt
restore: B the forward differences (zero at the last row/column), A the
Gaussian blur with reflected borders (kernel 6 sigma-hat + 1), beta = 10,
intensities on [0, 1], noise sigma on the 0-255 scale. Solved by alternating
u = soft(B f, lambda / beta) and (A^T A + beta B^T B) f = A^T f_hat + beta B^T u
(sparse direct solve) to a fixed point; lambda searched on a log grid, then
refined by golden section on log lambda. Noise from numpy (seed 1), so the
observed image differs from msopt's draw; its PSNR is printed beside.

  /usr/bin/python3 scripts/tv_lambda.py PNG DOWNSAMPLE TASK...   (TASK: denoise:10, deblur:3, ...)
prints one line per task: task, lambda, PSNR of the TV solution, PSNR of the observation."""
import sys

import matplotlib.image
import numpy as np
import scipy.sparse as sp
import scipy.sparse.linalg as spla

BETA = 10.0


def load(png, k):
    img = matplotlib.image.imread(png).astype(float)
    if img.ndim == 3:
        img = img[..., :3].mean(axis=2)
    if img.max() > 1.0:
        img /= 255.0
    h, w = img.shape[0] // k, img.shape[1] // k
    return img[: h * k, : w * k].reshape(h, k, w, k).mean(axis=(1, 3))


def differences(h, w):
    def d(n):
        m = sp.diags([-np.ones(n), np.ones(n - 1)], [0, 1], format="lil")
        m[n - 1, n - 1] = 0
        return m.tocsr()
    return sp.vstack([sp.kron(sp.identity(h), d(w)), sp.kron(d(h), sp.identity(w))]).tocsr()


def blur(h, w, s):
    r = 3 * s
    g = np.exp(-np.arange(-r, r + 1) ** 2 / (2.0 * s * s))
    g /= g.sum()

    def one(n):
        m = sp.lil_matrix((n, n))
        for i in range(n):
            for a in range(-r, r + 1):
                j = (i + a) % (2 * n)
                m[i, j if j < n else 2 * n - 1 - j] += g[a + r]
        return m.tocsr()
    return sp.kron(one(h), one(w)).tocsr()


def psnr(x, y):
    return 10 * np.log10(1.0 / np.mean((x - y) ** 2))


def tv_solution(f_hat, A, B, solve, lam, iterations=300):
    f = f_hat.copy()
    for _ in range(iterations):
        bf = B @ f
        u = np.sign(bf) * np.maximum(np.abs(bf) - lam / BETA, 0)
        f_next = solve(A.T @ f_hat + BETA * (B.T @ u))
        if np.max(np.abs(f_next - f)) < 1e-7:
            return f_next
        f = f_next
    return f


def best_lambda(clean, f_hat, A, B):
    solve = spla.factorized((A.T @ A + BETA * (B.T @ B)).tocsc())  # the same for every lambda
    score = lambda lam: psnr(clean, tv_solution(f_hat, A, B, solve, lam))
    grid = np.logspace(-4, 0, 17)
    values = [score(l) for l in grid]
    k = int(np.argmax(values))
    lo, hi = np.log(grid[max(k - 1, 0)]), np.log(grid[min(k + 1, len(grid) - 1)])
    phi = (np.sqrt(5) - 1) / 2
    for _ in range(12):  # golden section on log lambda
        a, b = hi - phi * (hi - lo), lo + phi * (hi - lo)
        if score(np.exp(a)) > score(np.exp(b)):
            hi = b
        else:
            lo = a
    lam = float(np.exp((lo + hi) / 2))
    return lam, score(lam)


def main(png, k, tasks):
    clean_img = load(png, int(k))
    h, w = clean_img.shape
    clean = clean_img.ravel()
    B = differences(h, w)
    rng = np.random.default_rng(1)
    for task in tasks:
        kind, level = task.split(":")
        A = sp.identity(h * w, format="csr") if kind == "denoise" else blur(h, w, int(level))
        sigma = float(level) if kind == "denoise" else 3.0
        f_hat = A @ clean + rng.normal(0, sigma / 255.0, h * w)
        lam, best = best_lambda(clean, f_hat, A, B)
        print(f"{task} {lam:.4g} {best:.2f} {psnr(clean, f_hat):.2f}", flush=True)


if __name__ == "__main__":
    if len(sys.argv) < 4:
        sys.exit(__doc__)
    main(sys.argv[1], sys.argv[2], sys.argv[3:])
