#!/usr/bin/env bash
# Bad input ends with one clear line, a non-zero exit on every rank, no hang,
# no crash, and no good output overwritten (keep.h5 / keep.csv are checked).
source "$(dirname "$0")/cli_lib.sh" "$@"

msopt_np 2 data multiscale -data_n 2000 -data_dims 16,4 -data_scales 1,0.0316 -data_out good.h5 || fail "fixture data"
msopt_np 2 train -data_file good.h5 -opt_type mrgd -history_out keep.h5 -quiet || fail "fixture history"
msopt_np 2 train -data_file good.h5 -opt_type gd -opt_max_it 60 -checkpoint_every 50 -checkpoint_file gd_ck.h5 -quiet ||
  fail "fixture checkpoint"
msopt_np 1 data multiscale -data_n 500 -data_dims 12 -data_scales 1 -data_out onescale.h5 || fail "fixture one scale"
msopt_np 1 data multiscale -data_n 5 -data_dims 10 -data_scales 1 -data_out singular.h5 || fail "fixture singular"
msopt_np 1 data multiscale -data_n 300 -data_dims 5,5 -data_scales 1,0.01 -data_out other.h5 || fail "fixture other"
echo "this is not HDF5" >text.h5
$PY - <<'PY' || fail "fixture files"
import h5py, numpy as np
with h5py.File('noX.h5', 'w') as f: f['Z'] = np.zeros((3, 2))
with h5py.File('shape.h5', 'w') as f: f['X'] = np.ones((10, 3)); f['y'] = np.ones(9)
with h5py.File('flat.h5', 'w') as f: f['X'] = np.ones(10); f['y'] = np.ones(10)
with h5py.File('nan.h5', 'w') as f:
    X = np.random.default_rng(1).normal(size=(50, 4)); X[37, 2] = np.nan
    f['X'] = X; f['y'] = np.ones(50)
with h5py.File('inf.h5', 'w') as f:
    f['X'] = np.ones((50, 4)); y = np.ones(50); y[3] = np.inf; f['y'] = y
PY
cp gd_ck.0000000050.h5 truncated_ck.h5 && truncate -s 600 truncated_ck.h5
keep_sum() { md5sum keep.h5 keep.csv good.h5 gd_ck.0000000050.h5 | md5sum; }
before=$(keep_sum)

# expect_error NAME REGEX ARGS...: fails unless msopt exits non-zero with one
# "msopt: error:" line matching REGEX, and nothing crashed or was overwritten.
expect_error() {
  local name=$1 regex=$2
  shift 2
  msopt_np 2 "$@"
  local code=$?
  local lines
  lines=$(grep -c "^msopt: error:" out.txt)
  if [ "$code" -eq 0 ]; then fail "$name: exit code 0"
  elif [ "$code" -eq 124 ]; then fail "$name: hang (timeout)"
  elif [ "$lines" -ne 1 ]; then fail "$name: $lines error lines instead of one"
  elif ! grep -q -E "^msopt: error:.*$regex" out.txt; then fail "$name: message does not match /$regex/"
  elif grep -q -i -E "segmentation|signal|MPI_ABORT|traceback" out.txt; then fail "$name: crashed"
  elif [ "$(keep_sum)" != "$before" ]; then fail "$name: a good output was overwritten"
  else pass "$name"
  fi
}

