"""Writes the malformed input files of tests/bad_inputs/files (committed; run
again only to change them): /usr/bin/python3 tests/bad_inputs/make_files.py"""
import gzip
import os
import struct
import zlib

import h5py
import numpy as np

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "files")
os.makedirs(OUT, exist_ok=True)


def path(name):
    return os.path.join(OUT, name)


def h5(name, **arrays):
    with h5py.File(path(name), "w") as f:
        for key, value in arrays.items():
            f[key] = value


def idx(dims, values, type_code=0x08, magic=b"\0\0"):
    return magic + bytes([type_code, len(dims)]) + b"".join(struct.pack(">I", d) for d in dims) + bytes(values)


def write(name, data, compress=True):
    with open(path(name), "wb") as f:
        f.write(gzip.compress(data, mtime=0) if compress else data)


def png(width, height, rows, bit_depth=8, colour=0):
    def chunk(kind, payload):
        return struct.pack(">I", len(payload)) + kind + payload + struct.pack(">I", zlib.crc32(kind + payload))
    raw = b"".join(b"\0" + bytes(r) for r in rows)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, bit_depth, colour, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))


rng = np.random.default_rng(3)
X = rng.normal(size=(40, 4))
# HDF5 datasets
with open(path("text.h5"), "w") as f:
    f.write("this is not HDF5\n")
h5("no_X.h5", Z=np.zeros((3, 2)))
h5("y_short.h5", X=X, y=np.ones(39))
h5("X_flat.h5", X=np.ones(40), y=np.ones(40))
h5("X_3d.h5", X=np.ones((40, 2, 2)), y=np.ones(40))
h5("X_empty.h5", X=np.ones((0, 4)), y=np.ones(0))
h5("X_strings.h5", X=np.array([[b"a", b"b"]] * 40), y=np.ones(40))
bad = X.copy(); bad[37, 2] = np.nan
h5("X_nan.h5", X=bad, y=np.ones(40))
h5("y_inf.h5", X=X, y=np.where(np.arange(40) == 3, np.inf, 1.0))
h5("good_small.h5", X=X, y=rng.normal(size=40))
with open(path("good_small.h5"), "rb") as f:
    whole = f.read()
with open(path("truncated.h5"), "wb") as f:
    f.write(whole[: len(whole) // 3])
with open(path("superblock_corrupt.h5"), "wb") as f:
    f.write(whole[:8] + bytes(64) + whole[72:])
# IDX files
images = rng.integers(0, 256, size=(6, 3, 3), dtype=np.uint8)
write("images.idx.gz", idx([6, 3, 3], images.ravel()))
write("labels.idx.gz", idx([6], [0, 1, 2, 3, 4, 5]))
write("labels_out_of_range.idx.gz", idx([6], [0, 1, 12, 3, 4, 5]))
write("labels_five.idx.gz", idx([5], [0, 1, 2, 3, 4]))
write("images_truncated.idx.gz", idx([6, 3, 3], images.ravel())[:-7])
write("images_bad_magic.idx.gz", idx([6, 3, 3], images.ravel(), magic=b"\1\2"))
write("images_float.idx.gz", idx([6, 3, 3], bytes(6 * 9 * 4), type_code=0x0D))
write("images_zero_count.idx.gz", idx([0, 3, 3], []))
write("images_plain_garbage.idx", b"GIF89a garbage" * 10, compress=False)
with open(path("images.idx.gz"), "rb") as f:
    gz = f.read()
with open(path("images_gzip_truncated.idx.gz"), "wb") as f:
    f.write(gz[: len(gz) // 2])
# PNG files
good_png = png(4, 3, [[0, 50, 100, 150]] * 3)
with open(path("gray4x3.png"), "wb") as f:
    f.write(good_png)
with open(path("png_truncated.png"), "wb") as f:
    f.write(good_png[:40])
with open(path("png_bad_crc.png"), "wb") as f:
    f.write(good_png[:29] + bytes([good_png[29] ^ 0xFF]) + good_png[30:])
with open(path("png_not_png.png"), "wb") as f:
    f.write(b"\xff\xd8\xff\xe0 this is a JPEG header, not a PNG")
with open(path("png_huge.png"), "wb") as f:
    f.write(png(100000, 100000, []))
print("wrote", len(os.listdir(OUT)), "files to", OUT)
