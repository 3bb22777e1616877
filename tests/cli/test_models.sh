#!/usr/bin/env bash
# Models behind -model in train and spectrum: softmax regression, binary
# logistic regression and an MLP on generated classification data; Hessian
# spectra at a trained point, on a parameter block, with trace and density;
# checkpoints of an MLP run resume bitwise; models refuse data that do not fit.
source "$(dirname "$0")/cli_lib.sh" "$@"
msopt_np 2 data multiscale -data_n 3000 -data_dims 20,5 -data_scales 1,0.1 -data_target labels -data_classes 4 \
  -data_out cls.h5 || fail "classification data"
msopt_np 2 data multiscale -data_n 1000 -data_dims 6 -data_scales 1 -data_target labels -data_classes 2 \
  -data_out bin.h5 || fail "binary data"

softmax="-data_file cls.h5 -model softmax -model_classes 4 -model_l2 1e-3 -quiet"
for type in lbfgs nesterov; do
  msopt_np 2 train $softmax -opt_type $type -opt_tol 1e-6 -opt_max_it 5000 -history_out sm_$type.h5
  grep -q "^train: $type: .*gradient evaluations to 1e-06: [0-9]" out.txt && pass "softmax: $type reaches 1e-6" ||
    fail "softmax: $type reaches 1e-6"
done
$PY -c "
import h5py, numpy as np, sys
a, b = h5py.File('sm_lbfgs.h5'), h5py.File('sm_nesterov.h5')
# the same strongly convex minimum, and a loss well below log(4) at the start
ok = abs(a['loss'][-1] - b['loss'][-1]) < 1e-8 and a['loss'][-1] < 0.5 * np.log(4) and abs(a['loss'][0] - np.log(4)) < 1e-12
sys.exit(0 if ok else 1)" && pass "softmax: methods agree on the minimum" || fail "softmax: methods agree on the minimum"

msopt_np 2 train -data_file bin.h5 -model logistic -model_l2 1e-3 -opt_type lbfgs -opt_tol 1e-6 -quiet
grep -q "^train: lbfgs: CONVERGED" out.txt && pass "logistic: lbfgs converges" || fail "logistic: lbfgs converges"

# Logistic regression on rotated data of three scales (kappa 2e3 at the start): rates from the Hessian at one
# point overshoot where the sigmoid saturates, and until 2026-12-03 MrGD with -mrgd_refresh wandered (the loss up
# to 1e3, no convergence in 5000 evaluations). Its guard undoes every cycle that raises the loss and caps the rates.
evals() { sed -n 's/.*gradient evaluations to 1e-08: \([0-9]*\).*/\1/p' out.txt; }
msopt_np 2 data multiscale -data_n 4000 -data_dims 10,10,10 -data_scales 1,0.1,0.01 -data_rotate -data_target labels \
  -data_classes 2 -data_out bin3.h5 || fail "three-scale binary data"
logistic=(-data_file bin3.h5 -model logistic -model_l2 1e-4 -opt_max_it 3000)
msopt_np 2 train "${logistic[@]}" -opt_type lbfgs
lbfgs=$(evals)
for schedule in theorem34 groups_chebyshev; do
  msopt_np 2 train "${logistic[@]}" -opt_type mrgd -mrgd_schedule $schedule -mrgd_refresh 20 -history_out lg.h5
  [ -n "$(evals)" ] && [ -n "$lbfgs" ] && [ "$(evals)" -le "$lbfgs" ] && grep -q "mrgd: cycle rejected" out.txt \
    && pass "logistic: mrgd ($schedule) with its guard converges in $(evals) evaluations (L-BFGS $lbfgs)" \
    || fail "logistic: mrgd ($schedule) $(evals) vs L-BFGS $lbfgs"
done
# The guard's state (the cycle's start, the cap) is in the checkpoint: a restart ends where the run ends.
msopt_np 2 train "${logistic[@]}" -opt_type mrgd -mrgd_schedule groups_chebyshev -mrgd_refresh 20 -opt_max_it 100 \
  -checkpoint_every 90 -checkpoint_file lg_ck.h5 || fail "logistic: stopped run"
msopt_np 2 train "${logistic[@]}" -opt_type mrgd -mrgd_schedule groups_chebyshev -mrgd_refresh 20 -restart lg_ck.h5 \
  -history_out lg_resumed.h5 || fail "logistic: resumed run"
$PY -c "
import h5py, numpy as np, sys
a, b = h5py.File('lg.h5'), h5py.File('lg_resumed.h5')
sys.exit(0 if all(np.array_equal(a[k][:], b[k][:]) for k in ('solution', 'loss', 'residual')) else 1)" \
  && pass "logistic: mrgd with its guard restarts bit for bit" || fail "logistic: guarded restart differs"

# Spectrum of the softmax Hessian at the trained point, on class 0's weights (26 parameters).
msopt_np 2 spectrum $softmax -spec_point sm_lbfgs.h5 -spec_range 0:26 -spec_trace_probes 50 -spec_density_probes 4 \
  -spec_density_steps 26 -spec_out spec.h5
$PY -c "
import h5py, numpy as np, sys
f = h5py.File('spec.h5')
e, t = f['eigenvalues'][:], f['trace'][:]
ok = len(e) == 26 and abs(t[0] - e.sum()) <= 4 * t[1] + 1e-12 and abs(f['density_weights'][:].sum() - 1) < 1e-12
sys.exit(0 if ok else 1)" && pass "softmax block spectrum, trace and density" || fail "softmax block spectrum, trace and density"

mlp_model="-data_file cls.h5 -model mlp -mlp_hidden 16 -mlp_activation tanh -model_classes 4"
mlp="$mlp_model -opt_type adam -opt_lr 0.01 -quiet -opt_tol 1e-300"
msopt_np 2 train $mlp -opt_max_it 200 -history_out mlp_straight.h5 || fail "mlp straight run"
msopt_np 2 train $mlp -opt_max_it 130 -checkpoint_every 40 -checkpoint_file mlp_ck.h5 || fail "mlp stopped run"
msopt_np 2 train $mlp -opt_max_it 200 -restart mlp_ck.h5 -history_out mlp_resumed.h5 || fail "mlp resumed run"
$PY -c "
import h5py, numpy as np, sys
a, b = h5py.File('mlp_straight.h5'), h5py.File('mlp_resumed.h5')
ok = np.array_equal(a['solution'][:], b['solution'][:]) and a['loss'][-1] < 0.5 * a['loss'][0]
sys.exit(0 if ok else 1)" && pass "mlp: adam learns, restart is bitwise" || fail "mlp: adam learns, restart is bitwise"
msopt_np 2 spectrum $mlp_model -spec_point mlp_straight.h5 -spec_method extremes -spec_nev 3
# 25*16 + 16 + 16*4 + 4 = 484 parameters; an MLP Hessian is indefinite: its smallest eigenvalue is negative
grep -q -E "^spectrum: 6 eigenvalues of the Hessian \(size 484\) .* down to -" out.txt && pass "mlp Hessian extremes (indefinite)" ||
  fail "mlp Hessian extremes (indefinite)"
finish
