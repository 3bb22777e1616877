# Environment for running msopt as root with one MPI rank per core.
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
export OPENBLAS_NUM_THREADS=1 OMP_NUM_THREADS=1
MSOPT_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
MSOPT_BIN=${MSOPT_BIN:-$MSOPT_ROOT/build/msopt}
MSOPT_RANKS=${MSOPT_RANKS:-2}
# msopt_run ARGS...: msopt on $MSOPT_RANKS ranks (oversubscribed beyond the cores). Not bound to cores:
# OpenMPI binds every job's rank 0 to core 0, so jobs run side by side (the sweep scripts) would share it.
msopt_run() { mpiexec -n "$MSOPT_RANKS" --oversubscribe --bind-to none "$MSOPT_BIN" "$@"; }