T="train -quiet -history_out keep.h5"
expect_error "missing data file" "cannot read file 'absent.h5'" $T -data_file absent.h5
expect_error "not an HDF5 file" "not a readable HDF5 file" $T -data_file text.h5
expect_error "wrong dataset names" "no datasets /X and /y" $T -data_file noX.h5
expect_error "y shorter than X" "/y must have one entry per row" $T -data_file shape.h5
expect_error "one-dimensional X" "two-dimensional" $T -data_file flat.h5
expect_error "NaN in X" "non-finite value.*row 37" $T -data_file nan.h5
expect_error "Inf in y" "non-finite value.*row 3" $T -data_file inf.h5
expect_error "negative rate" "option -opt_lr: must be positive" $T -data_file good.h5 -opt_type gd -opt_lr -1
expect_error "zero rate" "option -opt_lr: must be positive" $T -data_file good.h5 -opt_type heavyball -opt_lr 0
expect_error "negative MrGD rate" "option -mrgd_rates: every rate must be positive" $T -data_file good.h5 -mrgd_rates 0.5,-3
expect_error "MrGD rates per group" "3 rates for 2 scale groups" $T -data_file good.h5 -mrgd_rates 0.5,5,50
expect_error "zero MrGD count" "option -mrgd_counts: every count must be positive" $T -data_file good.h5 -mrgd_counts 0,1
expect_error "MrGD eta below 1" "option -mrgd_eta: must be at least 1" $T -data_file good.h5 -mrgd_eta 0.5
expect_error "zero tolerance" "option -opt_tol: must be positive" $T -data_file good.h5 -opt_tol 0
expect_error "negative tolerance" "option -opt_tol: must be positive" $T -data_file good.h5 -opt_tol -1e-8
expect_error "non-numeric iteration cap" "option -opt_max_it: expected an integer" $T -data_file good.h5 -opt_max_it many
expect_error "momentum out of range" "option -opt_momentum: must be in" $T -data_file good.h5 -opt_type nesterov -opt_momentum 1.5
expect_error "unknown optimizer" "option -opt_type: unknown value 'sgd'" $T -data_file good.h5 -opt_type sgd
expect_error "no scale groups" "no detectable scale groups" $T -data_file onescale.h5 -opt_type mrgd
expect_error "singular covariance" "non-positive eigenvalue" $T -data_file singular.h5
expect_error "gap ratio" "option -spec_gap_ratio: must be larger than 1" $T -data_file good.h5 -spec_gap_ratio 0.5
expect_error "restart from another problem" "belongs to another problem" $T -data_file other.h5 -opt_type gd -restart gd_ck.h5
expect_error "restart from another method" "written by -opt_type gd, not heavyball" $T -data_file good.h5 -opt_type heavyball -restart gd_ck.h5
expect_error "restart from a text file" "not a readable HDF5 file" $T -data_file good.h5 -restart text.h5
expect_error "restart from a truncated file" "not a readable HDF5 file" $T -data_file good.h5 -opt_type gd -restart truncated_ck.h5
expect_error "KSP with checkpoints" "KSP baselines do not checkpoint" $T -data_file good.h5 -opt_type cg -checkpoint_every 5
expect_error "spectrum file missing" "cannot read file 'nospec.h5'" $T -data_file good.h5 -spec_file nospec.h5
expect_error "spectrum file of wrong kind" "not an msopt spectrum file" $T -data_file good.h5 -spec_file good.h5
expect_error "data: dims and scales differ" "-data_dims and -data_scales must have the same length" data multiscale -data_dims 80,20 -data_scales 1 -data_out good.h5
expect_error "data: zero samples" "option -data_n: must be positive" data multiscale -data_n 0 -data_out good.h5
expect_error "data: negative scale" "every scale must be positive" data multiscale -data_dims 4,4 -data_scales 1,-0.1 -data_out good.h5
expect_error "data: missing directory" "cannot create file 'nodir/x.h5.tmp'" data multiscale -data_n 10 -data_out nodir/x.h5
expect_error "data: unknown source" "unknown data source 'cifar'" data cifar
expect_error "unknown command" "unknown command 'fit'" fit
expect_error "missing -data_file" "option -data_file: is required" spectrum

# Divergence: a clear message, the last good checkpoint kept (finite, earlier than the blow-up).
cp keep.h5 diverge_history.h5
msopt_np 2 train -data_file good.h5 -opt_type gd -opt_lr 3 -checkpoint_every 10 -checkpoint_file div_ck.h5 -quiet
code=$?
if [ $code -ne 0 ] && grep -q "^msopt: error: diverged" out.txt &&
  $PY -c "import glob,h5py,numpy as np,sys; f=h5py.File(sorted(glob.glob('div_ck.*.h5'))[-1]); sys.exit(0 if np.isfinite(f['parameters'][:]).all() else 1)"; then
  pass "divergence keeps the last good checkpoint"
else
  fail "divergence keeps the last good checkpoint"
fi

# -help lists each command's own options and exits 0; so does a run without mpiexec.
for cmd in "data multiscale" spectrum train; do
  if timeout 60 "$MSOPT" $cmd -help >out.txt 2>&1 && grep -q -E "^msopt $cmd: " out.txt && grep -q -E "^  -(data|spec|opt)_" out.txt &&
    ! grep -q "PetscDevice" out.txt; then pass "$cmd -help"; else fail "$cmd -help"; fi
done
finish
