// libFuzzer target: arbitrary bytes as an HDF5 file for msopt::read_dataset.
//
// msopt::Error (a clear message about the file) and msopt::LocalError (an
// HDF5 call failed on this rank) are expected outcomes. Anything else is a
// finding: a crash or sanitizer report, a hang, another exception type, or
// HDF5 objects left open by our code after the call (they would pin the file
// and leak in a long-running process).
//
// HDF5 itself is not instrumented; the corpus (fuzz/corpus/hdf5_dataset/)
// holds small valid and near-valid msopt files so the mutations reach our
// code behind H5Fopen.
#include <fcntl.h>
#include <hdf5.h>
#include <unistd.h>

#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "fuzz_common.hpp"
#include "msopt/core/error.hpp"
#include "msopt/core/h5file.hpp"
#include "msopt/data/hdf5_dataset.hpp"

namespace {

std::string g_path;

void remove_file() {
  if (!g_path.empty()) std::remove(g_path.c_str());
}

void write_file(const uint8_t* data, size_t size) {
  int fd = ::open(g_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
  if (fd < 0) {
    std::perror(g_path.c_str());
    std::abort();
  }
  for (size_t done = 0; done < size;) {
    ssize_t n = ::write(fd, data + done, size - done);
    if (n <= 0) {
      std::perror(g_path.c_str());
      std::abort();
    }
    done += static_cast<size_t>(n);
  }
  ::close(fd);
}

// read_dataset allocates what /X declares (finding: a few-KB file can declare
// terabytes; the fix turns std::bad_alloc into msopt::Error). Under ASan and
// libFuzzer's malloc limit a large allocation is a fatal report, so inputs
// declaring more than 256 MB are skipped -- unless a size does not fit in
// PetscInt (32-bit), which read_dataset must refuse before allocating.
bool declares_huge_x() {
  // The shape as read_dataset sees it (msopt's H5File: its file access and
  // link checks); a plain H5Fopen saw no /X in a corrupt file that read_dataset
  // then sized at 4 GB (a false finding).
  try {
    const msopt::H5File file = msopt::H5File::open(g_path, MPI_COMM_SELF);
    if (!file.has("X")) return false;
    const std::vector<hsize_t> dims = file.shape("X");
    const double limit = 2147483647.0;
    return dims.size() == 2 && dims[0] <= limit && dims[1] <= limit && double(dims[0]) * double(dims[1]) * 8 > 256e6;
  } catch (const std::exception&) {
    return false;  // read_dataset meets the same failure
  }
}

void check_no_open_hdf5_objects(const char* after) {
  ssize_t open = H5Fget_obj_count(H5F_OBJ_ALL, H5F_OBJ_ALL);
  if (open > 0) {
    std::fprintf(stderr, "fuzz_hdf5_dataset: %zd HDF5 objects still open after %s (files %zd, datasets %zd, attributes %zd)\n",
                 open, after, H5Fget_obj_count(H5F_OBJ_ALL, H5F_OBJ_FILE),
                 H5Fget_obj_count(H5F_OBJ_ALL, H5F_OBJ_DATASET), H5Fget_obj_count(H5F_OBJ_ALL, H5F_OBJ_ATTR));
    std::abort();
  }
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  msopt::fuzz::initialize_petsc("fuzz_hdf5_dataset");
  H5Eset_auto2(H5E_DEFAULT, nullptr, nullptr);
  const char* dir = std::getenv("TMPDIR");
  g_path = std::string(dir && *dir ? dir : "/tmp") + "/msopt_fuzz_dataset_" + std::to_string(getpid()) + ".h5";
  std::atexit(remove_file);
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  write_file(data, size);
  if (declares_huge_x()) return 0;
  check_no_open_hdf5_objects("the size check");
  try {
    msopt::Dataset d = msopt::read_dataset(g_path, MPI_COMM_SELF);
    // What a successful read promises (hdf5_dataset.hpp, dataset.hpp).
    if (d.n_global <= 0 || d.dim <= 0 || d.rows.begin != 0 || d.rows.count != d.n_global ||
        d.X.size() != static_cast<size_t>(d.n_global) * static_cast<size_t>(d.dim) ||
        d.y.size() != static_cast<size_t>(d.n_global)) {
      std::fprintf(stderr, "fuzz_hdf5_dataset: inconsistent Dataset (N %lld, d %lld, X %zu, y %zu)\n",
                   static_cast<long long>(d.n_global), static_cast<long long>(d.dim), d.X.size(), d.y.size());
      std::abort();
    }
    for (double v : d.X)
      if (!std::isfinite(v)) std::abort();  // read_dataset promises finite values
    for (double v : d.y)
      if (!std::isfinite(v)) std::abort();
  } catch (const msopt::Error&) {
  } catch (const msopt::LocalError&) {
  }
  check_no_open_hdf5_objects("read_dataset");
  return 0;
}
