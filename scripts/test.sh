#!/usr/bin/env bash
# Runs the whole test suite (GoogleTest units at 1, 2 and 3 MPI ranks and the
# command-line tests) on the build made by scripts/setup.sh.
set -euo pipefail
source "$(dirname "$0")/env.sh"
cd "$MSOPT_ROOT/build"
ctest --output-on-failure -j "$(nproc)"
