#include <gtest/gtest.h>
#include <petscsys.h>
#include <petscblaslapack.h>

#include <cmath>
#include <limits>

#include "msopt/core/error.hpp"
#include "msopt/models/quadratic_least_squares.hpp"
#include "msopt/optim/mrgd.hpp"
#include "test_util.hpp"

using namespace msopt;
using namespace msopt::testing;

// Values below were computed by hand (Python, from eq. 18 and 19 as printed in the paper).
TEST(Theorem34, TwoGroupCountsAndBound) {
  std::vector<ScaleGroup> groups{{1.0, 0.5, 4}, {0.01, 0.005, 2}};
  auto rates = rates_from_eta(groups, 1.0);
  EXPECT_DOUBLE_EQ(rates[1], 100.0);
  EXPECT_NEAR(theorem34_F(groups, rates, 0, 1), 7.68493072868008, 1e-12);
  auto counts = theorem34_counts(groups, rates);
  EXPECT_EQ(counts, (std::vector<PetscInt>{8, 1}));
  EXPECT_NEAR(theorem34_bound(groups, rates, counts), 0.4803465217877184, 1e-14);
}

TEST(Theorem34, ThreeGroupCountsUseTheFartherTerms) {
  std::vector<ScaleGroup> groups{{1, 0.8, 3}, {0.1, 0.08, 3}, {0.01, 0.008, 3}};
  auto rates = rates_from_eta(groups, 2.0);
  EXPECT_NEAR(theorem34_F(groups, rates, 0, 1), 4.036394331529715, 1e-12);
  EXPECT_NEAR(theorem34_F(groups, rates, 0, 2), 5.330865085045444, 1e-12);
  EXPECT_NEAR(theorem34_F(groups, rates, 1, 2), 4.036394331529716, 1e-12);
  auto counts = theorem34_counts(groups, rates);
  EXPECT_EQ(counts, (std::vector<PetscInt>{26, 5, 1}));
  EXPECT_NEAR(theorem34_bound(groups, rates, counts), 0.44080875809542547, 1e-14);
}

TEST(StepOrder, OrdersAreArrangementsOfTheCounts) {
  std::vector<ScaleGroup> groups{{1, 0.8, 3}, {0.1, 0.08, 3}, {0.01, 0.008, 3}};
  auto rates = rates_from_eta(groups, 2.0);
  std::vector<PetscInt> counts{26, 5, 1};
  EXPECT_EQ(paper_order(counts).front(), 2);
  EXPECT_EQ(paper_order(counts).back(), 0);
  for (auto order :
       {greedy_order(groups, rates, counts), spread_order(rates, counts), bounded_order(groups, rates, counts, 1e-8)}) {
    std::vector<PetscInt> seen(3, 0);
    for (int j : order) ++seen[j];
    EXPECT_EQ(seen, counts);
  }
  // The bounded order never amplifies more than Algorithm 1's order.
  EXPECT_LE(worst_amplification(groups, rates, bounded_order(groups, rates, counts, 1e-8)),
            worst_amplification(groups, rates, paper_order(counts)));
}

// A = H diag(lambda) H with H = I - 2 u u^T / u^T u, u = (1, 2, ..., d): every eigenvector mixes every
// coordinate, so round-off made along one direction reaches the others as in a rotated problem.
class RotatedDiagonal {
 public:
  explicit RotatedDiagonal(std::vector<double> lambda) : lambda_(std::move(lambda)), u_(lambda_.size()) {
    for (size_t i = 0; i < u_.size(); ++i) uu_ += (u_[i] = static_cast<double>(i + 1)) * u_[i];
  }
  size_t size() const { return lambda_.size(); }
  void reflect(std::vector<double>& v) const {
    double uv = 0;
    for (size_t i = 0; i < v.size(); ++i) uv += u_[i] * v[i];
    for (size_t i = 0; i < v.size(); ++i) v[i] -= 2 * uv / uu_ * u_[i];
  }
  void apply(const std::vector<double>& x, std::vector<double>& y) const {  // y = A x
    y = x;
    reflect(y);
    for (size_t i = 0; i < y.size(); ++i) y[i] *= lambda_[i];
    reflect(y);
  }

