#!/usr/bin/env bash
# Trustworthy batch runs, beyond what tests/bad_inputs checks before any work: a full disk on 2 ranks
# (tmpfs), one rank out of memory inside OpenBLAS (MPMD launch, ulimit -v on one rank), a stalled rank
# (SIGSTOP), two concurrent runs on one output stem, SIGTERM in the middle of a checkpointed run, an
# unknown option in PETSC_OPTIONS, -help; and the good side of the same guarantees: a restart with an
# overridden setting is recorded, checkpoints are chosen by the iteration they hold, a 4096-step
# Chebyshev schedule (over HDF5's 64 KiB attribute limit) keeps its history. Every failure ends with one
# "msopt: error:" line, a non-zero exit, no hang, no banner, and every earlier file unchanged.
source "$(dirname "$0")/cli_lib.sh" "$@"

# failed_once NAME REGEX CODE: the run in out.txt failed (CODE) with exactly one error line matching REGEX.
failed_once() {
  local name=$1 regex=$2 code=$3 lines
  lines=$(grep -c "^msopt: error:" out.txt)
  if [ "$code" -eq 0 ]; then fail "$name: exit code 0"
  elif [ "$code" -eq 124 ]; then fail "$name: hang (timeout)"
  elif [ "$lines" -ne 1 ]; then fail "$name: $lines error lines instead of one"
  elif ! grep -q -E "^msopt: error:.*($regex)" out.txt; then fail "$name: message does not match /$regex/"
  elif grep -q -E "MPI_ABORT|PETSC ERROR|Segmentation|Traceback|^-----" out.txt; then fail "$name: crash or banner"
  else pass "$name"
  fi
}
# Every file below the working folder but the output and lock files.
file_sums() { find . -type f ! -name out.txt ! -name '*.lock' ! -name '*.txt' -print0 | sort -z | xargs -0 md5sum; }
no_temporaries() { [ -z "$(find . -name '*.tmp')" ]; }

msopt_np 2 data multiscale -data_n 2000 -data_dims 16,4 -data_scales 1,0.0316 -data_out d.h5 || fail "data"
msopt_np 2 data multiscale -data_n 600 -data_dims 6,4 -data_scales 1,0.1 -data_target labels -data_classes 3 \
  -data_out cls.h5 || fail "data (classes)"
long="-data_file d.h5 -opt_type gd -opt_lr 0.5 -opt_tol 1e-300 -quiet"

# --- A full disk on 2 ranks: checkpoints, histories, spectra, MGDL results and datasets fail with one
# line; the files already on the disk stay as they were; nothing half-written is left.
mkdir -p full
if mount -t tmpfs -o size=256k tmpfs full 2>/dev/null; then
  msopt_np 2 train $long -opt_max_it 50 -history_out full/old.h5 || fail "history before the disk fills"
  # Leaves 4 KiB: less than any result below needs.
  dd if=/dev/zero of=full/filler bs=1k count=$(($(df -k --output=avail full | tail -1) - 4)) 2>/dev/null
  before=$(file_sums)
  msopt_np 2 train $long -opt_max_it 300 -checkpoint_every 10 -checkpoint_file full/ck.h5
  failed_once "full disk: checkpoint" "cannot write 'full/ck.0000000010.h5': No space left on device" $?
  msopt_np 2 train $long -opt_max_it 100 -history_out full/h.h5
  failed_once "full disk: history" "cannot write 'full/h.h5': No space left on device" $?
  msopt_np 2 train $long -opt_max_it 100 -history_out full/old.h5
  failed_once "full disk: history replacing an older one" "cannot write 'full/old.h5': No space" $?
  msopt_np 2 spectrum -data_file d.h5 -spec_out full/s.h5
  failed_once "full disk: spectrum" "cannot write 'full/s.h5'" $?
  msopt_np 2 mgdl -data_file d.h5 -opt_lr 0.01 -opt_max_it 5 -mgdl_grades 20-8-1 -mgdl_out full/m.h5 -quiet
  failed_once "full disk: MGDL result" "cannot write 'full/m.h5'" $?
  msopt_np 2 data multiscale -data_n 20000 -data_dims 80,20 -data_scales 1,0.1 -data_out full/big.h5
  failed_once "full disk: dataset (checked before MPI-IO writes)" "'full/big.h5' needs .* MiB, its disk has" $?
  [ "$(file_sums)" = "$before" ] && pass "full disk: every earlier file unchanged" ||
    fail "full disk: every earlier file unchanged"
  no_temporaries && pass "full disk: no temporary file left" || fail "full disk: no temporary file left"
  umount full
else
  echo "skipped: full-disk cases (mounting a tmpfs needs root)"
fi

