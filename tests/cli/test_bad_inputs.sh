#!/usr/bin/env bash
# Every case of tests/bad_inputs/cases.tsv and trust_cases.tsv ends with one
# clear line, a non-zero exit on every rank, no hang, no crash, every file of
# the working folder unchanged (checksums before and after) and no temporary
# file left.
source "$(dirname "$0")/cli_lib.sh" "$@"
FILES=$SRC/tests/bad_inputs/files

msopt_np 2 data multiscale -data_n 2000 -data_dims 16,4 -data_scales 1,0.0316 -data_out good.h5 || fail "fixture data"
msopt_np 2 train -data_file good.h5 -opt_type mrgd -history_out keep.h5 -quiet || fail "fixture history"
msopt_np 2 train -data_file good.h5 -opt_type gd -opt_lr 0.5 -opt_max_it 60 -checkpoint_every 50 -checkpoint_file gd_ck.h5 \
  -quiet || fail "fixture checkpoint"
msopt_np 2 train -data_file good.h5 -opt_type mrgd -opt_max_it 60 -opt_tol 1e-15 -checkpoint_every 50 \
  -checkpoint_file mrgd_ck.h5 -quiet ||
  fail "fixture MrGD checkpoint"
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
# Fixtures of trust_cases.tsv: spectra, non-regular inputs, options files, outputs that must not be replaced.
msopt_np 2 spectrum -data_file good.h5 -spec_out spec.h5 || fail "fixture spectrum"
msopt_np 2 spectrum -data_file good.h5 -spec_gap_ratio 1.05 -spec_out spec_two.h5 || fail "fixture 4-group spectrum"
msopt_np 1 spectrum -data_file onescale.h5 -spec_out spec_small.h5 || fail "fixture small spectrum"
msopt_np 2 data multiscale -data_n 2000 -data_dims 16,4 -data_scales 1,0.0316 -data_seed 7 -data_out other_seed.h5 ||
  fail "fixture other seed"
$PY - <<'PY' || fail "fixture HDF5 files"
import shutil
import h5py, numpy as np
shutil.copy("spec.h5", "spec_old.h5")
with h5py.File("spec_old.h5", "r+") as f:
    del f.attrs["data_fingerprint"]
with h5py.File("one_row.h5", "w") as f:
    f["X"], f["y"] = np.ones((1, 4)), np.ones(1)
with h5py.File("x_group.h5", "w") as f:
    f.create_group("X")
    f["y"] = np.ones(3)
with h5py.File("x_dangling.h5", "w") as f:
    f["X"] = h5py.SoftLink("/nowhere")
    f["y"] = np.ones(3)
PY
mkfifo fifo.h5 fifo.opts
ln -s nowhere.h5 dangling.h5
ln good.h5 hardlink.h5
cp good.h5 data.csv
cp "$FILES/gray4x3.png" img.png
mkdir sub
echo "my own notes, not a history" >notes.csv
echo "-opt_lrate 0.1" >unknown.opts
echo "-opt_lr 0.1 -opt_max_it 5" >two_per_line.opts
echo "-options_file self.opts" >self.opts
echo "-options_file loop_b.opts" >loop_a.opts
echo "-options_file loop_a.opts" >loop_b.opts

# Every regular file of the working folder (but the output of the case and lock files).
keep_sum() { find . -type f ! -name out.txt ! -name '*.lock' -print0 | sort -z | xargs -0 md5sum | md5sum; }
# run_cases: the cases on stdin, one after the other in the current folder; an ok: or FAILED: line each.
run_cases() {
  local before name regex args code lines
  before=$(keep_sum)
  while IFS=$'\t' read -r name regex args; do
    read -r -a argv <<<"${args//@/$FILES/}"
    msopt_np 2 "${argv[@]}"
    code=$?
    lines=$(grep -c "^msopt: error:" out.txt)
    if [ "$code" -eq 0 ]; then fail "$name: exit code 0"
    elif [ "$code" -eq 124 ]; then fail "$name: hang (timeout)"
    elif [ "$lines" -ne 1 ]; then fail "$name: $lines error lines instead of one"
    elif ! grep -q -E "^msopt: error:.*($regex)" out.txt; then fail "$name: message does not match /$regex/"
    elif grep -q -i -E "segmentation|signal|MPI_ABORT|traceback|sanitizer|PETSC ERROR|^-----" out.txt; then fail "$name: crashed"
    elif [ "$(keep_sum)" != "$before" ]; then fail "$name: a file of the working folder changed"
    elif [ -n "$(find . -name '*.tmp')" ]; then fail "$name: a temporary file was left"
    else pass "$name"
    fi
  done
}

# The cases run in 4 copies of the fixtures at once. In each, this shell holds held.lock (flock) until it exits,
# as another run holds the lock of the outputs it writes (held.h5). Run at once because mpiexec waits
# about 2 s after a rank exits non-zero (OpenMPI's grace period before SIGKILL), idle time that added up to
# 8 of the 17 minutes of ctest when they ran one after the other.
all_cases=()
while IFS= read -r line; do
  IFS=$'\t' read -r name _ <<<"$line"
  [[ -z "$name" || "$name" == \#* ]] || all_cases+=("$line")
done < <(cat "$SRC/tests/bad_inputs/cases.tsv" "$SRC/tests/bad_inputs/trust_cases.tsv")
cases=${#all_cases[@]}
workers=4
shopt -s dotglob
fixtures=(*)
shopt -u dotglob
for k in $(seq 1 $workers); do
  mkdir "copy$k" && cp -a "${fixtures[@]}" "copy$k/" || fail "fixture copy $k"
  exec {lock}>"copy$k/held.lock"
  flock -n "$lock" || fail "fixture lock $k"
done
for k in $(seq 1 $workers); do
  for ((c = k - 1; c < cases; c += workers)); do printf '%s\n' "${all_cases[c]}"; done |
    (cd "copy$k" && run_cases) >"copy$k.log" 2>&1 &
done
wait
verdicts=0
for k in $(seq 1 $workers); do
  cat "copy$k.log"
  ok=$(grep -c '^ok: ' "copy$k.log")
  failed=$(grep -c '^FAILED: ' "copy$k.log")
  PASSES=$((PASSES + ok)) FAILURES=$((FAILURES + failed)) verdicts=$((verdicts + ok + failed))
done
[ "$verdicts" -eq "$cases" ] || fail "$verdicts verdicts for $cases cases"
[ "$cases" -ge 200 ] && pass "$cases cases" || fail "only $cases cases in cases.tsv and trust_cases.tsv"

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
