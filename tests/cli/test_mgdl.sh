#!/usr/bin/env bash
# msopt mgdl as a user runs it: the synthetic data of Section 5, MGDL on 1, 2
# and 3 ranks with the same result (to round-off), a run killed mid-grade and
# resumed ends bitwise equal (also through resumable_run of scripts/env.sh), SGDL (one deep grade) with the eigenvalues of
# I - eta H, MSDL, and the Figure 1 learning-rate sweep script (cut short).
source "$(dirname "$0")/cli_lib.sh" "$@"

msopt_np 2 data synthetic -data_setting 1 -data_n 1024 -data_out train.h5 || fail "training data"
msopt_np 1 data synthetic -data_setting 1 -data_n 1000 -data_sampling uniform -data_seed 2 -data_out val.h5 ||
  fail "validation data"
$PY - <<'PY' && pass "synthetic data: grid, uniform, eq. (5)" || fail "synthetic data: grid, uniform, eq. (5)"
import h5py, numpy as np
t, v = h5py.File("train.h5"), h5py.File("val.h5")
x, y = t["X"][:, 0], t["y"][:]
k, p = t.attrs["kappa"], t.attrs["phases"]
assert list(k) == [1, 5, 10] and np.array_equal(p, v.attrs["phases"])
assert np.allclose(x, np.linspace(0, 1, 1024), rtol=0, atol=1e-15)
assert np.allclose(y, np.sin(2 * np.pi * np.outer(x, k) + p).sum(axis=1), atol=1e-12)
xv = v["X"][:, 0]
assert len(xv) == 1000 and xv.min() > 0 and xv.max() < 1 and abs(xv.mean() - 0.5) < 0.05
PY

opts="-data_file train.h5 -mgdl_validation val.h5 -mgdl_grades 1-16-1,16-16-1,16-16-1 -opt_type gd -opt_lr 0.05 -opt_max_it 400 -quiet"
for n in 1 2 3; do
  msopt_np $n mgdl $opts -mgdl_out np$n.h5 || fail "mgdl on $n ranks"
done
$PY - <<'PY' && pass "mgdl: 1, 2, 3 ranks agree to round-off" || fail "mgdl: 1, 2, 3 ranks agree to round-off"
import h5py, numpy as np
a = h5py.File("np1.h5")
for n in (2, 3):
    b = h5py.File(f"np{n}.h5")
    assert set(a.keys()) == set(b.keys())
    for k in a.keys():
        assert np.allclose(a[k][:], b[k][:], rtol=1e-9, atol=1e-12), (n, k)
for l in (1, 2, 3):
    t = a[f"grade{l}_train_loss"][:]
    assert len(t) == 400 and len(a[f"grade{l}_validation_loss"][:]) == 400 and t[-1] < t[0], l
assert a["final_train_loss"][0] < a["grade1_train_loss"][-1]
PY
grep -q "^1,1," np1.csv && [ "$(wc -l <np1.csv)" -eq 1201 ] && pass "mgdl: CSV of the losses" || fail "mgdl: CSV of the losses"

# Progress lines: with an unreachable tolerance the ETA is the time left to -opt_max_it, not the extrapolation.
msopt_np 1 mgdl -data_file train.h5 -mgdl_grades 1-16-1 -opt_lr 0.05 -opt_max_it 300 -opt_tol 1e-300 \
  -progress_seconds 0 -mgdl_out progress.h5 && $PY - <<'PY' && pass "progress: ETA to -opt_max_it" ||
import re
lines = [re.search(r"it +(\d+) .* ([\d.]+) it/s  ETA (\d+)s", l) for l in open("out.txt") if l.startswith("  it ")]
assert len(lines) == 300 and all(lines)
assert all(int(m[3]) <= (300 - int(m[1])) / float(m[2]) + 1 for m in lines)
PY
  fail "progress: ETA to -opt_max_it"

# Killed mid-grade (grade 2, or 3 on a busy machine), resumed on the same ranks: bitwise equal.
msopt_np 2 mgdl $opts -opt_max_it 3000 -mgdl_out ref.h5 || fail "uninterrupted run"
kill_mid_grade killed.h5 mgdl $opts -opt_max_it 3000 -checkpoint_every 100 -mgdl_out killed.h5 &&
  pass "killed during grade $KILLED_GRADE" || fail "killed mid-grade"
mkdir -p script/checkpoints  # a copy of the cut-off run for resumable_run below
for f in ck.*; do cp "$f" "script/checkpoints/t_resumed${f#ck}"; done
msopt_np 2 mgdl $opts -opt_max_it 3000 -checkpoint_every 100 -checkpoint_file ck.h5 -restart ck.h5 -mgdl_out resumed.h5
if grep -q "resuming after $((KILLED_GRADE - 1)) finished grade" out.txt &&
  grep -q "resumed from ck.grade$KILLED_GRADE" out.txt && $PY - <<'PY'
