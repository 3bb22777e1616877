#!/usr/bin/env bash
# Copies the 8-bit grayscale test images of scikit-image (camera.png, the
# 512 x 512 'Cameraman' of the MGDL paper's Section 4, and the others) out of
# Debian's python3-skimage package into a data directory (default
# data/images/, gitignored). The package is fetched with `apt-get download`
# and unpacked with `dpkg -x` in a temporary directory: nothing is installed.
# Idempotent and quick when the images are already there.
#
#   scripts/get_images.sh [DIR]
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
dest=${1:-$root/data/images}
manifest=$dest/MANIFEST

# Quick path: a manifest from an earlier run and every file it lists.
if [[ -s $manifest ]]; then
  complete=1
  while read -r name; do [[ -s $dest/$name ]] || complete=0; done <"$manifest"
  if ((complete)); then
    echo "get_images: $(wc -l <"$manifest") images already in $dest"
    exit 0
  fi
fi

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
# As root, apt hands the download to the _apt user, who cannot write here.
sandbox=()
[[ $(id -u) == 0 ]] && sandbox=(-o APT::Sandbox::User=root)
(cd "$tmp" && apt-get -qq "${sandbox[@]}" download python3-skimage) || {
  echo "get_images: 'apt-get download python3-skimage' failed (is a Debian archive configured?)" >&2
  exit 1
}
dpkg -x "$tmp"/python3-skimage_*.deb "$tmp/pkg"
src=$(find "$tmp/pkg" -type d -path '*/skimage/data' -print -quit)
[[ -n $src ]] || { echo "get_images: no skimage/data directory in the package" >&2; exit 1; }

# An 8-bit grayscale PNG has bit depth 8 and colour type 0 in its IHDR
# chunk (bytes 24 and 25 of the file, after the 8-byte signature and the
# chunk's length, type, width and height).
is_gray8() {
  [[ $(head -c 16 "$1" | tail -c 4) == IHDR ]] || return 1
  read -r depth colour < <(od -An -tu1 -j24 -N2 "$1")
  [[ $depth == 8 && $colour == 0 ]]
}

mkdir -p "$dest"
names=()
for f in "$src"/*.png; do
  if is_gray8 "$f"; then
    cp "$f" "$dest/"
    names+=("$(basename "$f")")
  fi
done
[[ -s $dest/camera.png ]] || { echo "get_images: camera.png is missing from the package" >&2; exit 1; }
printf '%s\n' "${names[@]}" >"$manifest.tmp"
mv "$manifest.tmp" "$manifest"
echo "get_images: copied ${#names[@]} 8-bit grayscale images to $dest: ${names[*]}"
