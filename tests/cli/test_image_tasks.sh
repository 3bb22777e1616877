#!/usr/bin/env bash
# The MGDL paper's image tasks (Section 4) as a user runs them, on a generated
# 32 x 32 PNG and 2 ranks: image regression with the PSNR of eq. (34) per
# grade and on the -mgdl_test set (checked against a python recomputation
# from the stored predictions), MGDL and SGDL; `msopt restore` denoising and
# deblurring (TV loss, Appendix C): stored PSNRs, eps_l = RMS(f_hat - A g_{l-1})
# and the observation checked in python, ranks agree, and a run killed in
# grade 2 and resumed (u from the checkpoint) ends bitwise equal.
source "$(dirname "$0")/cli_lib.sh" "$@"

# A 32 x 32 8-bit grayscale PNG: smooth shading, a bright disc and a dark bar.
$PY - <<'PY' || fail "test image"
import struct, zlib
import numpy as np
r, c = np.mgrid[0:32, 0:32]
img = 60 + 3 * c + 2 * r + 90 * ((r - 12) ** 2 + (c - 18) ** 2 < 49) - 50 * ((r > 22) & (r < 27) & (c > 4))
img = np.clip(img, 0, 255).astype(np.uint8)
def chunk(kind, payload):
    return struct.pack(">I", len(payload)) + kind + payload + struct.pack(">I", zlib.crc32(kind + payload))
raw = b"".join(b"\0" + row.tobytes() for row in img)
png = b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 32, 32, 8, 0, 0, 0, 0))
png += chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b"")
open("img.png", "wb").write(png)
PY
msopt_np 2 data image -data_png img.png -data_split all -data_out img.h5 || fail "image splits"

# Image regression: MGDL (two grades) and SGDL (one deep grade), PSNR per grade and on the test set.
common="-data_file img_train.h5 -mgdl_validation img_validation.h5 -mgdl_test img_test.h5 -opt_type adam -opt_lr 0.003
  -opt_max_it 150 -mgdl_predictions -quiet"
msopt_np 2 mgdl $common -mgdl_grades 2-24-24-1,24-24-24-1 -mgdl_out mgdl.h5 && cp out.txt mgdl.txt || fail "regression: mgdl"
msopt_np 2 mgdl $common -mgdl_grades 2-24-24-24-24-1 -mgdl_out sgdl.h5 && cp out.txt sgdl.txt || fail "regression: sgdl"
grep -q "^mgdl: grade 2 PSNR (eq. 34): train [0-9.]* dB, validation [0-9.]* dB, test [0-9.]* dB" mgdl.txt &&
  grep -q "^mgdl: grade 1 PSNR" sgdl.txt && ! grep -q "^mgdl: grade 2 PSNR" sgdl.txt &&
  pass "regression: PSNR printed per grade" || fail "regression: PSNR printed per grade"
$PY - <<'PY' && pass "regression: TrPSNR/VaPSNR/TePSNR = -10 log10 MSE of the stored predictions" ||
import h5py, numpy as np
for name, grades in (("mgdl", 2), ("sgdl", 1)):
    f = h5py.File(name + ".h5")
    assert len(f["prediction_test"][:]) == 32 * 32 and len(f["prediction_train"][:]) == 16 * 16
    for s in ("train", "validation", "test"):
        y, p = f["y_" + s][:], f["prediction_" + s][:]
        mse = np.mean((y - p) ** 2)
        assert abs(f[f"final_{s}_psnr"][0] + 10 * np.log10(mse)) < 1e-9, (name, s)
        assert abs(f[f"final_{s}_loss"][0] - 0.5 * mse) < 1e-12, (name, s)
        per_grade = f[f"grade_{s}_psnr"][:]
        assert len(per_grade) == grades and per_grade[-1] == f[f"final_{s}_psnr"][0], (name, s)
    assert np.array_equal(f["y_test"][:], h5py.File("img_test.h5")["y"][:])
m = h5py.File("mgdl.h5")["grade_test_psnr"][:]
assert m[1] > m[0], m  # grade 2 improves on grade 1
PY
  fail "regression: TrPSNR/VaPSNR/TePSNR = -10 log10 MSE of the stored predictions"
