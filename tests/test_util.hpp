// Helpers shared by the tests: small datasets and independent references.
#pragma once
#include <petscsys.h>

#include <vector>

#include "msopt/data/dataset.hpp"
#include "msopt/data/multiscale_generator.hpp"

namespace msopt::testing {

inline MultiscaleSpec small_spec(PetscInt n, std::vector<PetscInt> dims, std::vector<double> scales, bool rotate,
                                 std::uint64_t seed = 7) {
  MultiscaleSpec s;
  s.n = n;
  s.dims = std::move(dims);
  s.scales = std::move(scales);
  s.rotate = rotate;
  s.seed = seed;
  return s;
}

// Every row of the dataset on every rank (row-major N x d), and all targets.
template <class Allocator>
std::vector<double> gather_all(const Dataset& data, const std::vector<double, Allocator>& local, PetscInt width) {
  int size = 1;
  MPI_Comm_size(data.comm, &size);
  std::vector<int> counts(size), offsets(size);
  int mine = static_cast<int>(data.rows.count * width);
  MPI_Allgather(&mine, 1, MPI_INT, counts.data(), 1, MPI_INT, data.comm);
  for (int r = 1; r < size; ++r) offsets[r] = offsets[r - 1] + counts[r - 1];
  std::vector<double> all(static_cast<size_t>(data.n_global) * width);
  MPI_Allgatherv(local.data(), mine, MPI_DOUBLE, all.data(), counts.data(), offsets.data(), MPI_DOUBLE, data.comm);
  return all;
}

// A = X^T X / N by plain loops over all rows (column-major d x d).
inline std::vector<double> naive_covariance(const std::vector<double>& X, PetscInt n, PetscInt d) {
  std::vector<double> A(static_cast<size_t>(d) * d, 0.0);
  for (PetscInt i = 0; i < n; ++i)
    for (PetscInt a = 0; a < d; ++a)
      for (PetscInt b = 0; b < d; ++b) A[a * d + b] += X[i * d + a] * X[i * d + b] / n;
  return A;
}

}  // namespace msopt::testing

#include <unistd.h>

#include <string>

namespace msopt::testing {

// Directories made by shared_temp_dir, removed by the test main at exit.
inline std::vector<std::string>& temp_dirs() {
  static std::vector<std::string> dirs;
  return dirs;
}

// A fresh directory, the same path on every rank.
inline std::string shared_temp_dir(MPI_Comm comm) {
  int rank = 0;
  MPI_Comm_rank(comm, &rank);
  char path[64] = "/tmp/msopt_test_XXXXXX";
  if (rank == 0 && !mkdtemp(path)) path[0] = '\0';
  MPI_Bcast(path, sizeof path, MPI_CHAR, 0, comm);
  if (rank == 0) temp_dirs().push_back(path);
  return path;
}

// Sets PETSc options for the scope of one test.
class ScopedOptions {
 public:
  ScopedOptions(std::initializer_list<std::pair<std::string, std::string>> values) : values_(values) {
    for (const auto& [name, value] : values_) PetscOptionsSetValue(nullptr, name.c_str(), value.c_str());
  }
  ~ScopedOptions() {
    for (const auto& entry : values_) PetscOptionsClearValue(nullptr, entry.first.c_str());
  }

 private:
  std::vector<std::pair<std::string, std::string>> values_;
};

}  // namespace msopt::testing
