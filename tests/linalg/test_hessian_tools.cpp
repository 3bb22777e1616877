#include <gtest/gtest.h>
#include <petscsys.h>
#include <petscblaslapack.h>

#include <algorithm>
#include <cmath>
#include <functional>

#include "msopt/core/error.hpp"
#include "msopt/linalg/hessian_tools.hpp"
#include "msopt/linalg/spectrum.hpp"
#include "msopt/models/quadratic_least_squares.hpp"
#include "test_util.hpp"

using namespace msopt;
using namespace msopt::testing;

class HessianToolsTest : public ::testing::Test {
 protected:
  // For least squares H = A = X^T X / N: the block A[S, S] by plain loops.
  void SetUp() override {
    A = naive_covariance(gather_all(data, data.X, data.dim), data.n_global, data.dim);
    for (PetscInt a : S)
      for (PetscInt b : S) block.push_back(A[a * data.dim + b]);
    std::vector<double> copy = block, work(10 * S.size());
    exact.resize(S.size());
    PetscBLASInt n = static_cast<PetscBLASInt>(S.size()), lwork = 10 * n, info = 0;
    LAPACKsyev_("N", "U", &n, copy.data(), &n, exact.data(), work.data(), &lwork, &info);
    std::sort(exact.begin(), exact.end(), std::greater<>());
    for (size_t k = 0; k < S.size(); ++k) trace += block[k * S.size() + k];
  }
  Dataset data = generate_multiscale(small_spec(800, {6, 5}, {1, 0.1}, true), PETSC_COMM_WORLD);
  QuadraticLeastSquares f{data};
  std::vector<double> point = std::vector<double>(data.dim, 0.5);
  std::vector<PetscInt> S{0, 2, 3, 5, 7, 8, 10};
  std::vector<double> A, block, exact;
  double trace = 0;
};

TEST_F(HessianToolsTest, RestrictedShellHasTheBlocksEigenvalues) {
  MatHandle H = create_restricted_hessian_shell(f, point, S);
  Spectrum s = compute_spectrum(H, SpectrumSettings{});
  ASSERT_EQ(s.eigenvalues.size(), S.size());
  for (size_t k = 0; k < S.size(); ++k) EXPECT_NEAR(s.eigenvalues[k], exact[k], 1e-12 * exact[0]);
  EXPECT_THROW(create_restricted_hessian_shell(f, point, {3, 2}), Error);
  EXPECT_THROW(create_restricted_hessian_shell(f, point, {0, static_cast<PetscInt>(data.dim)}), Error);
}

TEST_F(HessianToolsTest, HutchinsonTraceIsUnbiasedAndRankIndependent) {
  TraceEstimate t = hutchinson_trace(f, point, S, 4000, 11);
  EXPECT_NEAR(t.trace, trace, 4 * t.standard_error);
  EXPECT_LT(t.standard_error, 0.05 * trace);
  Dataset whole = generate_multiscale(small_spec(800, {6, 5}, {1, 0.1}, true), PETSC_COMM_SELF);
  QuadraticLeastSquares f_whole(whole);
  TraceEstimate single = hutchinson_trace(f_whole, point, S, 4000, 11);
  EXPECT_NEAR(single.trace, t.trace, 1e-12 * trace);
}

TEST_F(HessianToolsTest, LanczosQuadratureRecoversTheSpectrum) {
  // Full Lanczos (steps = |S|): the nodes of every probe are the eigenvalues.
  SpectralDensity full = lanczos_density(f, point, S, 3, static_cast<int>(S.size()), 5);
  ASSERT_EQ(full.nodes.size(), 3 * S.size());
  double weights = 0, mean = 0;
  for (size_t k = 0; k < full.nodes.size(); ++k) weights += full.weights[k], mean += full.weights[k] * full.nodes[k];
  EXPECT_NEAR(weights, 1.0, 1e-12);
  for (int probe = 0; probe < 3; ++probe) {
    std::vector<double> nodes(full.nodes.begin() + probe * S.size(), full.nodes.begin() + (probe + 1) * S.size());
    std::sort(nodes.begin(), nodes.end(), std::greater<>());
    for (size_t k = 0; k < S.size(); ++k) EXPECT_NEAR(nodes[k], exact[k], 1e-10 * exact[0]);
  }
  // The density's mean estimates tr / n (SLQ with Gaussian probes).
  SpectralDensity many = lanczos_density(f, point, S, 400, 4, 9);
  mean = 0;
  for (size_t k = 0; k < many.nodes.size(); ++k) mean += many.weights[k] * many.nodes[k];
  EXPECT_NEAR(mean, trace / S.size(), 0.1 * trace / S.size());
  // The smoothed density integrates to one.
  double integral = 0, lo = exact.back() - 1, hi = exact.front() + 1, h = (hi - lo) / 20000;
  for (double x = lo; x < hi; x += h) integral += many.at(x, 0.05) * h;
  EXPECT_NEAR(integral, 1.0, 1e-3);
}
