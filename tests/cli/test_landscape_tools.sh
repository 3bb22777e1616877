#!/usr/bin/env bash
# The tools of the multiscale-landscape experiments as a user runs
# them: tracking of sharpness and test accuracy with stage snapshots, msopt
# evaluate and msopt slice at a snapshot, neuron-block spectra, MrGD whose
# rates are rebuilt from softmax class-block spectra (restart bitwise), and
# training from given parameters. Numbers are cross-checked between commands
# and against the history the run wrote.
source "$(dirname "$0")/cli_lib.sh" "$@"
msopt_np 2 data multiscale -data_n 2000 -data_dims 20,5 -data_scales 1,0.1 -data_target labels -data_classes 4 \
  -data_out cls.h5 || fail "classification data"

mlp="-data_file cls.h5 -model mlp -mlp_hidden 12 -mlp_activation tanh -model_classes 4 -quiet"
msopt_np 2 train $mlp -opt_type gd -opt_lr 0.5 -opt_max_it 200 -opt_tol 1e-300 -track_every 20 -track_sharpness \
  -track_test cls.h5 -track_save_at_accuracy 0.5,1.0 -history_out run.h5 || fail "tracked run"
# The test set is the training set here: both accuracies must agree exactly.
$PY -c "
import csv, h5py, numpy as np, sys
rows = list(csv.DictReader(open('run_track.csv')))
h = h5py.File('run.h5')
ev = [int(float(r['evaluations'])) for r in rows]
ok = ev == list(range(0, 200, 20)) and all(r['train_accuracy'] == r['test_accuracy'] for r in rows)
ok = ok and all(float(r['sharpness']) > 0 for r in rows)
# test_loss at evaluation k is the loss of the iterate the history evaluates next
ok = ok and all(abs(float(r['test_loss']) - h['loss'][k]) <= 1e-12 * h['loss'][k] for r, k in zip(rows, ev))
ok = ok and np.array_equal(h['track_evaluations'][:], np.array(ev, float))
sys.exit(0 if ok else 1)" && pass "tracking: rows, accuracies, losses" || fail "tracking: rows, accuracies, losses"
[ -f run_track_acc0.50.h5 ] && [ ! -f run_track_acc1.00.h5 ] && pass "stage snapshot at accuracy 0.5 only" ||
  fail "stage snapshot at accuracy 0.5 only"

msopt_np 2 evaluate $mlp -model_start run_track_acc0.50.h5 -eval_gradient_out grad.h5 || fail "evaluate"
loss=$(sed -n 's/^evaluate: .* loss \([^,]*\),.*/\1/p' out.txt)
$PY -c "
import csv, h5py, numpy as np, sys
s, g, h = h5py.File('run_track_acc0.50.h5'), h5py.File('grad.h5'), h5py.File('run.h5')
k = int(s.attrs['evaluations'][0])
row = [r for r in csv.DictReader(open('run_track.csv')) if int(float(r['evaluations'])) == k][0]
ok = abs(float('$loss') - h['loss'][k]) <= 1e-9 * h['loss'][k]
ok = ok and abs(np.linalg.norm(g['gradient'][:]) - h['residual'][k]) <= 1e-12 * h['residual'][k]
ok = ok and abs(g.attrs['accuracy'][0] - float(row['test_accuracy'])) == 0 and g.attrs['accuracy'][0] >= 0.5
sys.exit(0 if ok else 1)" && pass "evaluate at the snapshot matches the run" || fail "evaluate at the snapshot matches the run"

msopt_np 2 spectrum $mlp -spec_point run_track_acc0.50.h5 -spec_method largest -spec_nev 1 -spec_floor 0 -spec_out top.h5 ||
  fail "top eigenvalue"
$PY -c "
import csv, h5py, sys
s, t = h5py.File('run_track_acc0.50.h5'), h5py.File('top.h5')
k = int(s.attrs['evaluations'][0])
row = [r for r in csv.DictReader(open('run_track.csv')) if int(float(r['evaluations'])) == k][0]
sys.exit(0 if abs(float(row['sharpness']) - t['eigenvalues'][0]) <= 1e-6 * t['eigenvalues'][0] else 1)" &&
  pass "tracked sharpness is the top Hessian eigenvalue" || fail "tracked sharpness is the top Hessian eigenvalue"

msopt_np 2 slice $mlp -model_start run_track_acc0.50.h5 -slice_radius 0.01 -slice_points 21 -slice_out slice.h5 ||
  fail "slice"
$PY -c "
import h5py, sys
f = h5py.File('slice.h5')
t, l, s, c = f['t'][:], f['loss'][:], f['second_difference'][:], f.attrs['curvature_at_point'][0]
loss = h5py.File('grad.h5').attrs['loss'][0]
ok = len(t) == 21 and t[10] == 0 and abs(l[10] - loss) <= 1e-12 * loss and abs(s[9] - c) <= 1e-3 * abs(c)
sys.exit(0 if ok else 1)" && pass "slice: loss at the point, curvature by second differences" ||
  fail "slice: loss at the point, curvature by second differences"

