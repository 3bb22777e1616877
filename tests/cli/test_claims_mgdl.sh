#!/usr/bin/env bash
# Claims of the MGDL paper as tests, at reduced sizes (each under 60 s on 2
# cores). Claims 1-2: the synthetic data of eq. (5), Setting 1 (1024 grid
# points), SGDL (26) and MGDL (30) trained by GD; claims 3-4: 'Cameraman'
# averaged down to 32 x 32, denoised at noise sigma 10 by SGDL (29) and MGDL
# (33), and regressed by GD with SGDL (28) and MGDL (32); claim 5: the same
# image denoised by GD with SGDL (27) and MGDL (31) (3-5 skipped, not passed,
# when scripts/get_images.sh cannot fetch the image).
source "$(dirname "$0")/cli_lib.sh" "$@"
opts=$SRC/runs/mgdl_eigenvalues_setting1.opts
sgdl=(-mgdl_grades 1-32-32-32-32-1)
mgdl=(-mgdl_grades 1-32-1,32-32-1,32-32-1,32-32-1)
msopt_np 2 data synthetic -options_file "$opts" -data_n 1024 -data_sampling grid -data_out syn.h5 ||
  fail "synthetic setting 1 data"
png=$SRC/data/images/camera.png
[ -s "$png" ] || { bash "$SRC/scripts/get_images.sh" images >/dev/null 2>&1 && png=images/camera.png; }

# check NAME PYTHON: passes when the script exits 0; it prints the numbers it saw.
check() {
  if $PY -c "$2" >check.txt 2>&1; then pass "$1"; else fail "$1"; fi
  sed 's/^/  /' check.txt
}

# stability_claim NAME SGDL.h5 MGDL.h5: SGDL's smallest eigenvalue of I - eta H drops below -1 and its loss
# rises in >= 10 % of the steps, while every grade of MGDL keeps its eigenvalues above -1 and its loss falls
# in >= 99 % of the steps.
stability_claim() {
  check "$1" "
import h5py, numpy as np
def grades(path):
    f = h5py.File(path, 'r')
    for l in range(1, int(f.attrs['finished'][0]) + 1):
        loss = f[f'grade{l}_train_loss'][:]
        yield l, f[f'grade{l}_eig_smallest'][:].min(), np.mean(np.diff(loss) > 0)
ok = True
for l, low, rises in grades('$2'):
    print(f'SGDL: smallest eigenvalue {low:.3f}, loss rises in {100 * rises:.1f} % of the steps')
    ok &= low < -1 and rises >= 0.1
for l, low, rises in grades('$3'):
    print(f'MGDL grade {l}: smallest eigenvalue {low:.3f}, loss rises in {100 * rises:.1f} % of the steps')
    ok &= low > -1 and rises <= 0.01
assert ok"
}

# 1. Section 3, eq. (3): every grade fits the residual of the grades before it, so the training loss of the
#    MGDL model falls grade by grade (eta = 0.06 of Fig. 2, 500 GD epochs per grade).
if msopt_np 1 mgdl -options_file "$opts" -data_file syn.h5 "${mgdl[@]}" -opt_lr 0.06 -opt_max_it 500 \
  -mgdl_eig_every 0 -mgdl_out grades.h5; then
  check "Sec. 3: MGDL's training loss falls grade by grade" "
import re
loss = [float(m) for m in re.findall(r'^mgdl: grade \d/4 .* -> (\S+)$', open('out.txt').read(), re.M)]
print('loss after grades 1-4:', loss)
assert len(loss) == 4 and all(b < a for a, b in zip(loss, loss[1:]))"
else
  fail "claim 1 runs"
fi

# 2. Section 6, Fig. 2: at the same rate eta = 0.12, the smallest eigenvalue of I - eta H of SGDL drops
#    below -1 and its loss oscillates (rises in >= 10 % of the steps), while every grade of MGDL keeps
#    its eigenvalues above -1 and its loss falls in >= 99 % of the steps (measured: SGDL -1.52 and 42 %
#    rises, MGDL >= -0.31 and none).
if msopt_np 1 mgdl -options_file "$opts" -data_file syn.h5 "${sgdl[@]}" -opt_lr 0.12 -opt_max_it 1000 \
  -mgdl_eig_every 100 -mgdl_out sgdl.h5 -quiet &&
  msopt_np 1 mgdl -options_file "$opts" -data_file syn.h5 "${mgdl[@]}" -opt_lr 0.12 -opt_max_it 500 \
    -mgdl_eig_every 100 -mgdl_out mgdl.h5 -quiet; then
  stability_claim "Sec. 6, Fig. 2: I - eta H leaves (-1, 1) and the loss oscillates for SGDL, not for MGDL" sgdl.h5 mgdl.h5
else
  fail "claim 2 runs"
fi

# 3. Section 4, Table 2: MGDL restores a noisy image better than SGDL: at sigma = 10, after 100 Adam epochs
#    (rate 3e-3) per grade and for SGDL, MGDL's PSNR exceeds SGDL's by >= 1 dB (measured at 150 epochs:
#    25.26 against 22.45 dB; both still below the noisy input's 28.23 dB at this length).
if [ ! -s "$png" ]; then
  echo "skipped: Sec. 4, Table 2 (no camera.png: scripts/get_images.sh could not fetch it)"
