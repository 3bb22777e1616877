#!/usr/bin/env bash
# Claims of the landscape paper on its toy landscapes, each from `msopt
# landscape` runs of a few hundred GD steps (well under a second each), each
# checked against a closed form computed here independently (scipy), and
# each failing when its claim breaks (e.g. at a rate below 2/f''(0) there is
# no orbit; with an earlier decay the two-valley run does not converge).
source "$(dirname "$0")/cli_lib.sh" "$@"
run() { msopt_np 1 landscape -landscape_grid_points 0 "$@"; }

# 1. Theorem 4.1 / Fig. 4.1 left: on f1 at eta = 5 > 2/f1''(0) = 2, GD does not diverge but settles on the
#    2-periodic orbit {+-x_eta}, eta f1'(x_eta) = 2 x_eta; the quadratic with f1's curvature at 0 diverges.
run -landscape_model f1 -landscape_lr 5 -landscape_steps 300 -landscape_out f1.h5 &&
  run -landscape_model quadratic -landscape_lr 5 -landscape_steps 300 -landscape_out quad.h5 ||
  fail "claim 1 runs"
$PY - <<'PY' && pass "claim 1: f1 at eta = 5 settles on the orbit +-x_eta of Theorem 4.1, the quadratic diverges" ||
import h5py, numpy as np, sys
from scipy.optimize import brentq
f, q = h5py.File("f1.h5"), h5py.File("quad.h5")
x = f["iterates"][:]
x_eta = brentq(lambda v: 5 * np.log1p(v) - 2 * v, 1e-3, 100)
tail = x[-20:]
print("  x_eta %.12f, tail |x| in [%.12f, %.12f], period %d; quadratic diverged %d" %
      (x_eta, abs(tail).min(), abs(tail).max(), f.attrs["period"][0], q.attrs["diverged"][0]))
ok = f.attrs["diverged"][0] == 0 and f.attrs["period"][0] == 2 and np.all(abs(abs(tail) - x_eta) < 1e-8)
ok = ok and np.all(tail[1:] * tail[:-1] < 0) and q.attrs["diverged"][0] == 1
sys.exit(0 if ok else 1)
PY
  fail "claim 1: f1 orbit at eta = 5"

# 2. Fig. 4.1 left / Sec. 4.1: dropping the rate 5 -> 3 -> 1 at steps 100, 150 moves GD to the lower orbit
#    +-x_3 (x_eta increases with eta, Lemma 4.1) and, below 2/f1''(0), into the minimum; the loss drops each time.
run -landscape_model f1 -landscape_schedule paper -landscape_lr 5,3,1 -landscape_lr_steps 100,150 \
  -landscape_steps 250 -landscape_out decay.h5 || fail "claim 2 run"
$PY - <<'PY' && pass "claim 2: each rate drop lowers f1's orbit to the new x_eta, then GD converges" ||
import h5py, numpy as np, sys
from scipy.optimize import brentq
f = h5py.File("decay.h5")
x, loss = f["iterates"][:], f["loss"][:]
x5, x3 = (brentq(lambda v: e * np.log1p(v) - 2 * v, 1e-3, 100) for e in (5, 3))
print("  |x_99| %.9f (x_5 %.9f), |x_149| %.9f (x_3 %.9f), |x_250| %.2e; loss %.4f -> %.4f -> %.2e" %
      (abs(x[99]), x5, abs(x[149]), x3, abs(x[250]), loss[99], loss[149], loss[250]))
ok = abs(abs(x[99]) - x5) < 1e-6 and abs(abs(x[149]) - x3) < 1e-6 and x3 < x5 and abs(x[250]) < 1e-8
sys.exit(0 if ok and loss[250] < loss[149] < loss[99] else 1)
PY
  fail "claim 2: orbits after the rate drops"

