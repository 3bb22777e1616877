#!/usr/bin/env bash
# `msopt data image -data_split`: the MGDL paper's image regression split
# (train = pixels [::2, ::2], validation = [1::2, 1::2], test = all) into
# one file, or all three beside each other; an unknown split is one clear line.
source "$(dirname "$0")/cli_lib.sh" "$@"
PNG=$SRC/tests/bad_inputs/files/gray4x3.png  # 4 wide, 3 high, 8-bit gray

msopt_np 2 data image -data_png "$PNG" -data_split all -data_out img.h5 && pass "split all" || fail "split all"
msopt_np 3 data image -data_png "$PNG" -data_split validation -data_out val.h5 && pass "split validation" ||
  fail "split validation"
$PY -c "
import h5py, numpy as np, sys
t, tr, va, v3 = (h5py.File(n) for n in ('img_test.h5', 'img_train.h5', 'img_validation.h5', 'val.h5'))
img = t['y'][:].reshape(3, 4)
X = t['X'][:].reshape(3, 4, 2)
ok = (np.array_equal(tr['y'][:].reshape(2, 2), img[::2, ::2]) and np.array_equal(va['y'][:].reshape(1, 2), img[1::2, 1::2])
      and np.array_equal(tr['X'][:], X[::2, ::2].reshape(-1, 2)) and np.array_equal(va['X'][:], X[1::2, 1::2].reshape(-1, 2))
      and np.array_equal(v3['y'][:], va['y'][:]) and list(tr.attrs['image_shape']) == [2, 2]
      and list(tr.attrs['full_shape']) == [3, 4] and tr.attrs['split'] in (b'train', 'train'))
sys.exit(0 if ok else 1)" && pass "splits are the pixel subgrids of the test image" ||
  fail "splits are the pixel subgrids of the test image"

msopt_np 2 data image -data_png "$PNG" -data_split bogus -data_out bad.h5
rc=$?
[ $rc -ne 0 ] && grep -q "data_split.*bogus\|bogus.*data_split" out.txt && [ ! -e bad.h5 ] &&
  pass "unknown split refused" || fail "unknown split refused"
finish
