#!/usr/bin/env bash
# The whole test suite on the build made by scripts/setup.sh: GoogleTest units
# at 1, 2 and 3 MPI ranks and the command-line tests (ctest), then the unit
# tests under AddressSanitizer + UndefinedBehaviorSanitizer, then each
# libFuzzer target for 30 s (FUZZ_SECONDS) on its corpus.
set -euo pipefail
source "$(dirname "$0")/env.sh"
cd "$MSOPT_ROOT/build"
# One test at a time: each runs 2 or 3 ranks on the 2 cores. (nproc would say 1 here anyway: it honours
# the OMP_NUM_THREADS=1 of env.sh.)
ctest --output-on-failure
cd "$MSOPT_ROOT"
scripts/sanitize.sh
scripts/fuzz.sh "${FUZZ_SECONDS:-30}"
