#include <gtest/gtest.h>

#include <cmath>
#include <limits>

#include "image_test_util.hpp"
#include "msopt/core/error.hpp"
#include "msopt/core/rng.hpp"
#include "msopt/mgdl/tv_prox.hpp"

using namespace msopt;
using namespace msopt::testing;

TEST(TvProx, SoftThresholdingClosedForm) {
  const PetscInt n = 301;
  CounterRng rng(3);
  std::vector<double> u0(n), bg(n);
  for (PetscInt i = 0; i < n; ++i) {
    u0[i] = rng.normal2(1, i, 0)[0] * 0.2;
    bg[i] = rng.normal2(1, i, 0)[1] * 0.2;
  }
  TvParameters p;
  p.lambda = 0.3;
  p.beta = 2.0;
  p.alpha = 0.6;
  VecHandle u = create_pixel_vec(PETSC_COMM_WORLD, n), b = create_pixel_vec(PETSC_COMM_WORLD, n);
  set_from_replicated(u, u0);
  set_from_replicated(b, bg);
  tv_prox_step(u, b, p);
  const auto out = gather_replicated(u);
  const double t = 0.6 * 0.3 / 2.0;  // alpha lambda / beta
  int zeros = 0;
  for (PetscInt i = 0; i < n; ++i) {
    const double x = 0.6 * bg[i] + 0.4 * u0[i];
    const double expected = x > t ? x - t : (x < -t ? x + t : 0.0);
    EXPECT_NEAR(out[i], expected, 1e-15) << i;
    if (std::fabs(x) <= t) {
      EXPECT_EQ(out[i], 0.0);
      ++zeros;
    }
    // The prox minimises t |y| + (y - x)^2 / 2: no nearby point is lower.
    auto cost = [&](double y) { return t * std::fabs(y) + 0.5 * (y - x) * (y - x); };
    EXPECT_LE(cost(out[i]), std::min(cost(out[i] + 1e-4), cost(out[i] - 1e-4)));
  }
  EXPECT_GT(zeros, 10);       // both branches are exercised
  EXPECT_LT(zeros, n - 10);
}

TEST(TvProx, RefusesBadParameters) {
  VecHandle u = create_pixel_vec(PETSC_COMM_WORLD, 4), b = create_pixel_vec(PETSC_COMM_WORLD, 4);
  TvParameters p;
  p.lambda = -1;
  EXPECT_THROW(tv_prox_step(u, b, p), Error);
  p = TvParameters{};
  p.beta = 0;
  EXPECT_THROW(p.check(), Error);
  p = TvParameters{};
  p.alpha = 1.5;
  EXPECT_THROW(p.check(), Error);
  p.alpha = std::numeric_limits<double>::quiet_NaN();
  EXPECT_THROW(p.check(), Error);
  EXPECT_THROW(soft_threshold(u, -0.1), Error);
}