import h5py, numpy as np, sys
a, b = h5py.File("ref.h5"), h5py.File("resumed.h5")
sys.exit(0 if set(a.keys()) == set(b.keys()) and all(np.array_equal(a[k][:], b[k][:]) for k in a.keys()) else 1)
PY
then pass "mgdl: resumed mid-grade, bitwise equal"; else fail "mgdl: resumed mid-grade, bitwise equal"; fi
# resumable_run (scripts/env.sh, behind the image scripts) resumes that cut-off run, then keeps the finished one.
(
  MSOPT_BIN=$MSOPT MSOPT_RANKS=2
  source "$SRC/scripts/env.sh"
  for try in 1 2; do resumable_run script resumed t mgdl $opts -opt_max_it 3000 -mgdl_out script/resumed.h5; done
) >out.txt 2>&1
if grep -q "resuming from script/checkpoints/t_resumed.h5" out.txt && grep -q "resumed: kept from an earlier run" out.txt &&
  grep -q "resumed from script/checkpoints/t_resumed.grade$KILLED_GRADE" script/resumed.log &&
  [ "$(cat script/resumed.done)" = t ] && grep -q "^resumed,[0-9.]*$" script/times.csv &&
  [ -z "$(ls script/checkpoints)" ] && $PY - <<'PY'
import h5py, numpy as np, sys
a, b = h5py.File("ref.h5"), h5py.File("script/resumed.h5")
sys.exit(0 if set(a.keys()) == set(b.keys()) and all(np.array_equal(a[k][:], b[k][:]) for k in a.keys()) else 1)
PY
then pass "resumable_run: resumes bitwise, then keeps the result"; else fail "resumable_run: resumes bitwise, then keeps the result"; fi

# SGDL = one deep grade ((26)), with the eigenvalues of I - eta H every 50 iterations (Section 6).
msopt_np 2 mgdl -data_file train.h5 -mgdl_grades 1-16-16-16-1 -opt_lr 0.02 -opt_max_it 120 -mgdl_eig_every 50 \
  -mgdl_eig_nev 5 -mgdl_out sgdl.h5 -quiet || fail "sgdl"
$PY - <<'PY' && pass "sgdl: eigenvalues of I - eta H recorded" || fail "sgdl: eigenvalues of I - eta H recorded"
import h5py, numpy as np
f = h5py.File("sgdl.h5")
assert list(f["grade1_eig_evaluations"][:]) == [1, 51, 101]
s, l = f["grade1_eig_smallest"][:].reshape(3, 5), f["grade1_eig_largest"][:].reshape(3, 5)
assert np.all(np.diff(s, axis=1) >= 0) and np.all(np.diff(l, axis=1) <= 0) and np.all(s[:, 0] < l[:, 0])
assert np.all(np.isfinite(s)) and np.all(s[:, 0] < 1)
PY
[ "$(wc -l <sgdl_eig.csv)" -eq 4 ] && pass "sgdl: eigenvalue CSV" || fail "sgdl: eigenvalue CSV"

# A diverging grade: its record is still written (marked diverged), one error line, non-zero exit.
msopt_np 2 mgdl -data_file train.h5 -mgdl_grades 1-16-16-16-1 -opt_lr 3 -opt_max_it 50 -mgdl_out diverged.h5 -quiet
[ $? -ne 0 ] && [ "$(grep -c '^msopt: error: grade 1 diverged: ' out.txt)" -eq 1 ] && $PY - <<'PY' &&
import h5py
assert h5py.File("diverged.h5").attrs["grade1_diverged"][0] == 1
PY
  pass "diverging grade: recorded, one error line, non-zero exit" ||
  fail "diverging grade: recorded, one error line, non-zero exit"

# MSDL (Appendix D): four sub-networks on inputs scaled by 1, 2, 4, 8.
msopt_np 2 mgdl -data_file train.h5 -mgdl_validation val.h5 -mgdl_model msdl -opt_lr 0.004 -opt_max_it 200 \
  -mgdl_patience 50 -mgdl_out msdl.h5 -quiet && grep -q "grade 1/1 \[1-8-8-8-8-1\], 964 parameters" out.txt &&
  pass "msdl trains" || fail "msdl trains"
# The Figure 1 sweep script, cut to 20 epochs and two rates: a plot, a table, and NaN for SGDL at eta = 3.
if MSOPT_BIN=$MSOPT MSOPT_JOBS=2 timeout 300 bash "$SRC/scripts/mgdl_lr_sweep.sh" -e 20 -r "0.01 3" "$WORK/sweep" >out.txt 2>&1 &&
  [ -s sweep/mgdl_lr_sweep_setting1.png ] && grep -q "^sgdl,3.0,nan,nan" sweep/mgdl_lr_sweep_setting1.csv &&
  grep -q "^mgdl,0.01,[0-9]" sweep/mgdl_lr_sweep_setting1.csv; then pass "learning-rate sweep script"
else fail "learning-rate sweep script"; fi
finish
