#!/usr/bin/env bash
# Installs every Debian package msopt needs (idempotent, quick when present)
# and builds the project into ./build. Run as root on Debian 12.
set -euo pipefail
cd "$(dirname "$0")/.."

packages=(
  build-essential cmake pkg-config openssh-client
  petsc-dev slepc-dev libhdf5-openmpi-dev openmpi-bin libopenblas-dev
  libgtest-dev libpng-dev zlib1g-dev libblas3
  python3-numpy python3-h5py python3-matplotlib
  slurm-wlm munge dataset-fashion-mnist
  clang libclang-rt-14-dev
)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  echo "setup: installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

cmake -S . -B build -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build build -j "$(nproc)"
