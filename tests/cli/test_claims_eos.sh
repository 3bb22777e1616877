#!/usr/bin/env bash
# Edge of stability on a real network (landscape paper, Sec. 2.1, Fig. 2.1 left; Cohen et al. 2021): full-batch
# GD at eta = 0.05 on the MLP of runs/fmnist_eos.opts (784-64-64-1 tanh, squared loss) on the first 1000
# PCA-aligned Fashion-MNIST samples, 600 steps, sharpness every 25 (35-45 s on 2 ranks). The sharpness starts
# below 2/eta, rises to it and hovers within 10 % over the last third while the loss keeps falling, rising at
# some steps. It fails when the claim does: at eta / 4 progressive sharpening gets only to 0.8-0.94 * 2/eta by the
# end, the loss falling monotonically; with the cross-entropy loss (eta = 0.35) the sharpness falls to 0.46-0.70.
source "$(dirname "$0")/cli_lib.sh" "$@"
ETA=0.05
msopt_np 2 data fashion-mnist -data_limit 1000 -data_out fm.h5 &&
  msopt_np 2 data pca -data_file fm.h5 -data_out fmp.h5 || fail "Fashion-MNIST subset"
msopt_np 2 train -options_file "$SRC/runs/fmnist_eos.opts" -data_file fmp.h5 -opt_lr $ETA -opt_max_it 600 \
  -track_every 25 -history_out eos.h5 || fail "GD run with the sharpness tracked"
ETA=$ETA $PY - <<'PY' && pass "edge of stability: the sharpness rises to 2/eta and hovers; the loss is non-monotone, falling" ||
import h5py, numpy as np, os, sys
f = h5py.File("eos.h5")
edge = 2 / float(os.environ["ETA"])
loss, its, sharp = f["loss"][:], f["track_evaluations"][:], f["track_sharpness"][:] / edge
reached = int(its[np.argmax(sharp >= 0.9)]) if sharp.max() >= 0.9 else len(loss)
last = its >= 2 * len(loss) // 3
after = np.diff(loss[reached:])
third = len(loss) // 3
print("  sharpness / (2/eta = %g): %.2f at step 0, >= 0.9 from step %d, in [%.2f, %.2f] over the last third; "
      "loss rose in %d of %d steps after that, mean loss over the middle third %.4f, last third %.4f" %
      (edge, sharp[0], reached, sharp[last].min(), sharp[last].max(), np.sum(after > 0), len(after),
       loss[third:2 * third].mean(), loss[2 * third:].mean()))
ok = sharp[0] < 0.85 and reached < 2 * len(loss) // 3 and np.all(abs(sharp[last] - 1) <= 0.1)
sys.exit(0 if ok and np.sum(after > 0) >= 10 and loss[2 * third:].mean() < loss[third:2 * third].mean() else 1)
PY
  fail "edge of stability on Fashion-MNIST"
finish
