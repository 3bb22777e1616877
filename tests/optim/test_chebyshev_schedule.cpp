#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>

#include "msopt/core/error.hpp"
#include "msopt/optim/chebyshev_schedule.hpp"
#include "msopt/optim/mrgd.hpp"

using namespace msopt;

namespace {

// T_n(x) in closed form, for |x| <= 1 and x >= 1.
double chebyshev_T(int n, double x) { return std::fabs(x) <= 1 ? std::cos(n * std::acos(x)) : std::cosh(n * std::acosh(x)); }

// The cycle's error polynomial must be Young's: T_n((L + mu - 2 lambda)/(L - mu)) / T_n((L + mu)/(L - mu)).
double young_polynomial(int n, double lambda, double mu, double L) {
  return chebyshev_T(n, (L + mu - 2 * lambda) / (L - mu)) / chebyshev_T(n, (L + mu) / (L - mu));
}

}  // namespace

TEST(ChebyshevSchedule, FractalOrderByHand) {
  EXPECT_EQ(fractal_order(1), (std::vector<int>{1}));
  EXPECT_EQ(fractal_order(4), (std::vector<int>{1, 4, 2, 3}));
  EXPECT_EQ(fractal_order(8), (std::vector<int>{1, 8, 4, 5, 2, 7, 3, 6}));
  auto order = fractal_order(256);
  std::sort(order.begin(), order.end());
  for (int k = 0; k < 256; ++k) EXPECT_EQ(order[k], k + 1);
  EXPECT_THROW(fractal_order(12), Error);
}

TEST(ChebyshevSchedule, DefaultStepsNearSqrtKappa) {
  EXPECT_EQ(chebyshev_default_steps(100), 8);    // sqrt = 10
  EXPECT_EQ(chebyshev_default_steps(300), 16);   // sqrt = 17.3
  EXPECT_EQ(chebyshev_default_steps(1000), 32);  // sqrt = 31.6
  EXPECT_EQ(chebyshev_default_steps(1.5), 1);
}

// MrGD driven by the schedule on e <- e - eta A e with A diagonal: after one
// cycle every component is multiplied by Young's polynomial at its eigenvalue.
TEST(ChebyshevSchedule, CycleIsYoungsPolynomial) {
  const double L = 2.5, kappa = 300;
  const int steps = 16;
  MultirateGD mrgd(chebyshev_schedule(L, kappa, steps), "test");
  std::vector<double> lambda;
  for (int k = 0; k <= 40; ++k) lambda.push_back(L / kappa + (L - L / kappa) * k / 40.0);
  lambda.push_back(L / kappa / 10);  // below the interval: damped less, never amplified
  std::vector<double> e(lambda.size(), 1.0), g(lambda.size());
  for (int t = 0; t < steps; ++t) {
    for (size_t k = 0; k < e.size(); ++k) g[k] = lambda[k] * e[k];
    mrgd.step(e, g);
  }
  EXPECT_TRUE(mrgd.at_cycle_end());
  double worst = 0;
  for (size_t k = 0; k < e.size(); ++k) {
    const double expected = young_polynomial(steps, lambda[k], L / kappa, L);
    EXPECT_NEAR(e[k], expected, 1e-9 * std::max(1.0, std::fabs(expected))) << "lambda " << lambda[k];
    if (k + 1 < e.size()) worst = std::max(worst, std::fabs(e[k]));
  }
  EXPECT_GT(e.back(), 0.0);
  EXPECT_LT(e.back(), 1.0);
  // On the interval the error is at most 1/T_n((kappa + 1)/(kappa - 1)), which the schedule reports.
  const double bound = 1 / chebyshev_T(steps, (kappa + 1) / (kappa - 1));
  EXPECT_NEAR(mrgd.schedule().cycle_contraction, bound, 1e-12 * bound);
  EXPECT_LE(worst, bound * (1 + 1e-9));
  // GD at its best constant rate 2/(L + mu) needs many more steps for that bound.
  EXPECT_LT(bound, std::pow(1 - 2 / (kappa + 1), 4 * steps));
}

// The fractal order keeps the partial products small; largest rates first does not.
TEST(ChebyshevSchedule, FractalOrderBoundsIntermediateGrowth) {
  MultirateSchedule s = chebyshev_schedule(1.0, 1000, 32);
  EXPECT_LT(s.worst_amplification, 1e3);
  EXPECT_GT(s.naive_amplification, 1e3 * s.worst_amplification);
  EXPECT_EQ(s.counts, std::vector<PetscInt>(32, 1));
  EXPECT_THROW(chebyshev_schedule(1.0, 0.5, 8), Error);
  // kappa = 1 (a top group of one eigenvalue): GD at 1 / lambda_max, exact on it.
  MultirateSchedule one = chebyshev_schedule(2.0, 1.0, chebyshev_default_steps(1.0));
  EXPECT_EQ(one.rates, std::vector<double>{0.5});
  EXPECT_EQ(one.cycle_contraction, 0.0);
  EXPECT_THROW(chebyshev_schedule(0.0, 10, 8), Error);
}