elif msopt_np 2 restore -options_file "$SRC/runs/restoration_mgdl.opts" -data_png "$png" -data_downsample 16 \
  -opt_max_it 100 -opt_lr 3e-3 -restore_noise 10 -restore_out denoise_mgdl.h5 -quiet &&
  msopt_np 2 restore -options_file "$SRC/runs/restoration_sgdl.opts" -data_png "$png" -data_downsample 16 \
    -opt_max_it 100 -opt_lr 3e-3 -restore_noise 10 -restore_out denoise_sgdl.h5 -quiet; then
  check "Sec. 4, Table 2: MGDL denoises better than SGDL (sigma 10, >= 1 dB)" "
import h5py
p = {m: float(h5py.File('denoise_' + m + '.h5', 'r')['final_psnr'][0]) for m in ('mgdl', 'sgdl')}
print(f'PSNR: MGDL {p[\"mgdl\"]:.2f} dB, SGDL {p[\"sgdl\"]:.2f} dB')
assert p['mgdl'] >= p['sgdl'] + 1"
else
  fail "claim 3 runs"
fi

# 4. Section 5, Figure 15: MGDL is more robust to the rate than SGDL: on image regression at eta = 0.1 and
#    at eta = 1, 300 GD epochs per grade, MGDL's test loss is at most half of SGDL's and does not diverge
#    (measured: 0.0159 and 0.0093 against 0.0371 and 0.0352; scripts/cameraman_regression.sh -m lr_sweep).
if [ ! -s "$png" ]; then
  echo "skipped: Sec. 5, Fig. 15 (no camera.png: scripts/get_images.sh could not fetch it)"
elif msopt_np 2 data image -data_png "$png" -data_downsample 16 -data_split all -data_out cam.h5; then
  ok=1
  for rate in 0.1 1; do
    msopt_np 2 mgdl -data_file cam_train.h5 -mgdl_test cam_test.h5 -opt_type gd -opt_lr $rate -opt_max_it 300 \
      -opt_tol 1e-300 -mgdl_grades 2-128-128-128-128-128-128-128-128-1 -mgdl_out sgdl_lr$rate.h5 -quiet &&
      msopt_np 2 mgdl -data_file cam_train.h5 -mgdl_test cam_test.h5 -opt_type gd -opt_lr $rate -opt_max_it 300 \
        -opt_tol 1e-300 -mgdl_grades 2-128-128-1,128-128-128-1,128-128-128-1,128-128-128-1 -mgdl_out mgdl_lr$rate.h5 \
        -quiet || ok=0
  done
  if [ $ok = 1 ]; then
    check "Sec. 5, Fig. 15: MGDL's test loss <= half of SGDL's at eta = 0.1 and 1" "
import h5py, math
for rate in ('0.1', '1'):
    t = {m: float(h5py.File(f'{m}_lr{rate}.h5', 'r')['final_test_loss'][0]) for m in ('sgdl', 'mgdl')}
    print(f'eta = {rate}: test loss SGDL {t[\"sgdl\"]:.4g}, MGDL {t[\"mgdl\"]:.4g}')
    assert math.isfinite(t['mgdl']) and t['mgdl'] <= 0.5 * t['sgdl']"
  else
    fail "claim 4 runs"
  fi
else
  fail "claim 4 data"
fi

# 5. Section 6, Figs 21-24: on denoising (the TV loss (22)/(24), Hessian in the network parameters at the
#    current u), GD at eta = 3e-4 drives SGDL's smallest eigenvalue of I - eta H below -1 with an
#    oscillating loss, while MGDL's stay inside (-1, 1) in every grade (Cameraman 32 x 32, noise 10,
#    1500 epochs per grade; measured: SGDL -1.67 and 26 % rises, MGDL >= -0.85 and none;
#    scripts/restoration_eigenvalues.sh).
eig=(-restore_noise 10 -tv_lambda 0.02 -opt_type gd -opt_lr 3e-4 -opt_max_it 1500 -opt_tol 1e-300
  -mgdl_eig_every 250 -mgdl_eig_nev 3 -spec_eps_conv_abs -spec_eps_tol 1e-4 -quiet)
if [ ! -s "$png" ]; then
  echo "skipped: Sec. 6, Figs 21-24 (no camera.png: scripts/get_images.sh could not fetch it)"
elif msopt_np 2 restore -data_png "$png" -data_downsample 16 -mgdl_grades 2-48-48-48-48-1 "${eig[@]}" \
  -restore_out eig_sgdl.h5 &&
  msopt_np 2 restore -data_png "$png" -data_downsample 16 -mgdl_grades 2-48-1,48-48-1,48-48-1,48-48-1 "${eig[@]}" \
    -restore_out eig_mgdl.h5; then
  stability_claim "Sec. 6, Figs 21-24: on denoising, I - eta H leaves (-1, 1) for SGDL, not for MGDL" \
    eig_sgdl.h5 eig_mgdl.h5
else
  fail "claim 5 runs"
fi

finish
