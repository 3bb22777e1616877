#!/usr/bin/env bash
# Users submit experiments as SLURM batch jobs: a real single-node SLURM
# (scripts/slurm_local.sh, Debian's slurm-wlm and munge) runs
# jobscripts/train.sbatch on a small two-scale problem; the job completes, its
# log holds MrGD's result line and its HDF5 history ends below 1e-8. SLURM is
# stopped at the end, also when a check fails. Missing packages fail the test.
source "$(dirname "$0")/cli_lib.sh" "$@"
# The cluster must not see any allocation this test itself might run in.
unset $(compgen -v SLURM_) 2>/dev/null || true
export PATH=$PATH:/usr/sbin
CLUSTER=$WORK/slurm
JOB_TIMEOUT=240
cleanup() {
  if [ -f "$CLUSTER/slurm.conf" ]; then
    bash "$SRC/scripts/slurm_local.sh" stop "$CLUSTER" >/dev/null 2>&1 || true
  fi
  cd / && rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 143' TERM INT HUP # so that a killed test still stops SLURM

missing=
for p in munged slurmctld slurmd sbatch scontrol; do
  command -v $p >/dev/null 2>&1 || missing+=" $p"
done
if [ -n "$missing" ]; then
  echo "missing:$missing; install the Debian packages slurm-wlm and munge (scripts/setup.sh)" >out.txt
  fail "SLURM and munge are installed"
  finish
  exit 1
fi
pass "SLURM and munge are installed"

chmod 711 "$WORK" # munged wants every directory above its socket searchable
t0=$SECONDS
if bash "$SRC/scripts/slurm_local.sh" start "$CLUSTER" >start.txt 2>out.txt && grep -q "^export SLURM_CONF=" start.txt; then
  eval "$(grep "^export SLURM_CONF=" start.txt)"
  pass "single-node SLURM started in $((SECONDS - t0)) s"
else
  cat start.txt >>out.txt
  fail "single-node SLURM started"
  finish
  exit 1
fi

# A small Figure 3 problem: the two-scale options with 2000 samples.
cp "$SRC/runs/fig3_two_scale.opts" small.opts
echo "-data_n 2000" >>small.opts
tasks=$(($(nproc) < 2 ? $(nproc) : 2))
job=$(cd "$SRC" && MSOPT_BIN=$MSOPT sbatch --parsable --ntasks=$tasks --time=5 --output="$WORK/job.out" \
  jobscripts/train.sbatch "$WORK/small.opts" "$WORK/small" 2>"$WORK/out.txt")
job=${job%%;*}
if [[ $job =~ ^[0-9]+$ ]]; then
  pass "sbatch jobscripts/train.sbatch submitted job $job"
else
  fail "sbatch jobscripts/train.sbatch"
  finish
  exit 1
fi

# Wait for the job (no accounting, hence no sacct: scontrol keeps finished jobs for MinJobAge).
t0=$SECONDS
state=
while ((SECONDS - t0 < JOB_TIMEOUT)); do
  info=$(scontrol show job -o "$job" 2>&1)
  state=$(sed -n 's/.*JobState=\([A-Z_]*\).*/\1/p' <<<"$info")
  case $state in PENDING | CONFIGURING | RUNNING | COMPLETING | SUSPENDED | "") sleep 1 ;; *) break ;; esac
done
exit_code=$(sed -n 's/.* ExitCode=\([0-9:]*\).*/\1/p' <<<"$info")
{
  echo "$info" | tr ' ' '\n' | grep -E "^(JobState|Reason|ExitCode|RunTime|StdOut)="
  tail -n 12 job.out 2>/dev/null
} >out.txt
if [ "$state" = COMPLETED ] && [ "$exit_code" = 0:0 ]; then
  pass "job $job completed in $((SECONDS - t0)) s"
else
  scancel "$job" 2>/dev/null
  fail "job $job completed (state ${state:-unknown}, exit code ${exit_code:-?} after $((SECONDS - t0)) s)"
fi

tail -n 20 job.out >out.txt 2>/dev/null
grep -q "^train: mrgd: converged" job.out && pass "job log has 'train: mrgd: converged'" ||
  fail "job log has 'train: mrgd: converged'"
grep -q "^train: mrgd, least_squares model on .*(N = 2000, d = 100, 100 parameters, $tasks ranks)" job.out && pass "job trained on $tasks MPI ranks" ||
  fail "job trained on $tasks MPI ranks"
echo "small_history.h5 was not written" >out.txt
[ -f small_history.h5 ] && $PY - "$WORK/small_history.h5" >out.txt 2>&1 <<'PY'
import h5py, sys
with h5py.File(sys.argv[1], "r") as f:
    rel = f["residual"][-1] / f.attrs["reference_norm"][0]
    ok = rel < 1e-8 and f["solution"].shape == (100,)
    print("  history: %d evaluations, final relative residual %.3e" % (f["evaluations"][-1], rel))
sys.exit(0 if ok else 1)
PY
if [ $? -eq 0 ]; then
  cat out.txt
  pass "history small_history.h5 ends below 1e-8"
else
  fail "history small_history.h5 ends below 1e-8"
fi

# The scaling study as a user submits it: one exclusive job per run, then the
# table job once they have all finished.
if [ "$tasks" -ge 2 ]; then
  (cd "$SRC" && MSOPT_BIN=$MSOPT STRONG_N=20000 WEAK_N_PER_RANK=10000 ITERATIONS=20 \
    bash jobscripts/scaling_study.sh "$WORK/scaling" 1 2) >out.txt 2>&1 || fail "jobscripts/scaling_study.sh submits"
  t0=$SECONDS
  while ((SECONDS - t0 < JOB_TIMEOUT)) && [ ! -s scaling/scaling.png ]; do sleep 1; done
  $PY -c "
import csv, sys
rows = list(csv.DictReader(open('scaling/scaling_table.csv')))
sys.exit(0 if sorted((r['series'], r['ranks']) for r in rows) == [('strong', '1'), ('strong', '2'), ('weak', '1'), ('weak', '2')] else 1)" \
    2>>out.txt && pass "scaling study through SLURM: 4 runs, table and plot" || fail "scaling study through SLURM"
fi

# Stop SLURM and check that none of its daemons is left.
bash "$SRC/scripts/slurm_local.sh" stop "$CLUSTER" >out.txt 2>&1 || fail "slurm_local.sh stop"
left=
for f in "$CLUSTER/run/slurmctld.pid" "$CLUSTER/run/slurmd.pid" "$CLUSTER/munge/munged.pid"; do
  [ -f "$f" ] && left+=" $f"
done
bash "$SRC/scripts/slurm_local.sh" status "$CLUSTER" >>out.txt 2>&1 && left+=" (status says running)"
[ -z "$left" ] && pass "SLURM stopped" || fail "SLURM stopped: left$left"
finish
