# Shared by the command-line tests: a scratch directory and msopt runners.
# Usage: source cli_lib.sh MSOPT_BINARY SOURCE_DIR
set -u
MSOPT=$1
SRC=$2
PY=/usr/bin/python3
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1 OPENBLAS_NUM_THREADS=1
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
  sed 's/^/    | /' out.txt 2>/dev/null | head -20
}

finish() {
  echo "$PASSES passed, $FAILURES failed"
  [ "$FAILURES" -eq 0 ]
}