 private:
  std::vector<double> lambda_, u_;
  double uu_ = 0;
};

// |e| after one cycle of e <- e - h A e in floating point, from e = (1, ..., 1) / sqrt(d).
double cycle_error_after_rotation(const RotatedDiagonal& A, const std::vector<double>& rates,
                                  const std::vector<int>& order) {
  std::vector<double> e(A.size(), 1 / std::sqrt(static_cast<double>(A.size()))), Ae;
  for (int j : order) {
    A.apply(e, Ae);
    for (size_t i = 0; i < e.size(); ++i) e[i] -= rates[j] * Ae[i];
  }
  double norm = 0;
  for (double x : e) norm += x * x;
  return std::sqrt(norm);
}

// The relative gradient |A x - b| / |b| after `cycles` cycles of x <- x - h (A x - b) from x = 0 in floating
// point, with b = H sqrt(lambda), as noise targets give (b = X^T y / N): the solution's components grow as
// 1 / sqrt(lambda), so the iterate lies mostly along the smallest scale.
double relative_gradient_after_cycles(const std::vector<double>& lambda, const MultirateSchedule& s, int cycles) {
  const RotatedDiagonal A(lambda);
  std::vector<double> b(lambda.size()), x(lambda.size(), 0.0), g;
  for (size_t i = 0; i < b.size(); ++i) b[i] = std::sqrt(lambda[i]);
  A.reflect(b);
  auto gradient = [&] {
    A.apply(x, g);
    for (size_t i = 0; i < g.size(); ++i) g[i] -= b[i];
  };
  for (int c = 0; c < cycles; ++c)
    for (int j : s.order) {
      gradient();
      for (size_t i = 0; i < x.size(); ++i) x[i] -= s.rates[j] * g[i];
    }
  gradient();
  double gg = 0, bb = 0;
  for (size_t i = 0; i < b.size(); ++i) gg += g[i] * g[i], bb += b[i] * b[i];
  return std::sqrt(gg / bb);
}

// The spectrum of `msopt data multiscale -data_dims 40,30,20,10 -data_scales 1,0.1,0.01,0.001 -data_rotate
// -data_shift 5 -data_seed 5` (N = 10000): the data's mean is a lone top eigenvalue, 2400 times the next
// (kappa 2.8e9). Eq. 18's counts at eta = 1, with the mean's own step taken as exact to eps (before
// attainable_level), damp it with no slack; greedy_order spent that early and spread_order met two
// amplifying steps, so automatic MrGD diverged (residual 1e7 times its best).
TEST(StepOrder, PacedOrderKeepsALoneTopEigenvalueBounded) {
  const std::vector<ScaleGroup> groups{{2.72471931e+03, 2.72471931e+03, 1}, {1.12524986e+00, 5.82885547e-01, 40},
                                       {1.10280122e-02, 5.80433433e-03, 30}, {1.07104553e-04, 9.22828940e-05, 19},
                                       {2.91045619e-05, 2.91045619e-05, 1},  {1.03773186e-06, 9.59120699e-07, 9}};
  const auto rates = rates_from_eta(groups, 1.0);
  const std::vector<PetscInt> counts{494, 1854, 228, 24, 1, 1};
  const auto greedy = greedy_order(groups, rates, counts), spread = spread_order(rates, counts),
             bounded = bounded_order(groups, rates, counts, 1e-8);
  EXPECT_GT(worst_amplification(groups, rates, greedy), 1e10);
  EXPECT_GT(worst_amplification(groups, rates, spread), 1e10);
  EXPECT_LT(worst_amplification(groups, rates, bounded), 1e3);
  EXPECT_LT(worst_amplification(groups, rates, paced_order(groups, rates, counts, 100)), 1e3);

  std::vector<double> lambda;  // both ends of every group's interval
  for (const ScaleGroup& g : groups) lambda.insert(lambda.end(), {g.sigma_max, g.sigma_min});
  const double contraction = cycle_contraction(groups, rates, counts);
  EXPECT_LT(contraction, 0.1);
  const RotatedDiagonal A(lambda);
  EXPECT_LE(cycle_error_after_rotation(A, rates, bounded), contraction) << "contraction " << contraction;
  EXPECT_GT(cycle_error_after_rotation(A, rates, spread), 4 * contraction);  // round-off grown (0.47)
}

