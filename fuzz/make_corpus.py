#!/usr/bin/python3
"""Writes the h5py-made seeds of fuzz/corpus/hdf5_dataset/ (run with Debian's
/usr/bin/python3 and python3-h5py from the repository root):

    /usr/bin/python3 fuzz/make_corpus.py

The msopt-made seeds come from `msopt data multiscale ... -data_out`; see
fuzz/README.md. Every seed is a few KB: the fuzzer mutates bytes, and small
files keep most mutations inside the structures our code reads.
"""
import os

import h5py
import numpy as np

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "corpus", "hdf5_dataset")


def write(name, build):
    path = os.path.join(OUT, name)
    with h5py.File(path, "w", libver="earliest") as f:
        build(f)
    size = os.path.getsize(path)
    assert size < 10_000, (name, size)
    print(f"{name}: {size} bytes")


def valid(f, n=3, d=2):
    rng = np.random.default_rng(1)
    f["X"] = rng.standard_normal((n, d))
    f["y"] = rng.standard_normal(n)


def with_attributes(f):
    valid(f)
    f.attrs["scales"] = np.array([1.0, 0.1])
    f.attrs["seed"] = np.int32(3)
    f.attrs["generator"] = np.bytes_("multiscale")  # fixed-length string, as msopt writes


def vlen_string_attribute(f):
    valid(f)
    f.attrs["note"] = "variable-length string"  # h5py's default string type


def main():
    os.makedirs(OUT, exist_ok=True)
    write("h5py_valid.h5", valid)
    write("h5py_attributes.h5", with_attributes)
    write("h5py_vlen_attribute.h5", vlen_string_attribute)
    write("h5py_wrong_names.h5", lambda f: (f.create_dataset("A", data=np.ones((3, 2))),
                                            f.create_dataset("b", data=np.ones(3))))
    write("h5py_x_1d.h5", lambda f: (f.create_dataset("X", data=np.ones(3)), f.create_dataset("y", data=np.ones(3))))
    write("h5py_x_3d.h5", lambda f: (f.create_dataset("X", data=np.ones((3, 2, 1))),
                                     f.create_dataset("y", data=np.ones(3))))
    write("h5py_y_short.h5", lambda f: (f.create_dataset("X", data=np.ones((3, 2))),
                                        f.create_dataset("y", data=np.ones(2))))
    write("h5py_y_2d.h5", lambda f: (f.create_dataset("X", data=np.ones((3, 2))),
                                     f.create_dataset("y", data=np.ones((3, 1)))))
    write("h5py_empty.h5", lambda f: (f.create_dataset("X", shape=(0, 2), dtype="f8"),
                                      f.create_dataset("y", shape=(0,), dtype="f8")))
    write("h5py_nan_x.h5", lambda f: (f.create_dataset("X", data=np.array([[1.0, np.nan], [2.0, 3.0]])),
                                      f.create_dataset("y", data=np.ones(2))))
    write("h5py_inf_y.h5", lambda f: (f.create_dataset("X", data=np.ones((2, 2))),
                                      f.create_dataset("y", data=np.array([1.0, np.inf]))))
    write("h5py_int_float32.h5", lambda f: (f.create_dataset("X", data=np.arange(6, dtype=np.int32).reshape(3, 2)),
                                            f.create_dataset("y", data=np.ones(3, dtype=np.float32))))
    write("h5py_chunked_gzip.h5", lambda f: (f.create_dataset("X", data=np.ones((4, 2)), chunks=(2, 2),
                                                              compression="gzip", shuffle=True, fletcher32=True),
                                             f.create_dataset("y", data=np.ones(4), chunks=(2,))))
    write("h5py_x_group.h5", lambda f: (f.create_group("X").create_dataset("data", data=np.ones((2, 2))),
                                        f.create_dataset("y", data=np.ones(2))))
    write("h5py_x_string.h5", lambda f: (f.create_dataset("X", data=np.array([[b"ab", b"cd"]])),
                                         f.create_dataset("y", data=np.ones(1))))
    write("h5py_soft_links.h5", lambda f: (f.create_dataset("data", data=np.ones((2, 2))),
                                           f.__setitem__("X", h5py.SoftLink("/data")),
                                           f.__setitem__("y", h5py.SoftLink("/missing"))))


if __name__ == "__main__":
    main()