# 3. Edge of stability (Sec. 2.1, 4): on the two-valley landscape at eta = 2.5 from (-20, 3) the curvature GD
#    sees along its steps rises from below 2/eta to 2/eta and hovers there, and the sharpness rises, while the
#    loss goes up in many steps yet falls overall.
run -landscape_model two_valley -landscape_lr 2.5 -landscape_steps 1500 -landscape_out eos.h5 || fail "claim 3 run"
$PY - <<'PY' && pass "claim 3: the step curvature rises to 2/eta and hovers; the loss is non-monotone but falls" ||
import h5py, numpy as np, sys
f = h5py.File("eos.h5")
s, sharp, loss, edge = f["step_sharpness"][:], f["sharpness"][:], f["loss"][:], 2 / 2.5
late = s[300:]
ups = np.mean(np.diff(loss) > 0)
print("  step curvature %.3f -> mean %.4f over steps 300-1500 (2/eta %.3f), sharpness %.3f -> %.3f, "
      "loss %.3f -> %.3f, rising in %.0f%% of steps" % (s[0], late.mean(), edge, sharp[0], sharp[-1], loss[0],
                                                          loss[-1], 100 * ups))
ok = s[0] < 0.97 * edge and abs(late.mean() - edge) < 0.03 * edge and sharp[-1] > 1.3 * sharp[0]
sys.exit(0 if ok and ups > 0.05 and loss[-1] < 0.1 * loss[0] else 1)
PY
  fail "claim 3: edge of stability"

# 4. Sec. 4.4 / Fig. 4.2: on the flattening valley f1(x2 / (1 + 0.01 x1)) at eta = 3, GD bounces across the
#    valley and drifts to flatter minima as the quasistatic dynamics (4.8) predicts, and stops before the
#    point where the minimum's sharpness h(x1)^2 f1''(0) falls to 2/eta (Remark 4.1).
run -landscape_model valley -landscape_lr 3 -landscape_steps 3000 -landscape_out valley.h5 || fail "claim 4 run"
$PY - <<'PY' && pass "claim 4: GD drifts along the valley as eq. (4.8) predicts, slowing, short of x1*" ||
import h5py, numpy as np, sys
f = h5py.File("valley.h5")
x = f["iterates"][:].reshape(-1, 2)
qx, qy = f["quasistatic_x1"][:], f["quasistatic_x2"][:]
rest = (np.sqrt(3 / 2) - 1) / 0.01
gap = np.max(abs(x[:, 0] - qx))
print("  x1 %.3f -> %.3f (quasistatic %.3f, largest gap %.3f), x1* %.3f; |x2| %.3f -> %.3f (quasistatic %.3f)" %
      (x[0, 0], x[-1, 0], qx[-1], gap, rest, abs(x[0, 1]), abs(x[-1, 1]), qy[-1]))
first, second = x[1000, 0] - x[0, 0], x[3000, 0] - x[2000, 0]
print("  drift over steps 0-1000 %.3f, over 2000-3000 %.3f" % (first, second))
ok = x[-1, 0] - x[0, 0] > 10 and x[-1, 0] < rest and gap < 0.05 * rest and abs(abs(x[-1, 1]) - qy[-1]) < 0.05
sys.exit(0 if ok and 0 < second < 0.75 * first and x[-1, 1] * x[-2, 1] < 0 else 1)
PY
  fail "claim 4: quasistatic motion along the valley"

# 5. Sec. 5 / Fig. 5.1: on the two-valley landscape (2.5 -> 0.25), decaying at step 750 reaches the small valley
#    (x1 near 0, loss < 0.1 over steps 1150-1250); decaying at 650 or 700, at similar loss, leaves GD crawling
#    down the large valley (x1 < -1, loss > 0.2 500 steps after the decay).
for d in 650 700 750; do
  run -landscape_model two_valley -landscape_schedule paper -landscape_lr 2.5,0.25 -landscape_lr_steps $d \
    -landscape_steps $((d + 500)) -landscape_out decay$d.h5 || fail "claim 5 run at $d"
done
$PY - <<'PY' && pass "claim 5: only the late decay (750) reaches the small valley within 500 steps" ||
import h5py, numpy as np, sys
res = {}
for d in (650, 700, 750):
    f = h5py.File("decay%d.h5" % d)
    loss, x1 = f["loss"][:], f["iterates"][:].reshape(-1, 2)[:, 0]
    res[d] = (loss[d], loss[-100:].mean(), abs(x1[-100:]).max(), x1[-100:].max())
print("  at the decay: loss; last 100 steps: mean loss, max |x1|: " +
      ", ".join("%d: %.3f; %.3f, %.3f" % (d, *v[:3]) for d, v in res.items()))