# Targets outside [0, 1] (the synthetic sin sums): no PSNR.
msopt_np 1 data synthetic -data_setting 1 -data_n 64 -data_out syn.h5 &&
  msopt_np 2 mgdl -data_file syn.h5 -mgdl_grades 1-8-1 -opt_lr 0.01 -opt_max_it 5 -mgdl_out syn_out.h5 -quiet &&
  ! grep -q PSNR out.txt && $PY -c "import h5py,sys; sys.exit('final_train_psnr' in h5py.File('syn_out.h5'))" &&
  pass "regression: no PSNR for targets outside [0, 1]" || fail "regression: no PSNR for targets outside [0, 1]"

# Denoising (sigma 25) by two MGDL grades: PSNRs, eps_2 and the observation recomputed.
tv="-data_png img.png -tv_lambda 0.05 -tv_beta 10 -opt_lr 0.003 -quiet"
msopt_np 2 restore $tv -restore_noise 25 -mgdl_grades 2-16-16-1,16-16-16-1 -opt_max_it 60 -restore_out dn.h5 ||
  fail "restore: denoise"
grep -q "^restore: grade 2/2 \[16-16-16-1\], 561 parameters, eps 0\.[0-9]*: 60 iterations" out.txt &&
  grep -q "^restore: final PSNR" out.txt && pass "restore: denoise runs two grades" || fail "restore: denoise runs two grades"
$PY - <<'PY' && pass "restore: PSNR, eps_2 = RMS(f_hat - g_1), noise of sigma 25/255" ||
import h5py, numpy as np
f = h5py.File("dn.h5")
clean, obs, rec = f["clean"][:], f["observed"][:], f["reconstruction"][:]
psnr = lambda a, b: -10 * np.log10(np.mean((a - b) ** 2))
assert list(f["image_shape"][:]) == [32, 32] and len(clean) == 1024
assert np.array_equal(clean, h5py.File("img_test.h5")["y"][:])
assert abs(f["observed_psnr"][0] - psnr(clean, obs)) < 1e-9 and abs(f["final_psnr"][0] - psnr(clean, rec)) < 1e-9
assert abs((obs - clean).std() - 25 / 255) < 0.1 * 25 / 255 and abs((obs - clean).mean()) < 0.01
g1 = f["grade1_image"][:]
assert f["grade1_eps"][0] == 1 and abs(f["grade2_eps"][0] - np.sqrt(np.mean((obs - g1) ** 2))) < 1e-12
assert np.array_equal(f["grade2_image"][:], rec) and abs(f["grade1_final_psnr"][0] - psnr(clean, g1)) < 1e-9
h = f["grade2_psnr"][:]
assert len(h) == 60 and np.all(np.isfinite(h)) and list(f["grade2_psnr_evaluations"][:]) == list(range(1, 61))
assert f["final_psnr"][0] > f["grade1_final_psnr"][0]  # grade 2 improves on grade 1
rows = open("dn_psnr.csv").read().splitlines()
assert rows[0] == "grade,evaluation,psnr" and len(rows) == 121
PY
  fail "restore: PSNR, eps_2 = RMS(f_hat - g_1), noise of sigma 25/255"
for n in 1 3; do
  msopt_np $n restore $tv -restore_noise 25 -mgdl_grades 2-16-16-1,16-16-16-1 -opt_max_it 60 -restore_out dn$n.h5 ||
    fail "restore on $n ranks"
done
$PY - <<'PY' && pass "restore: 1, 2, 3 ranks agree to round-off" || fail "restore: 1, 2, 3 ranks agree to round-off"
import h5py, numpy as np
a = h5py.File("dn.h5")
for n in (1, 3):
    b = h5py.File(f"dn{n}.h5")
    assert np.array_equal(a["observed"][:], b["observed"][:]), n  # the noise depends on (seed, pixel) only
    for k in ("reconstruction", "grade2_psnr", "grade1_parameters"):
        assert np.allclose(a[k][:], b[k][:], rtol=1e-7, atol=1e-9), (n, k)