# --- A stalled rank (SIGSTOP): the watchdog ends the whole job with one line naming the phase.
mpiexec -n 2 --oversubscribe "$MSOPT" train $long -opt_max_it 100000000 -watchdog_seconds 3 >out.txt 2>&1 </dev/null &
job=$!
# rank_pid JOB R: the process of MPI rank R among the mpiexec job's children (by OMPI_COMM_WORLD_RANK; the
# youngest child need not be a rank, and a rank left running beside a stopped helper would print a second line).
rank_pid() {
  local p
  for p in $(pgrep -P "$1"); do
    grep -qxzF "OMPI_COMM_WORLD_RANK=$2" "/proc/$p/environ" 2>/dev/null && echo "$p"
  done
}
for s in $(seq 1 100); do [ -n "$(rank_pid $job 1)" ] && [ -n "$(rank_pid $job 0)" ] && break; sleep 0.1; done
sleep 1.5  # both ranks compute
kill -STOP "$(rank_pid $job 1)"
for s in $(seq 1 60); do kill -0 $job 2>/dev/null || break; sleep 1; done
if kill -0 $job 2>/dev/null; then stop_job $job; fail "stalled rank: the job hangs"
else wait $job; failed_once "stalled rank: the watchdog ends the job" "watchdog: no progress for .* in phase 'gradient'" $?
fi

# --- One rank out of memory inside OpenBLAS: Debian's OpenBLAS retries a failed mmap forever while the
# other rank waits in MPI_Allreduce. Lower limits until one bites (the level differs between machines):
# every try ends (never a hang) with success or one line, and the watchdog ends at least one.
mlp="train -data_file cls.h5 -model mlp -model_classes 3 -mlp_hidden 64 -opt_type gd -opt_lr 0.1 -opt_max_it 2000 -quiet -watchdog_seconds 4"
bitten=0
for limit in 700000 550000 450000 400000 350000 300000; do
  timeout 120 mpiexec -n 1 "$MSOPT" $mlp : -n 1 bash -c "ulimit -v $limit; exec $MSOPT $mlp" >out.txt 2>&1 </dev/null
  code=$?
  if [ $code -eq 124 ]; then fail "out of memory at ulimit -v $limit: hang"; break; fi
  [ $code -eq 0 ] && continue
  if ! grep -q "^msopt: error:" out.txt; then  # MPI itself could not start under this limit: not msopt's to report
    echo "note: at ulimit -v $limit the job failed before msopt started"; break
  fi
  failed_once "out of memory at ulimit -v $limit" "watchdog: no progress|out of memory|cannot|PETSc" $code
  grep -q "watchdog" out.txt && bitten=1
  break
done
[ $bitten -eq 1 ] && pass "out of memory inside OpenBLAS: caught by the watchdog" ||
  echo "note: no limit made OpenBLAS loop on this machine (every try ended cleanly)"

# --- Two runs on one output stem: the second fails at once naming the first; the first is unharmed.
mpiexec -n 2 --oversubscribe "$MSOPT" train $long -opt_max_it 300000 -history_out conc.h5 -checkpoint_every 100000 \
  -checkpoint_file conc_ck.h5 >first.txt 2>&1 </dev/null &
first=$!
for s in $(seq 1 200); do [ -e conc.lock ] && [ -e conc_ck.lock ] && break; sleep 0.05; done
kill -STOP $(pgrep -P $first)  # holds its locks, however fast the machine, until the checks are done
msopt_np 2 train $long -opt_max_it 10 -history_out conc.h5
failed_once "concurrent runs: same history" "another run is writing to '.*conc\.\*' \(msopt pid [0-9]+ on" $?
msopt_np 2 train $long -opt_max_it 10 -checkpoint_every 5 -checkpoint_file conc_ck.h5
failed_once "concurrent runs: same checkpoint stem" "option -checkpoint_file: another run is writing to" $?
msopt_np 2 spectrum -data_file d.h5 -spec_out conc.h5
failed_once "concurrent runs: another command on the same stem" "option -spec_out: another run is writing to" $?
kill -CONT $(pgrep -P $first)
if wait $first && [ "$(wc -l <conc.csv)" -eq 300001 ] && [ ! -e conc.lock ]; then
  pass "concurrent runs: the first run ends whole (history of 300000 rows, lock released)"
else cp first.txt out.txt; fail "concurrent runs: the first run ends whole"; fi

# --- SIGTERM (scancel, a time limit) in the middle of a checkpointed run: one line, no temporary left,
# the checkpoints written so far are intact and a restart finishes bitwise like an uninterrupted run.
msopt_np 1 data multiscale -data_n 20000 -data_dims 80,20 -data_scales 1,0.0316 -data_out big.h5 || fail "big data"
long="-data_file big.h5 -opt_type gd -opt_lr 0.5 -opt_tol 1e-300 -quiet"
msopt_np 2 train $long -opt_max_it 20000 -history_out ref.h5 || fail "reference run"
mpiexec -n 2 --oversubscribe "$MSOPT" train $long -opt_max_it 20000 -checkpoint_every 500 -checkpoint_keep 3 \
  -checkpoint_file term.h5 -history_out term_h.h5 >out.txt 2>&1 </dev/null &
job=$!
for s in $(seq 1 400); do [ "$(ls term.*.h5 2>/dev/null | wc -l)" -ge 2 ] && break; sleep 0.02; done
kill -TERM $job
for s in $(seq 1 30); do kill -0 $job 2>/dev/null || break; sleep 0.5; done
if kill -0 $job 2>/dev/null; then stop_job $job; fail "SIGTERM: the job does not end"; else
  wait $job; failed_once "SIGTERM: one line" "stopped by signal 15 \(SIGTERM\)" $?