ok = res[750][1] < 0.1 and res[750][2] < 0.5 and abs(res[650][0] - res[750][0]) < 0.05
ok = ok and all(res[d][1] > 0.2 and res[d][3] < -1 for d in (650, 700))
sys.exit(0 if ok else 1)
PY
  fail "claim 5: learning-rate decay on two valleys"

# 6. Sec. 6 / Fig. 6.1 left: three data of different magnitudes (1, 10, 100) make the 3-neuron ReLU loss
#    piecewise quadratic with separate scales: its curvature grows by orders of magnitude as w -> 0, and
#    with 2/eta = 40 between the wide scale's curvature (2/3) and the next (67) GD bounces at the edge of the
#    wide well, |w| ~ 1/10, instead of descending into the sharper ones.
msopt_np 1 landscape -landscape_model relu3 -landscape_inputs 1,10,100 -landscape_lr 0.05 -landscape_steps 300 \
  -landscape_box -0.5,0.5 -landscape_grid_points 2001 -landscape_out relu3.h5 || fail "claim 6 run"
$PY - <<'PY' && pass "claim 6: separate scales of the 3-neuron loss; GD stays out of the sharpest well" ||
import h5py, numpy as np, sys
f = h5py.File("relu3.h5")
w, L = f["grid_x1"][:], f["grid_loss"][:]
h = w[1] - w[0]
c = (L[2:] - 2 * L[1:-1] + L[:-2]) / h**2
wc = w[1:-1]
scale = [np.median(c[(abs(wc) > lo) & (abs(wc) < hi)]) for lo, hi in ((0.001, 0.009), (0.011, 0.09), (0.11, 0.5))]
x = f["iterates"][:]
print("  curvature on |w| < 1/100, 1/100..1/10, > 1/10: %.1f, %.2f, %.4f; GD |w| over the last 100 steps in "
      "[%.4f, %.4f]" % (*scale, abs(x[-100:]).min(), abs(x[-100:]).max()))
ok = abs(scale[0] - 2 * 10101 / 3) < 1 and abs(scale[1] - 2 * 101 / 3) < 0.1 and abs(scale[2] - 2 / 3) < 0.01
sys.exit(0 if ok and abs(x[-100:]).min() > 0.05 and f.attrs["diverged"][0] == 0 else 1)
PY
  fail "claim 6: separate scales of the 3-neuron model"
# 7. Sec. 4.2 / Fig. 4.1 middle: on the non-convex f2 (eq. 6.2, C = 3) at eta = 2 > 2/f2''(0) = 1/3 the orbit
#    +-x_eta exists but does not attract: GD stays bounded, settles on no orbit of period <= 16, and two starts
#    1e-9 apart separate to O(1) (chaos), unlike convex f1 (claim 1).
run -landscape_model f2 -landscape_lr 2 -landscape_steps 500 -landscape_tail 200 -landscape_out chaos_a.h5 &&
  run -landscape_model f2 -landscape_lr 2 -landscape_steps 500 -landscape_x0 -5.000000001 -landscape_out chaos_b.h5 ||
  fail "claim 7 runs"
$PY - <<'PY' && pass "claim 7: GD on the non-convex f2 at eta = 2 is bounded and chaotic, not periodic" ||
import h5py, numpy as np, sys
a, b = h5py.File("chaos_a.h5"), h5py.File("chaos_b.h5")
xa, xb = a["iterates"][:], b["iterates"][:]
gap = abs(xa - xb)
print("  period %d over the last 200 steps, max |x| %.3f after step 10, x_eta %.4f; starts 1e-9 apart: gap %.1e at "
      "step 10, max %.2f after step 300" % (a.attrs["period"][0], abs(xa[10:]).max(), a.attrs["predicted_amplitude"][0],
                                          gap[10], gap[300:].max()))
ok = a.attrs["period"][0] == 0 and a.attrs["diverged"][0] == 0 and abs(xa[10:]).max() < 6
sys.exit(0 if ok and a.attrs["predicted_amplitude"][0] > 0 and gap[300:].max() > 0.1 else 1)
PY
  fail "claim 7: chaos on f2"
finish