PY

# Deblurring (sigma-hat 1, noise 3) by SGDL (one deep grade).
msopt_np 2 restore $tv -restore_task deblur -restore_blur 1 -mgdl_grades 2-16-16-16-1 -opt_max_it 40 -restore_psnr_every 10 \
  -restore_out db.h5 && grep -q "restore deblur noise 3 blur 1" out.txt || fail "restore: deblur sgdl"
$PY - <<'PY' && pass "restore: deblur by SGDL, PSNR every 10 evaluations" || fail "restore: deblur by SGDL, PSNR every 10 evaluations"
import h5py, numpy as np
f = h5py.File("db.h5")
clean, obs, rec = f["clean"][:], f["observed"][:], f["reconstruction"][:]
psnr = lambda a, b: -10 * np.log10(np.mean((a - b) ** 2))
assert f.attrs["finished"][0] == 1 and list(f["grade1_psnr_evaluations"][:]) == [1, 11, 21, 31]
assert abs(f["final_psnr"][0] - psnr(clean, rec)) < 1e-9
# f_hat - K f is the noise of sigma 3/255: K the 7 x 7 Gaussian of sigma-hat 1, symmetric borders.
k = np.exp(-np.arange(-3, 4) ** 2 / 2.0)
k /= k.sum()
p = np.pad(clean.reshape(32, 32), 3, mode="symmetric")
rows = sum(k[i] * p[:, i:i + 32] for i in range(7))
blurred = sum(k[i] * rows[i:i + 32, :] for i in range(7))
noise = obs.reshape(32, 32) - blurred
assert abs(noise.std() - 3 / 255) < 0.1 * 3 / 255 and abs(noise.mean()) < 0.002, noise.std() * 255
PY

# Killed during grade 2 (the last one), resumed: bitwise equal (u comes from the checkpoint).
kill_opts="$tv -restore_noise 25 -mgdl_grades 2-16-16-1,16-16-16-1 -opt_max_it 2500"
msopt_np 2 restore $kill_opts -restore_out ref.h5 || fail "restore: uninterrupted run"
kill_mid_grade killed.h5 restore $kill_opts -checkpoint_every 50 -restore_out killed.h5 &&
  pass "restore: killed during grade 2" || fail "restore: killed during grade 2"
msopt_np 2 restore $kill_opts -checkpoint_every 50 -checkpoint_file ck.h5 -restart ck.h5 -restore_out resumed.h5
if grep -q "resuming after 1 finished grade" out.txt && grep -q "resumed from ck.grade2" out.txt && $PY - <<'PY'
import h5py, numpy as np, sys
a, b = h5py.File("ref.h5"), h5py.File("resumed.h5")
sys.exit(0 if set(a.keys()) == set(b.keys()) and all(np.array_equal(a[k][:], b[k][:]) for k in a.keys()) else 1)
PY
then pass "restore: resumed mid-grade, bitwise equal"; else fail "restore: resumed mid-grade, bitwise equal"; fi
# A restart with another lambda is refused.
msopt_np 2 restore $kill_opts -tv_lambda 0.06 -checkpoint_file ck.h5 -restart ck.h5 -restore_out other.h5
[ $? -ne 0 ] && [ "$(grep -c '^msopt: error: restart file' out.txt)" -eq 1 ] && [ ! -e other.h5 ] &&
  pass "restore: restart with another lambda refused" || fail "restore: restart with another lambda refused"

# The scripts' runs take minutes; their option files must parse and run.
for f in cameraman_mgdl cameraman_sgdl; do
  msopt_np 1 mgdl -options_file "$SRC/runs/$f.opts" -data_file img_train.h5 -opt_max_it 1 -mgdl_patience 0 -quiet &&
    pass "runs/$f.opts" || fail "runs/$f.opts"
done
for f in restoration_mgdl restoration_sgdl; do
  msopt_np 1 restore -options_file "$SRC/runs/$f.opts" -data_png img.png -data_downsample 4 -opt_max_it 1 -quiet &&
    pass "runs/$f.opts" || fail "runs/$f.opts"
done
finish
