# Shared by the command-line tests: a scratch directory and msopt runners.
# Usage: source cli_lib.sh MSOPT_BINARY SOURCE_DIR
set -u
MSOPT=$1
SRC=$2
PY=/usr/bin/python3
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1 OMPI_MCA_orte_execute_quiet=1 OPENBLAS_NUM_THREADS=1
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
cd "$WORK"
FAILURES=0
PASSES=0

# msopt_np K args...: runs msopt on K ranks (120 s at most: a hang fails), output in out.txt.
msopt_np() {
  local ranks=$1
  shift
  timeout 120 mpiexec -n "$ranks" --oversubscribe "$MSOPT" "$@" >out.txt 2>&1 </dev/null
}

pass() { PASSES=$((PASSES + 1)); echo "ok: $1"; }
fail() {
  FAILURES=$((FAILURES + 1))
  echo "FAILED: $1"
  sed -n 's/^/    | /; 1,20p' out.txt 2>/dev/null
}

finish() {
  echo "$PASSES passed, $FAILURES failed"
  [ "$FAILURES" -eq 0 ]
}

# stop_job PID: SIGKILL the ranks of the mpiexec job PID (again every 0.1 s: mpiexec may not have started them
# yet) until it ends; one that has not ended 10 s later (OpenMPI's mpiexec can deadlock when its ranks die
# during start-up) is stopped, its ranks killed, and killed itself. Reaps it. Fails if no rank was killed.
stop_job() {
  local job=$1 landed=1 s
  for s in $(seq 1 100); do
    pkill -KILL -P "$job" && landed=0
    kill -0 "$job" 2>/dev/null || break
    sleep 0.1
  done
  if kill -0 "$job" 2>/dev/null; then
    kill -STOP "$job"
    pkill -KILL -P "$job" && landed=0
    kill -KILL "$job"
  fi
  wait "$job" 2>/dev/null
  return $landed
}

# kill_mid_grade OUTPUT ARGS...: runs `msopt ARGS` on 2 ranks in the background, checkpointing to ck.h5, and
# kills it (SIGKILL) once grade 2 has written a checkpoint. A busy machine can carry the run past that point
# before the kill lands; whichever grade was then running counts, as long as it had checkpointed and OUTPUT
# was not written; otherwise it tries again (3 tries). Sets KILLED_GRADE (0 when no try landed mid-grade).
kill_mid_grade() {
  local output=$1 job try s
  shift
  KILLED_GRADE=0
  for try in 1 2 3; do
    rm -f ck.* "$output"
    mpiexec -n 2 --oversubscribe "$MSOPT" "$@" -checkpoint_file ck.h5 >run.txt 2>&1 </dev/null &
    job=$!
    for s in $(seq 1 1200); do ls ck.grade2.*.h5 >/dev/null 2>&1 && break; sleep 0.05; done
    stop_job "$job"
    [ -e "$output" ] && continue
    s=$($PY -c 'import h5py; print(int(h5py.File("ck.grades.h5").attrs["finished"][0]) + 1)' 2>/dev/null) || continue
    ls ck.grade"$s".*.h5 >/dev/null 2>&1 && KILLED_GRADE=$s && return 0
  done
  return 1
}