# Neuron 1 of layer 0 has fan-in 25: its incoming weights are parameters 25..49.
msopt_np 2 spectrum $mlp -spec_point run.h5 -spec_neuron 0,1 -spec_floor 0 -spec_out neuron.h5 || fail "neuron spectrum"
msopt_np 2 spectrum $mlp -spec_point run.h5 -spec_range 25:50 -spec_floor 0 -spec_out range.h5 || fail "range spectrum"
$PY -c "
import h5py, numpy as np, sys
a, b = h5py.File('neuron.h5')['eigenvalues'][:], h5py.File('range.h5')['eigenvalues'][:]
sys.exit(0 if len(a) == 25 and np.allclose(a, b, rtol=0, atol=1e-12 * abs(a).max()) else 1)" &&
  pass "-spec_neuron 0,1 is the range 25:50" || fail "-spec_neuron 0,1 is the range 25:50"
msopt_np 2 spectrum $mlp -spec_neuron 5,0
grep -q "^msopt: error: .*layer 5 of a network with 2 layers" out.txt && pass "bad -spec_neuron refused" ||
  fail "bad -spec_neuron refused"

softmax="-data_file cls.h5 -model softmax -model_classes 4 -quiet -opt_type mrgd"
softmax="$softmax -spec_floor 1e-3 -spec_max_kappa 20 -mrgd_refresh 30 -opt_tol 1e-300"
for schedule in "theorem34 -spec_hessian class_blocks" \
  "chebyshev -spec_hessian full -spec_method largest -spec_nev 1 -mrgd_kappa 20"; do
  run="$softmax -mrgd_schedule $schedule"
  schedule=${schedule%% *}
  msopt_np 2 train $run -opt_max_it 200 -history_out sm_straight.h5 || fail "softmax mrgd $schedule straight"
  grep -q "mrgd: schedule rebuilt" out.txt && pass "mrgd ($schedule) rebuilds its schedule" ||
    fail "mrgd ($schedule) rebuilds its schedule"
  msopt_np 2 train $run -opt_max_it 130 -checkpoint_every 40 -checkpoint_file sm_ck.h5 || fail "softmax mrgd stopped"
  msopt_np 2 train $run -opt_max_it 200 -restart sm_ck.h5 -history_out sm_resumed.h5 || fail "softmax mrgd resumed"
  $PY -c "
import h5py, numpy as np, sys
a, b = h5py.File('sm_straight.h5'), h5py.File('sm_resumed.h5')
ok = np.array_equal(a['solution'][:], b['solution'][:]) and a['loss'][-1] < 0.7 * a['loss'][0]
sys.exit(0 if ok else 1)" && pass "mrgd ($schedule) with rebuilt rates learns, restart is bitwise" ||
    fail "mrgd ($schedule) with rebuilt rates learns, restart is bitwise"
  cp sm_straight.h5 sm_$schedule.h5
done
# Real data has a spectrum without gaps (PCA-aligned Fashion-MNIST, 1000 images): there Theorem 3.4's
# cycle is tens of thousands of steps long, and Chebyshev cycles on the top of the spectrum reach a
# loss far below both it and GD at 1.5 (the best rate of the 10,000-image sweep) in 300 evaluations.
msopt_np 2 data fashion-mnist -data_limit 1000 -data_out fm.h5 && msopt_np 2 data pca -data_file fm.h5 -data_out fmp.h5 ||
  fail "Fashion-MNIST subset"
fmnist="-options_file $SRC/runs/fmnist_softmax.opts -data_file fmp.h5 -quiet -opt_max_it 300"
msopt_np 2 train $fmnist -opt_type gd -opt_lr 1.5 -history_out fm_gd.h5 || fail "fmnist gd"
msopt_np 2 train $fmnist -opt_type mrgd -history_out fm_theorem34.h5 || fail "fmnist mrgd theorem34"
msopt_np 2 train $fmnist -opt_type mrgd -mrgd_schedule chebyshev -spec_hessian full -spec_method largest -spec_nev 1 \
  -mrgd_kappa 300 -history_out fm_chebyshev.h5 ||
  fail "fmnist mrgd chebyshev"
$PY -c "
import h5py, sys
gd, t34, cheb = (h5py.File(f'fm_{m}.h5')['loss'][-1] for m in ('gd', 'theorem34', 'chebyshev'))
print('final loss: gd', gd, 'theorem34', t34, 'chebyshev', cheb)
sys.exit(0 if cheb < 0.3 * min(gd, t34) else 1)" && pass "Chebyshev cycles beat GD and Theorem 3.4's on a gapless spectrum" ||
  fail "Chebyshev cycles beat GD and Theorem 3.4's on a gapless spectrum"

msopt_np 2 train $mlp -opt_type gd -opt_lr 0.5 -opt_max_it 3 -model_start run_track_acc0.50.h5 -history_out from.h5 ||
  fail "train from a snapshot"
$PY -c "
import h5py, sys
loss = h5py.File('grad.h5').attrs['loss'][0]
sys.exit(0 if abs(h5py.File('from.h5')['loss'][0] - loss) <= 1e-12 * loss else 1)" &&
  pass "-model_start starts where the snapshot is" || fail "-model_start starts where the snapshot is"
finish
