#!/usr/bin/env bash
# The synthetic-data experiments of the MGDL paper as a user runs them, cut to
# a few hundred epochs: the Figure 1 learning-rate sweep (plot, table, rate
# intervals; the interval code also against a hand-made table), the Sections
# 6-7 driver (eigenvalue CSV columns and order, figures, predictions, summary),
# and the recorded eigenvalues 1 - eta*mu of I - eta H against the Hessian
# eigenvalues mu from `msopt spectrum` at the same saved SGDL iterate.
source "$(dirname "$0")/cli_lib.sh" "$@"
export MSOPT_BIN=$MSOPT MSOPT_JOBS=1 MSOPT_RANKS=1

# Interval of rates with loss below a threshold, on a table made by hand: SGDL
# below 1e-3 on [0.03, 0.08] (and alone at 0.3), MGDL on [0.01, 0.3], NaN at 0.5.
cat >table.csv <<'CSV'
model,rate,final_train_loss
sgdl,0.001,0.2
sgdl,0.01,0.002
sgdl,0.03,0.0009
sgdl,0.05,0.0002
sgdl,0.08,0.0005
sgdl,0.1,0.004
sgdl,0.3,0.0007
sgdl,0.5,nan
mgdl,0.001,0.01
mgdl,0.01,0.0008
mgdl,0.03,0.0001
mgdl,0.1,0.0002
mgdl,0.3,0.0009
mgdl,0.5,0.002
CSV
$PY "$SRC/scripts/plot_mgdl_lr_sweep.py" --intervals table.csv --thresholds 1e-3,inf >out.txt 2>&1
if grep -q "^SGDL: final train loss < 0.001 for eta in \[0.03, 0.08\] (0.43 decades, 3 rates); 1 of 8" out.txt &&
  grep -q "^MGDL: final train loss < 0.001 for eta in \[0.01, 0.3\] (1.48 decades, 4 rates); 0 of 6" out.txt &&
  grep -q "^SGDL: final train loss < inf for eta in \[0.001, 0.3\]" out.txt &&
  grep -q "^MGDL: final train loss < inf for eta in \[0.001, 0.5\]" out.txt; then
  pass "rate intervals of a hand-made table"
else fail "rate intervals of a hand-made table"; fi

# Figures 1 and 28 sweep: 200 epochs per grade, three rates, three models, SGDL diverging at 3.
t0=$SECONDS
if timeout 300 bash "$SRC/scripts/mgdl_lr_sweep.sh" -e 200 -r "0.05 0.5 3" "$WORK/sweep" >out.txt 2>&1 &&
  [ -s sweep/mgdl_lr_sweep_setting1.png ] && $PY - <<'PY'; then
import csv, math
rows = list(csv.DictReader(open("sweep/mgdl_lr_sweep_setting1.csv")))
assert [(r["model"], float(r["rate"])) for r in rows] == [(m, x) for m in ("mgdl", "msdl", "sgdl") for x in (0.05, 0.5, 3)]
by = {(r["model"], float(r["rate"])): r for r in rows}
assert by["sgdl", 3.0]["diverged"] == "1" and math.isnan(float(by["sgdl", 3.0]["final_train_loss"]))
for key in [("mgdl", 0.05), ("mgdl", 0.5), ("sgdl", 0.05), ("msdl", 0.05)]:
    r = by[key]
    assert r["diverged"] == "0", key
    for k in ("final_train_loss", "final_validation_loss", "last_train_loss"):
        assert 0 < float(r[k]) < 2, (key, k)   # zero predictor: 0.75
ivs = {(r["model"], r["threshold"]): r for r in csv.DictReader(open("sweep/mgdl_lr_sweep_setting1_intervals.csv"))}
assert set(ivs) == {(m, t) for m in ("sgdl", "mgdl", "msdl") for t in ("0.001", "0.01", "inf")}
s = ivs["sgdl", "inf"]   # the finite (not diverged) rates: stops before 3
assert float(s["low"]) == 0.05 and float(s["high"]) <= 0.5 and int(s["diverged"]) >= 1
for (m, t), r in ivs.items():   # every interval agrees with the table
    if int(r["rates_in_interval"]):
        inside = [x for x in rows if x["model"] == m and float(r["low"]) <= float(x["rate"]) <= float(r["high"])]
        assert len(inside) == int(r["rates_in_interval"]) and all(float(x["final_train_loss"]) < float(t) for x in inside)
PY
  pass "learning-rate sweep: plot, table and intervals ($((SECONDS - t0)) s)"
else fail "learning-rate sweep: plot, table and intervals"; fi

# Sections 6-7 driver: SGDL, MGDL (4 grades), MSDL on Setting 1, 100 epochs, eigenvalues every 50.
t0=$SECONDS
if timeout 300 bash "$SRC/scripts/mgdl_eigenvalues.sh" -s 1 -e 100 -k 50 "$WORK/eig" >out.txt 2>&1 &&
  for f in mgdl_eig_setting1.png mgdl_msdl_setting1.png mgdl_predictions_setting1.png; do [ -s eig/$f ] || exit 1; done &&
  $PY - <<'PY'; then
