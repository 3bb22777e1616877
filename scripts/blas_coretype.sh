# Sourced by scripts/env.sh and the benchmark drivers (issue 12). The OpenBLAS
# kernel is the user's opt-in, never automatic: some CPUs need a forced kernel
# because newer ones compute wrong results there, so without MSOPT_BLAS_CORETYPE
# OPENBLAS_CORETYPE stays exactly as found.
#
# msopt_blas_coretype BUILD_DIR: with MSOPT_BLAS_CORETYPE set (e.g. SkylakeX,
# Haswell), checks that kernel against the reference BLAS (BUILD_DIR/bench/blas_check)
# and exports OPENBLAS_CORETYPE; fails with one line, leaving it as found, if the
# checker is missing, OpenBLAS does not run that kernel here, or results differ.
msopt_blas_coretype() {
  [ -n "${MSOPT_BLAS_CORETYPE:-}" ] || return 0
  local check="$1/bench/blas_check" line
  if [ ! -x "$check" ]; then
    echo "msopt: MSOPT_BLAS_CORETYPE=$MSOPT_BLAS_CORETYPE needs $check to check it" \
      "(cmake --build $1 --target blas_check); OPENBLAS_CORETYPE left as found" >&2
    return 1
  fi
  line=$(OPENBLAS_CORETYPE=$MSOPT_BLAS_CORETYPE OPENBLAS_NUM_THREADS=1 "$check" 2>&1) || {
    echo "msopt: MSOPT_BLAS_CORETYPE=$MSOPT_BLAS_CORETYPE not used: ${line#blas_check: }" >&2
    return 1
  }
  export OPENBLAS_CORETYPE=$MSOPT_BLAS_CORETYPE
  echo "msopt: OPENBLAS_CORETYPE=$OPENBLAS_CORETYPE (MSOPT_BLAS_CORETYPE): ${line#blas_check: }" >&2
}
