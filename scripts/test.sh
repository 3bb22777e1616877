#!/usr/bin/env bash
# The whole test suite on the build made by scripts/setup.sh: GoogleTest units
# at 1, 2 and 3 MPI ranks and the command-line tests (ctest), then the unit
# tests under AddressSanitizer + UndefinedBehaviorSanitizer, then each
# libFuzzer target for 30 s (FUZZ_SECONDS) on its corpus.
set -euo pipefail
source "$(dirname "$0")/env.sh"
cd "$MSOPT_ROOT/build"
ctest --output-on-failure -j "$(nproc)"
cd "$MSOPT_ROOT"
scripts/sanitize.sh
scripts/fuzz.sh "${FUZZ_SECONDS:-30}"
