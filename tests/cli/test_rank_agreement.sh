#!/usr/bin/env bash
# The same seed gives the same file on 1 and 3 ranks; training agrees across
# 1, 2 and 3 ranks to 1e-12; a stopped and resumed run ends bitwise equal.
source "$(dirname "$0")/cli_lib.sh" "$@"
data_opts="-data_n 3001 -data_dims 30,10 -data_scales 1,0.0316 -data_rotate -data_shift 0.5 -data_target teacher"
msopt_np 1 data multiscale $data_opts -data_out d1.h5 || fail "data on 1 rank"
msopt_np 3 data multiscale $data_opts -data_out d3.h5 || fail "data on 3 ranks"
$PY -c "
import h5py, numpy as np, sys
a, b = h5py.File('d1.h5'), h5py.File('d3.h5')
same = all(np.array_equal(a[k][:], b[k][:]) for k in ('X', 'y'))
sys.exit(0 if same and a['X'].shape == (3001, 40) else 1)" && pass "data identical on 1 and 3 ranks" || fail "data identical on 1 and 3 ranks"

msopt_np 1 data pca -data_file d1.h5 -data_out pca1.h5 || fail "pca on 1 rank"
msopt_np 3 data pca -data_file d1.h5 -data_out pca3.h5 || fail "pca on 3 ranks"
$PY -c "
import h5py, numpy as np, sys
a, b = h5py.File('pca1.h5'), h5py.File('pca3.h5')
v = a.attrs['pca_principal_values']
diag = np.cov(a['X'][:].T, bias=True)
ok = np.allclose(v, b.attrs['pca_principal_values'], rtol=0, atol=1e-12 * v[0]) and np.all(np.diff(v) <= 0)
ok &= np.allclose(diag, np.diag(v), atol=1e-10 * v[0]) and np.allclose(a['X'][:], b['X'][:], atol=1e-8)
sys.exit(0 if ok else 1)" && pass "data pca: diagonal covariance, same on 1 and 3 ranks" || fail "data pca"

msopt_np 1 data multiscale -data_n 3001 -data_dims 30,10 -data_scales 1,0.0316 -data_rotate -data_out fig.h5 || fail "data"
for type in mrgd heavyball nesterov gd cg ksp_chebyshev; do
  for ranks in 1 2 3; do
    msopt_np $ranks train -data_file fig.h5 -opt_type $type -opt_max_it 300 -opt_tol 1e-11 -quiet -history_out ${type}_np$ranks.h5 ||
      fail "$type on $ranks ranks"
  done
  $PY -c "
import h5py, numpy as np, sys
w = [h5py.File('${type}_np%d.h5' % k)['solution'][:] for k in (1, 2, 3)]
err = max(np.linalg.norm(x - w[0]) / np.linalg.norm(w[0]) for x in w[1:])
print('  $type: largest relative difference across ranks %.2e' % err)
sys.exit(0 if err <= 1e-12 else 1)" && pass "$type agrees across 1, 2, 3 ranks" || fail "$type agrees across 1, 2, 3 ranks"
done

train_opts="-data_file fig.h5 -opt_type mrgd -opt_tol 1e-300 -quiet"
msopt_np 2 train $train_opts -opt_max_it 250 -history_out straight.h5 || fail "straight run"
msopt_np 2 train $train_opts -opt_max_it 170 -checkpoint_every 40 -checkpoint_file ck.h5 || fail "stopped run"
msopt_np 2 train $train_opts -opt_max_it 250 -restart ck.h5 -history_out resumed.h5 || fail "resumed run"
grep -q "resumed from ck.0000000160.h5 at evaluation 160" out.txt && pass "resume reports where it starts" || fail "resume reports where it starts"
$PY -c "
import h5py, numpy as np, sys
a, b = h5py.File('straight.h5'), h5py.File('resumed.h5')
sys.exit(0 if np.array_equal(a['solution'][:], b['solution'][:]) and np.array_equal(a['residual'][:], b['residual'][:]) else 1)" &&
  pass "restart is bitwise" || fail "restart is bitwise"
finish