// Data whose mean is a lone top eigenvalue over two scale groups, kappa 4.1e9 (`msopt data multiscale
// -data_dims 27,46 -data_scales 1,0.00041 -data_shift 3`, N = 10000). At eta = 1, eq. 18's counts with
// the mean's own step taken as exact to eps were 4, 19, 1: no slack, and MrGD diverged (the gradient
// 2.6e8 times its best after two cycles). Floored at eps kappa they have slack and the run converges.
TEST(Theorem34, CountsKeepSlackAgainstRoundoff) {
  const std::vector<ScaleGroup> groups{{6.07848e+02, 6.07848e+02, 1}, {1.09683e+00, 6.59178e-01, 27},
                                       {1.89322e-07, 1.48289e-07, 45}};
  std::vector<double> lambda;  // both ends of every group's interval
  for (const ScaleGroup& g : groups) lambda.insert(lambda.end(), {g.sigma_max, g.sigma_min});
  const auto rates = rates_from_eta(groups, 1.0);
  const MultirateSchedule tight = make_schedule(groups, rates, {4, 19, 1}, StepOrder::automatic, 1e-8);
  EXPECT_GT(relative_gradient_after_cycles(lambda, tight, 16), 1.0);

  const auto counts = theorem34_counts(groups, rates);
  EXPECT_EQ(counts, (std::vector<PetscInt>{11, 19, 1}));
  const MultirateSchedule s = make_schedule(groups, rates, counts, StepOrder::automatic, 1e-8);
  EXPECT_LT(relative_gradient_after_cycles(lambda, s, 16), 1e-8);
  const MultirateSchedule chosen = select_schedule(groups, nullptr, StepOrder::automatic, 1e-8);
  EXPECT_LT(relative_gradient_after_cycles(lambda, chosen, 16), 1e-8);
}

// steps_to by hand: eigenvalues 1 and 1e-4, equal start, a cycle of one step at each (the small one first).
// Exactly, both are annihilated within the cycle (after step index 1). With rounding modelled as noise
// sigma of the start's gradient, after the cycle the squared gradient is sigma^2 (1 + (1 - 1e-4)^2 + 1e-8) / 2,
// about sigma^2: done where sigma <= rtol, and never where sigma = 2 rtol (the next step at 1e-4 amplifies
// the top eigenvalue's share 1e8-fold).
TEST(StepsTo, RoundingModelByHand) {
  MultirateSchedule s;
  s.rates = {1e4, 1.0};
  s.counts = {1, 1};
  s.order = {0, 1};
  const std::vector<double> lambda{1.0, 1e-4}, equal{1.0, 1.0};
  const double inf = std::numeric_limits<double>::infinity();
  EXPECT_EQ(steps_to(s, lambda, equal, 1e-8, inf), 1);
  EXPECT_EQ(steps_to(s, lambda, equal, 1e-8, inf, 0.5e-8), 1);
  EXPECT_EQ(steps_to(s, lambda, equal, 1e-8, inf, 2e-8), inf);
  EXPECT_EQ(steps_to(s, lambda, equal, 1e-8, 1.0, 0.5e-8), inf);  // the limit: steps before it only
  // One step at 1: only the top eigenvalue falls; the bottom one's weight alone decides.
  s.rates = {1.0};
  s.counts = {1};
  s.order = {0};
  EXPECT_EQ(steps_to(s, lambda, {1.0, 0.0}, 1e-8, inf), 0);
  EXPECT_EQ(steps_to(s, lambda, {1.0, 1e-20}, 1e-8, inf), 0);
  EXPECT_EQ(steps_to(s, lambda, {1.0, 1e-10}, 1e-8, inf), inf);  // (1 - 1e-4)^2k 1e-10 > 1e-16 for 3 steps
}

