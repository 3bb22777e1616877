#!/usr/bin/env bash
# Every case of tests/bad_inputs/cases.tsv ends with one clear line, a
# non-zero exit on every rank, no hang, no crash, and no good output
# overwritten (keep.h5, keep.csv, good.h5 and a checkpoint are checked).
source "$(dirname "$0")/cli_lib.sh" "$@"
FILES=$SRC/tests/bad_inputs/files

msopt_np 2 data multiscale -data_n 2000 -data_dims 16,4 -data_scales 1,0.0316 -data_out good.h5 || fail "fixture data"
msopt_np 2 train -data_file good.h5 -opt_type mrgd -history_out keep.h5 -quiet || fail "fixture history"
msopt_np 2 train -data_file good.h5 -opt_type gd -opt_max_it 60 -checkpoint_every 50 -checkpoint_file gd_ck.h5 -quiet ||
  fail "fixture checkpoint"
msopt_np 1 data multiscale -data_n 500 -data_dims 12 -data_scales 1 -data_out onescale.h5 || fail "fixture one scale"
msopt_np 1 data multiscale -data_n 5 -data_dims 10 -data_scales 1 -data_out singular.h5 || fail "fixture singular"
msopt_np 1 data multiscale -data_n 300 -data_dims 5,5 -data_scales 1,0.01 -data_out other.h5 || fail "fixture other"
msopt_np 1 data multiscale -data_n 300 -data_dims 5,5 -data_scales 1,0.1 -data_target labels -data_classes 3 \
  -data_out cls.h5 || fail "fixture classes"
msopt_np 2 mgdl -data_file good.h5 -mgdl_grades 20-8-1,8-8-1 -opt_lr 0.01 -opt_max_it 20 -checkpoint_every 10 \
  -checkpoint_file mgdl_ck.h5 -quiet || fail "fixture mgdl checkpoint"
checkpoint=gd_ck.0000000050.h5
cp "$checkpoint" truncated_ck.h5 && truncate -s 600 truncated_ck.h5
# Checkpoints that are valid HDF5 but hold NaN parameters (with a correct
# checksum, so the finiteness check itself is exercised) or one flipped bit.
$PY - "$checkpoint" <<'PY' || fail "fixture checkpoints"
import shutil, sys, zlib
import h5py, numpy as np
def crc(f, parameters):
    c = zlib.crc32(np.array([f.attrs["iteration"][0], *f.attrs["problem"]], dtype=np.float64).tobytes())
    method = f.attrs["method"]
    c = zlib.crc32(method if isinstance(method, bytes) else method.encode(), c)
    for a in (parameters, f["optimizer_state"][:], f["history_evaluations"][:], f["history_residual"][:], f["history_loss"][:]):
        c = zlib.crc32(np.ascontiguousarray(a, dtype=np.float64).tobytes(), c)
    return float(c)
for name, nan in (("nan_ck.h5", True), ("flipped_ck.h5", False)):
    shutil.copy(sys.argv[1], name)
    with h5py.File(name, "r+") as f:
        assert crc(f, f["parameters"][:]) == f.attrs["checksum"][0], "checksum layout differs from msopt's"
        p = f["parameters"][:]
        if nan:
            p[1] = np.nan
            f.attrs["checksum"] = np.array([crc(f, p)])
        else:
            p[1] = np.nextafter(p[1], np.inf)
        f["parameters"][...] = p
PY
keep_sum() { md5sum keep.h5 keep.csv good.h5 "$checkpoint" | md5sum; }
before=$(keep_sum)

cases=0
while IFS=$'\t' read -r name regex args; do
  [[ -z "$name" || "$name" == \#* ]] && continue
  cases=$((cases + 1))
  read -r -a argv <<<"${args//@/$FILES/}"
  msopt_np 2 "${argv[@]}"
  code=$?
  lines=$(grep -c "^msopt: error:" out.txt)
  if [ "$code" -eq 0 ]; then fail "$name: exit code 0"
  elif [ "$code" -eq 124 ]; then fail "$name: hang (timeout)"
  elif [ "$lines" -ne 1 ]; then fail "$name: $lines error lines instead of one"
  elif ! grep -q -E "^msopt: error:.*($regex)" out.txt; then fail "$name: message does not match /$regex/"
  elif grep -q -i -E "segmentation|signal|MPI_ABORT|traceback|sanitizer" out.txt; then fail "$name: crashed"
  elif [ "$(keep_sum)" != "$before" ]; then fail "$name: a good output was overwritten"
  else pass "$name"
  fi
done <"$SRC/tests/bad_inputs/cases.tsv"
[ "$cases" -ge 30 ] && pass "$cases cases" || fail "only $cases cases in cases.tsv"

# Divergence: a clear message, the last good checkpoint kept (finite, earlier than the blow-up).
msopt_np 2 train -data_file good.h5 -opt_type gd -opt_lr 3 -checkpoint_every 10 -checkpoint_file div_ck.h5 -quiet
code=$?
if [ $code -ne 0 ] && grep -q "^msopt: error: diverged" out.txt &&
  $PY -c "import glob,h5py,numpy as np,sys; f=h5py.File(sorted(glob.glob('div_ck.*.h5'))[-1]); sys.exit(0 if np.isfinite(f['parameters'][:]).all() else 1)"; then
  pass "divergence keeps the last good checkpoint"
else
  fail "divergence keeps the last good checkpoint"
fi

# Good files of the same kinds are accepted (the cases fail for their defect alone).
msopt_np 2 data fashion-mnist -data_images "$FILES/images.idx.gz" -data_labels "$FILES/labels.idx.gz" -data_out fm.h5 &&
  pass "small IDX pair imports" || fail "small IDX pair imports"
msopt_np 2 data image -data_png "$FILES/gray4x3.png" -data_out img.h5 && pass "small PNG imports" || fail "small PNG imports"

# -help lists each command's own options and exits 0; so does a run without mpiexec.
for cmd in "data multiscale" "data fashion-mnist" "data image" "data synthetic" spectrum train mgdl; do
  if timeout 60 "$MSOPT" $cmd -help >out.txt 2>&1 && grep -q -E "^msopt $cmd: " out.txt && grep -q -E "^  -(data|spec|opt)_" out.txt &&
    ! grep -q "PetscDevice" out.txt; then pass "$cmd -help"; else fail "$cmd -help"; fi
done
finish
