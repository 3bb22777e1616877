#include <gtest/gtest.h>
#include <petscsys.h>
#include <petscblaslapack.h>

#include <algorithm>
#include <cmath>
#include <functional>

#include "msopt/data/pca.hpp"
#include "test_util.hpp"

using namespace msopt;
using namespace msopt::testing;

namespace {

// Centred covariance by plain loops, and its eigenvalues by LAPACK.
std::vector<double> centred_covariance(const std::vector<double>& X, PetscInt n, PetscInt d) {
  std::vector<double> mean(d, 0.0), C(static_cast<size_t>(d) * d, 0.0);
  for (PetscInt i = 0; i < n; ++i)
    for (PetscInt j = 0; j < d; ++j) mean[j] += X[i * d + j] / n;
  for (PetscInt i = 0; i < n; ++i)
    for (PetscInt a = 0; a < d; ++a)
      for (PetscInt b = 0; b < d; ++b) C[a * d + b] += (X[i * d + a] - mean[a]) * (X[i * d + b] - mean[b]) / n;
  return C;
}

}  // namespace

TEST(Pca, AlignsRotatedShiftedMultiscaleData) {
  auto spec = small_spec(3000, {4, 3, 2}, {1, 0.1, 0.01}, true);
  spec.shift = 3.0;
  Dataset data = generate_multiscale(spec, PETSC_COMM_WORLD);
  const PetscInt d = data.dim;
  auto C = centred_covariance(gather_all(data, data.X, d), data.n_global, d);
  std::vector<double> expected(d), work(10 * d), A = C;
  PetscBLASInt n = static_cast<PetscBLASInt>(d), lwork = 10 * n, info = 0;
  LAPACKsyev_("N", "U", &n, A.data(), &n, expected.data(), work.data(), &lwork, &info);
  std::sort(expected.begin(), expected.end(), std::greater<>());

  PrincipalAxes axes = principal_axes(data);
  for (PetscInt k = 0; k < d; ++k) EXPECT_NEAR(axes.values[k], expected[k], 1e-12 * expected[0]);
  align_to_axes(data, axes);
  auto aligned = centred_covariance(gather_all(data, data.X, d), data.n_global, d);
  for (PetscInt a = 0; a < d; ++a)
    for (PetscInt b = 0; b < d; ++b)
      EXPECT_NEAR(aligned[a * d + b], a == b ? expected[a] : 0.0, 1e-12 * expected[0]) << a << "," << b;
  // aligned data have zero mean
  auto X = gather_all(data, data.X, d);
  for (PetscInt j = 0; j < d; ++j) {
    double mean = 0;
    for (PetscInt i = 0; i < data.n_global; ++i) mean += X[i * d + j] / data.n_global;
    EXPECT_NEAR(mean, 0.0, 1e-12);
  }
  // The same rows on one rank, up to round-off amplified by the eigenvectors'
  // conditioning (||C|| / smallest gap inside a group ~ 1e5 here).
  Dataset whole = generate_multiscale(spec, PETSC_COMM_SELF);
  PrincipalAxes single = principal_axes(whole);
  align_to_axes(whole, single);
  for (size_t k = 0; k < data.X.size(); ++k)
    EXPECT_NEAR(data.X[k], whole.X[data.rows.begin * d + k], 1e-8);
}