import csv, h5py, numpy as np
rates = {"sgdl": 0.08, "mgdl": 0.06, "msdl": 0.004}
for model, grades in (("sgdl", 1), ("mgdl", 4), ("msdl", 1)):
    rows = list(csv.reader(open(f"eig/eigenvalues_setting1/{model}_eig.csv")))
    head, body = rows[0], np.array(rows[1:], dtype=float)
    assert head == ["grade", "evaluation"] + [f"smallest_{k}" for k in range(10)] + [f"largest_{k}" for k in range(10)]
    assert body.shape == (2 * grades, 22), (model, body.shape)
    assert list(body[:, 0]) == [g for g in range(1, grades + 1) for _ in (0, 1)] and set(body[:, 1]) == {1, 51}
    s, l = body[:, 2:12], body[:, 12:]
    assert np.all(np.isfinite(body)) and np.all(np.diff(s, axis=1) >= 0) and np.all(np.diff(l, axis=1) <= 0)
    assert np.all(s[:, 0] <= l[:, 0]), model
    f = h5py.File(f"eig/eigenvalues_setting1/{model}.h5")
    method = f.attrs["method"].decode() if isinstance(f.attrs["method"], bytes) else f.attrs["method"]
    assert float(method.split("rate ")[-1]) == rates[model], method
    assert np.allclose(f["grade1_eig_smallest"][:].reshape(-1, 10), s[:2], rtol=0, atol=0)
    loss = list(csv.DictReader(open(f"eig/eigenvalues_setting1/{model}.csv")))
    assert len(loss) == 100 * grades and all(0 < float(r["train_loss"]) < 2 for r in loss)
    x, y, p = f["x_train"][:], f["y_train"][:], f["prediction_train"][:]
    assert np.allclose(x, np.linspace(0, 1, 1024)) and np.all(np.isfinite(p)) and p.std() > 0
    assert abs(0.5 * np.mean((p - y) ** 2) - f["final_train_loss"][0]) < 1e-12
summary = {r["model"]: r for r in csv.DictReader(open("eig/mgdl_summary_setting1.csv"))}
assert set(summary) == set(rates) and summary["mgdl"]["epochs"] == "400" and summary["sgdl"]["eig_evaluations"] == "2"
PY
  pass "eigenvalue driver: CSV columns and order, figures, predictions ($((SECONDS - t0)) s)"
else fail "eigenvalue driver: CSV columns and order, figures, predictions"; fi

# The recorded 1 - eta*mu against `msopt spectrum` at the saved SGDL iterate (the
# best-validation one: its evaluation is a recorded row, with eigenvalues every step).
# One scale group (-spec_gap_ratio 1e300): spectrum's MrGD rate selection stops
# with an error on this indefinite Hessian before writing -spec_out otherwise.
d=eig/eigenvalues_setting1
msopt_np 1 mgdl -data_file $d/train.h5 -mgdl_validation $d/validation.h5 -mgdl_grades 1-16-16-1 -opt_lr 0.08 \
  -opt_max_it 12 -mgdl_eig_every 1 -mgdl_eig_nev 5 -mgdl_out small.h5 -quiet || fail "small SGDL run"
$PY -c "
import h5py; f = h5py.File('small.h5'); g = h5py.File('point.h5', 'w')
g['parameters'] = f['grade1_parameters'][:]" || fail "saved iterate"
if msopt_np 1 spectrum -model mlp -mlp_hidden 16,16 -mlp_loss least_squares -mlp_activation relu \
  -data_file $d/train.h5 -spec_point point.h5 -spec_method all -spec_gap_ratio 1e300 -spec_out spectrum.h5 &&
  $PY - <<'PY'; then
import h5py, numpy as np
f, mu = h5py.File("small.h5"), np.sort(h5py.File("spectrum.h5")["eigenvalues"][:])[::-1]
best = int(f["grade1_best_evaluation"][0])
row = list(f["grade1_eig_evaluations"][:]).index(best)
s, l = f["grade1_eig_smallest"][:].reshape(-1, 5)[row], f["grade1_eig_largest"][:].reshape(-1, 5)[row]
assert len(mu) == 321
assert np.allclose(s, 1 - 0.08 * mu[:5], rtol=0, atol=1e-6), (s, 1 - 0.08 * mu[:5])
assert np.allclose(l, 1 - 0.08 * mu[::-1][:5], rtol=0, atol=1e-6), (l, 1 - 0.08 * mu[::-1][:5])
PY
  pass "eigenvalues of I - eta H = 1 - eta x msopt spectrum's Hessian eigenvalues"
else fail "eigenvalues of I - eta H = 1 - eta x msopt spectrum's Hessian eigenvalues"; fi
finish