fi
no_temporaries && [ ! -e term.lock ] && pass "SIGTERM: no temporary or lock file left" ||
  fail "SIGTERM: no temporary or lock file left"
msopt_np 2 train $long -opt_max_it 20000 -checkpoint_every 500 -checkpoint_keep 3 -checkpoint_file term.h5 \
  -restart term.h5 -history_out term_h.h5
$PY -c "
import h5py, numpy as np, sys
a, b = h5py.File('ref.h5'), h5py.File('term_h.h5')
sys.exit(0 if np.array_equal(a['solution'][:], b['solution'][:]) and np.array_equal(a['residual'][:], b['residual'][:]) else 1)" &&
  pass "SIGTERM: the restart ends bitwise equal" || fail "SIGTERM: the restart ends bitwise equal"

long="-data_file d.h5 -opt_type gd -opt_lr 0.5 -opt_tol 1e-300 -quiet"

# --- Settings in PETSC_OPTIONS are checked like the command line's.
PETSC_OPTIONS="-opt_typo 1" msopt_np 2 train $long -opt_max_it 10
failed_once "PETSC_OPTIONS: unknown option" "unknown option -opt_typo \(did you mean -opt_type\?\)" $?
PETSC_OPTIONS="-options_file absent.opts" msopt_np 2 train $long -opt_max_it 10
failed_once "PETSC_OPTIONS: missing options file" "option -options_file: 'absent.opts' does not exist" $?

# --- PETSc/SLEPc options of the solvers a run creates keep working, those read at the end of a solve too.
for run in "spectrum -data_file d.h5 -spec_eps_view -spec_eps_converged_reason" \
  "train -data_file d.h5 -opt_type cg -quiet -opt_ksp_converged_reason -opt_ksp_monitor -log_view" \
  "train -data_file d.h5 -opt_type lbfgs -quiet -opt_tao_view -opt_tao_converged_reason"; do
  msopt_np 2 $run && ! grep -q "msopt: error" out.txt && pass "solver options work: $run" ||
    fail "solver options work: $run"
done

# --- -help exits 0 without a banner and lists each option once.
msopt_np 2 train -help
if [ $? -eq 0 ] && ! grep -q -E "Primary job|MPI_ABORT|mpiexec" out.txt &&
  [ -z "$(grep -E '^  -' out.txt | awk '{print $1}' | sort | uniq -d)" ]; then pass "train -help: exit 0, each option once"
else fail "train -help: exit 0, each option once"; fi
msopt_np 2 -help
[ $? -eq 0 ] && grep -q "^usage: msopt" out.txt && pass "msopt -help: exit 0" || fail "msopt -help: exit 0"

# --- A changed setting is refused on restart, allowed by -restart_override and recorded in the history.
msopt_np 2 train $long -opt_max_it 50 -checkpoint_every 20 -checkpoint_file ov.h5 || fail "override fixture"
msopt_np 2 train $long -opt_lr 0.6 -opt_max_it 80 -restart ov.h5 -checkpoint_file ov2.h5 -history_out ov_h.h5
failed_once "restart with another rate: refused" "option -opt_lr: 0.6, but the checkpoint 'ov.0000000040.h5'" $?
msopt_np 2 train $long -opt_lr 0.6 -opt_max_it 80 -restart ov.h5 -restart_override opt_lr -checkpoint_file ov2.h5 \
  -history_out ov_h.h5
[ $? -eq 0 ] && $PY -c "
import h5py, sys
f = h5py.File('ov_h.h5')
sys.exit(0 if b'-opt_lr: 0.5 -> 0.6' in f['restart_overrides'][()] and b'-opt_lr\t0.6' in f['settings'][()] else 1)" &&
  pass "restart_override: resumes and the history records it" || fail "restart_override: resumes and the history records it"

# --- Checkpoints are chosen by the iteration they hold, not by their names.
cp ov.0000000020.h5 ov.0000000099.h5
msopt_np 2 train $long -opt_max_it 80 -restart ov.h5 -checkpoint_file ov3.h5
[ $? -eq 0 ] && grep -q "resumed from ov.0000000040.h5 at evaluation 40" out.txt &&
  pass "restart: the checkpoint holding the newest iteration is taken" ||
  fail "restart: the checkpoint holding the newest iteration is taken"

# --- A 4096-step Chebyshev schedule (its description passes 64 KiB) keeps its history.
msopt_np 2 train -data_file d.h5 -opt_type mrgd -mrgd_schedule chebyshev -mrgd_kappa 1e8 -opt_max_it 100 -quiet \
  -history_out cheb.h5
[ $? -eq 0 ] && $PY -c "
import h5py, sys
f = h5py.File('cheb.h5')
sys.exit(0 if len(f['optimizer'][()]) > 65536 and len(f['residual']) == 100 else 1)" &&
  pass "Chebyshev schedule of 4096 steps: history written" || fail "Chebyshev schedule of 4096 steps: history written"
finish