// The eigenvalues above the spectrum's floor (the bottom group's least) and their weights; none, or all zero
// there: equal ones.
TEST(StepsTo, HeldEigenvaluesAboveTheFloor) {
  const std::vector<ScaleGroup> groups{{1.0, 0.5, 2}, {1e-2, 1e-3, 1}};
  const std::vector<double> lambda{1.0, 0.5, 1e-3, 1e-4};
  const HeldEigenvalues none = held_eigenvalues(groups, lambda, {});
  EXPECT_EQ(none.values, (std::vector<double>{1.0, 0.5, 1e-3}));
  EXPECT_EQ(none.weights, (std::vector<double>{1.0, 1.0, 1.0}));
  EXPECT_EQ(held_eigenvalues(groups, lambda, {2, 3, 5, 7}).weights, (std::vector<double>{2, 3, 5}));
  EXPECT_EQ(held_eigenvalues(groups, lambda, {0, 0, 0, 7}).weights, (std::vector<double>{1.0, 1.0, 1.0}));
}

// One MrGD cycle applied to an eigenvector v_k of A (error dynamics e <- e - eta_j A e)
// must return S v_k = prod_j (1 - eta_j lambda_k)^{n_j} v_k (eq. 15), and
// ||S v_k|| must obey Theorem 3.4's bound (eq. 19).
TEST(MultirateGD, CycleErrorOperatorOnEigenvectors) {
  Dataset data = generate_multiscale(small_spec(2000, {6, 4}, {1, 0.0316227766}, true), PETSC_COMM_WORLD);
  QuadraticLeastSquares f(data);
  const PetscInt d = data.dim;
  std::vector<double> V = naive_covariance(gather_all(data, data.X, d), data.n_global, d), lambda(d);
  PetscBLASInt n = static_cast<PetscBLASInt>(d), lwork = 10 * n, info = 0;
  std::vector<double> work(lwork);
  LAPACKsyev_("V", "U", &n, V.data(), &n, lambda.data(), work.data(), &lwork, &info);
  ASSERT_EQ(info, 0);
  std::vector<double> descending(lambda.rbegin(), lambda.rend());
  auto groups = detect_scale_groups(descending, 3.0);
  ASSERT_EQ(groups.size(), 2u);
  // Theorem 3.4's regime, eta >= 1 (the automatic eta may lie below it: its bound is the interval bound).
  const auto rates = rates_from_eta(groups, 1.05);
  auto schedule = make_schedule(groups, rates, theorem34_counts(groups, rates), StepOrder::automatic, 1e-8);
  ASSERT_FALSE(std::isnan(schedule.theorem_bound));

  for (PetscInt k = 0; k < d; ++k) {
    MultirateGD mrgd(schedule, "test");
    std::vector<double> e(V.begin() + k * d, V.begin() + (k + 1) * d), Ae(d);
    for (PetscInt step = 0; step < schedule.steps_per_cycle(); ++step) {
      f.hessian_vector(e.data(), e.data(), Ae.data());
      mrgd.step(e, Ae);
    }
    EXPECT_TRUE(mrgd.at_cycle_end());
    double predicted = 1;
    for (size_t j = 0; j < schedule.rates.size(); ++j)
      predicted *= std::pow(1 - schedule.rates[j] * lambda[k], static_cast<double>(schedule.counts[j]));
    for (PetscInt i = 0; i < d; ++i) EXPECT_NEAR(e[i], predicted * V[k * d + i], 1e-9) << "eigenvector " << k;
    EXPECT_LE(std::fabs(predicted), schedule.theorem_bound * (1 + 1e-12));
  }
}

