#!/usr/bin/env bash
# Faults: a run killed with SIGKILL at 10 random moments (some during a
# checkpoint write) and resumed each time ends bitwise equal to an
# uninterrupted run; a damaged newest checkpoint makes the resume fall back
# with a warning; one rank dying ends the whole job, never a hang.
source "$(dirname "$0")/cli_lib.sh" "$@"
RANDOM=${FAULT_SEED:-20261123}
msopt_np 1 data multiscale -data_n 20000 -data_dims 80,20 -data_scales 1,0.0316 -data_out d.h5 || fail "data"
opts="-data_file d.h5 -opt_type mrgd -opt_tol 1e-300 -opt_max_it 12000 -quiet"
t0=$(date +%s.%N)
msopt_np 2 train $opts -history_out ref.h5 || fail "uninterrupted run"
awk -v a="$t0" -v b="$(date +%s.%N)" 'BEGIN { printf "  uninterrupted run: %.1f s\n", b - a }'

same_as_reference() {  # same_as_reference FILE: solution and residual history bitwise equal
  $PY -c "
import h5py, numpy as np, sys
a, b = h5py.File('ref.h5'), h5py.File('$1')
sys.exit(0 if np.array_equal(a['solution'][:], b['solution'][:]) and np.array_equal(a['residual'][:], b['residual'][:]) else 1)"
}

# start_run ARGS: training with checkpoints in the background, resuming if any exist.
start_run() {
  local restart=""
  ls ck.*.h5 >/dev/null 2>&1 && restart="-restart ck.h5"
  mpiexec -n 2 --oversubscribe "$MSOPT" train $opts -checkpoint_every 10 -checkpoint_keep 3 -checkpoint_file ck.h5 \
    $restart -history_out killed.h5 "$@" >>runs.txt 2>&1 &
  RUN_PID=$!
}

kills=0 during_write=0
for k in $(seq 1 10); do
  start_run
  sleep "$(printf '0.%03d' $((300 + RANDOM % 700)))"
  if stop_job "$RUN_PID"; then
    kills=$((kills + 1))
    ls ck.*.h5.tmp >/dev/null 2>&1 && during_write=$((during_write + 1))
  fi
done
echo "  $kills kills, $during_write of them during a checkpoint write"
[ "$kills" -eq 10 ] && pass "10 kills landed" || fail "only $kills of 10 kills landed (the run finished early)"
start_run
if wait "$RUN_PID" && same_as_reference killed.h5; then pass "resumed after 10 kills: bitwise equal"; else
  cp runs.txt out.txt; fail "resumed after 10 kills: bitwise equal"; fi

# Damaged newest checkpoint: fall back to the previous one, with a warning.
rm -f ck.*.h5 killed.h5
start_run -opt_max_it 3000
wait "$RUN_PID"
newest=$(ls ck.*.h5 | sort | tail -1)
truncate -s 2000 "$newest"
msopt_np 2 train $opts -restart ck.h5 -history_out resumed.h5
if grep -q "msopt: warning: skipping checkpoint: '$newest'" out.txt && grep -q "resumed from ck.0000002980.h5" out.txt &&
  same_as_reference resumed.h5; then pass "truncated newest checkpoint: falls back and ends bitwise equal"
else fail "truncated newest checkpoint: falls back and ends bitwise equal"; fi

# One rank dies once both compute (a checkpoint is written): the job ends (non-zero) instead of hanging.
# A checkpoint name of its own: a file of an earlier run (a rank outliving a killed mpiexec) must not
# stand for this job's first checkpoint, or the kill comes before the job has ranks and finds none.
mpiexec -n 2 --oversubscribe "$MSOPT" train $opts -checkpoint_every 10 -checkpoint_file lone.h5 >out.txt 2>&1 &
job=$!
for s in $(seq 1 600); do ls lone.*.h5 >/dev/null 2>&1 && break; sleep 0.05; done
victim=$(pgrep -P "$job" | tail -1)
[ -n "$victim" ] && kill -KILL "$victim"
for s in $(seq 1 30); do kill -0 "$job" 2>/dev/null || break; sleep 1; done
if [ -z "$victim" ]; then
  stop_job "$job"; fail "one rank killed: no rank of the job found"
elif kill -0 "$job" 2>/dev/null; then
  stop_job "$job"; fail "one rank killed: the job hangs"
else
  wait "$job"; code=$?
  [ "$code" -ne 0 ] && pass "one rank killed: the job ends (exit $code)" || fail "one rank killed: exit code 0"
fi
finish
