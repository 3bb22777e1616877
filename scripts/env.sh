# Environment for running msopt as root with one MPI rank per core.
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
# mpiexec prints no banner of its own when a rank exits non-zero: msopt's one error line says it all.
export OMPI_MCA_orte_execute_quiet=1
export OPENBLAS_NUM_THREADS=1 OMP_NUM_THREADS=1
MSOPT_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
MSOPT_BIN=${MSOPT_BIN:-$MSOPT_ROOT/build/msopt}
MSOPT_RANKS=${MSOPT_RANKS:-2}
# Opt-in: MSOPT_BLAS_CORETYPE=SkylakeX (e.g.) exports that OPENBLAS_CORETYPE once it agrees with the reference
# BLAS; unset, OPENBLAS_CORETYPE stays as found (scripts/blas_coretype.sh).
source "$MSOPT_ROOT/scripts/blas_coretype.sh"
msopt_blas_coretype "$(dirname "$MSOPT_BIN")" || true
# msopt_run ARGS...: msopt on $MSOPT_RANKS ranks (oversubscribed beyond the cores). Not bound to cores:
# OpenMPI binds every job's rank 0 to core 0, so jobs run side by side (the sweep scripts) would share it.
msopt_run() { mpiexec -n "$MSOPT_RANKS" --oversubscribe --bind-to none "$MSOPT_BIN" "$@"; }

# resumable_run DIR NAME TAG ARGS...: `msopt_run ARGS` with its output in DIR/NAME.log and a checkpoint every
# 200 evaluations in DIR/checkpoints/TAG_NAME.*. Started again, a run that was cut off resumes from its
# checkpoint, and one that finished with the same TAG (e.g. the scale) is kept. Appends NAME,<wall seconds>
# to DIR/times.csv: the sum of the pieces that ended (not a killed one). Fails as msopt did.
resumable_run() {
  local dir=$1 name=$2 tag=$3 start status=0 resume=()
  shift 3
  local ck="$dir/checkpoints/${tag}_$name.h5"
  if [ "$(cat "$dir/$name.done" 2>/dev/null)" = "$tag" ]; then
    echo "  $name: kept from an earlier run (delete $dir/$name.done to run it again)"
    return 0
  fi
  rm -f "$dir/$name.done"
  mkdir -p "$dir/checkpoints"
  [ -e "${ck%.h5}.grades.h5" ] && resume=(-restart "$ck") && echo "  $name: resuming from $ck"
  start=$(date +%s.%N)
  msopt_run "$@" -checkpoint_every 200 -checkpoint_keep 2 -checkpoint_file "$ck" "${resume[@]}" \
    >"$dir/$name.log" 2>&1 || status=$?
  awk "BEGIN{print $(date +%s.%N) - $start}" >>"${ck%.h5}.seconds"
  if [ $status -eq 0 ]; then
    echo "$name,$(awk '{s += $1} END {print s}' "${ck%.h5}.seconds")" >>"$dir/times.csv"
    echo "$tag" >"$dir/$name.done"
    rm -f "${ck%.h5}".*
  fi
  return $status
}
