#include <gtest/gtest.h>

#include <cmath>
#include <numeric>

#include "msopt/core/error.hpp"
#include "msopt/linalg/operators.hpp"
#include "msopt/linalg/spectral_weights.hpp"
#include "test_util.hpp"

using namespace msopt;
using namespace msopt::testing;

// A = Q diag(lambda) Q^T with Q = I - 2 u u^T / |u|^2 (a Householder reflector,
// its own transpose): v's components along the eigenvectors are Q v, in closed form.
TEST(SpectralWeights, MatchTheComponentsAlongAKnownEigenbasis) {
  const std::vector<double> lambda{0.5, 4.0, 1e-3, 2.0}, u{1.0, -2.0, 0.5, 3.0}, v{0.3, 1.0, -2.0, 0.7};
  const size_t d = lambda.size();
  const double uu = std::inner_product(u.begin(), u.end(), u.begin(), 0.0);
  auto q = [&](size_t i, size_t j) { return (i == j ? 1.0 : 0.0) - 2 * u[i] * u[j] / uu; };
  std::vector<double> A(d * d, 0.0), qv(d, 0.0);
  for (size_t i = 0; i < d; ++i)
    for (size_t j = 0; j < d; ++j) {
      for (size_t k = 0; k < d; ++k) A[j * d + i] += q(i, k) * lambda[k] * q(j, k);
      qv[i] += q(j, i) * v[j];
    }
  const std::vector<double> weights = spectral_weights(A, v);
  // Descending eigenvalues 4, 2, 0.5, 1e-3 are lambda[1], lambda[3], lambda[0], lambda[2].
  const std::vector<size_t> order{1, 3, 0, 2};
  ASSERT_EQ(weights.size(), d);
  for (size_t k = 0; k < d; ++k) EXPECT_NEAR(weights[k], qv[order[k]] * qv[order[k]], 1e-13) << k;
  EXPECT_THROW(spectral_weights(std::vector<double>(9, 1.0), v), Error);
}

// Collective: every rank holds the whole covariance, X^T X / N of the plain loops.
TEST(SpectralWeights, ReplicatedCovarianceMatchesThePlainLoops) {
  const Dataset data = generate_multiscale(small_spec(300, {5, 3}, {1, 0.05}, true), PETSC_COMM_WORLD);
  const std::vector<double> expected =
      naive_covariance(gather_all(data, data.X, data.dim), data.n_global, data.dim);
  const std::vector<double> computed = covariance_replicated(data);
  ASSERT_EQ(computed.size(), expected.size());
  for (size_t k = 0; k < expected.size(); ++k) EXPECT_NEAR(computed[k], expected[k], 1e-14) << k;
  // The weights of any vector add up to its squared norm (an orthonormal eigenbasis).
  std::vector<double> v(static_cast<size_t>(data.dim));
  for (size_t k = 0; k < v.size(); ++k) v[k] = std::sin(1.0 + static_cast<double>(k));
  const std::vector<double> weights = spectral_weights(computed, v);
  EXPECT_NEAR(std::accumulate(weights.begin(), weights.end(), 0.0),
              std::inner_product(v.begin(), v.end(), v.begin(), 0.0), 1e-13);
}