namespace {

// The data covariance's eigenvalues, largest first (LAPACK).
std::vector<double> descending_eigenvalues(const Dataset& data) {
  std::vector<double> V = naive_covariance(gather_all(data, data.X, data.dim), data.n_global, data.dim);
  std::vector<double> lambda(data.dim), work(10 * data.dim);
  PetscBLASInt n = static_cast<PetscBLASInt>(data.dim), lwork = 10 * n, info = 0;
  LAPACKsyev_("N", "U", &n, V.data(), &n, lambda.data(), work.data(), &lwork, &info);
  return {lambda.rbegin(), lambda.rend()};
}

// MrGD from zero until the relative gradient is at most `tol`, or `steps`
// gradients: the last relative gradient (infinite once one is not finite).
double relative_gradient_reached(const MultirateSchedule& schedule, QuadraticLeastSquares& f, PetscInt dim, int steps,
                                 double tol) {
  MultirateGD mrgd(schedule, "test");
  std::vector<double> w(dim, 0.0), g(dim);
  double relative = 1;
  for (int it = 0; it < steps && relative > tol; ++it) {
    f.value_and_gradient(w.data(), g.data());
    double norm = 0;
    for (double x : g) norm += x * x;
    relative = std::sqrt(norm) / f.rhs_norm();
    if (!std::isfinite(relative)) return std::numeric_limits<double>::infinity();
    mrgd.step(w, g);
  }
  return relative;
}

}  // namespace

// Six scale groups, global condition number ~1e8: the bounded order converges
// in double precision where Algorithm 1's order overflows.
TEST(MultirateGD, SixGroupsConvergeInDoublePrecision) {
  auto spec = small_spec(20000, {10, 10, 10, 10, 10, 10}, {1, 0.158489, 0.0251189, 0.00398107, 0.000630957, 0.0001},
                         true);
  Dataset data = generate_multiscale(spec, PETSC_COMM_WORLD);
  QuadraticLeastSquares f(data);
  const std::vector<double> descending = descending_eigenvalues(data);
  auto groups = detect_scale_groups(descending, 3.0);
  ASSERT_EQ(groups.size(), 6u);
  EXPECT_GT(descending.front() / descending.back(), 5e7);
  auto schedule = select_schedule(groups, nullptr, StepOrder::automatic, 1e-8);
  EXPECT_LT(schedule.worst_amplification, 1e8);
  EXPECT_FALSE(schedule.naive_amplification < 1e100);
  EXPECT_LE(relative_gradient_reached(schedule, f, data.dim, 20 * schedule.steps_per_cycle(), 1e-7), 1e-7);
}

// Six groups of one eigenvalue each, eta = 1 (-mrgd_eta 1): every group's own
// step annihilates it on paper (log 0 in eq. 18). The own factor is floored at
// the accuracy a step attains (eps kappa), as is the one of an eta 4 ulp above
// 1: the counts are the same, and the cycle converges; the unfloored ratios
// gave 5, 4, 3, 39, 2, 1 and a cycle that overflowed.
TEST(MultirateGD, OneEigenvalueGroupsAtEtaOne) {
  auto spec = small_spec(10000, {1, 1, 1, 1, 1, 1}, {1, 0.3, 0.1, 0.03, 0.01, 0.003}, false, 4);
  Dataset data = generate_multiscale(spec, PETSC_COMM_WORLD);
  QuadraticLeastSquares f(data);
  auto groups = detect_scale_groups(descending_eigenvalues(data), 3.0);
  ASSERT_EQ(groups.size(), 6u);
  const auto rates = rates_from_eta(groups, 1.0);
  const auto counts = theorem34_counts(groups, rates);
  EXPECT_EQ(counts, theorem34_counts(groups, rates_from_eta(groups, 1 + 4 * std::numeric_limits<double>::epsilon())));
  auto schedule = make_schedule(groups, rates, counts, StepOrder::automatic, 1e-8);
  EXPECT_LE(relative_gradient_reached(schedule, f, data.dim, 3 * schedule.steps_per_cycle(), 1e-8), 1e-8);
}

TEST(MultirateGD, RefusesASpectrumWithoutGroups) {
  EXPECT_THROW(select_schedule({{1.0, 0.5, 10}}, nullptr, StepOrder::automatic, 1e-8), Error);
}
