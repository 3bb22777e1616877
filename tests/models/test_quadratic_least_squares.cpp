#include <gtest/gtest.h>

#include <cmath>

#include "msopt/models/quadratic_least_squares.hpp"
#include "test_util.hpp"

using namespace msopt;
using namespace msopt::testing;

namespace {

struct Reference {  // A, b and L by plain loops over every row
  std::vector<double> A, b;
  PetscInt d;
  double value(const std::vector<double>& w) const {
    double v = 0;
    for (PetscInt r = 0; r < d; ++r) {
      for (PetscInt c = 0; c < d; ++c) v += 0.5 * w[r] * A[r * d + c] * w[c];
      v -= b[r] * w[r];
    }
    return v;
  }
};

Reference reference(const Dataset& data) {
  auto X = gather_all(data, data.X, data.dim);
  auto y = gather_all(data, data.y, 1);
  Reference ref{naive_covariance(X, data.n_global, data.dim), std::vector<double>(data.dim, 0.0), data.dim};
  for (PetscInt i = 0; i < data.n_global; ++i)
    for (PetscInt j = 0; j < data.dim; ++j) ref.b[j] += 2.0 * y[i] * X[i * data.dim + j] / data.n_global;
  return ref;
}

std::vector<double> some_point(PetscInt d) {
  std::vector<double> w(d);
  for (PetscInt k = 0; k < d; ++k) w[k] = std::sin(1.0 + 3.0 * k);
  return w;
}

}  // namespace

TEST(QuadraticLeastSquares, MatchesPlainLoopsForValueGradientAndHessian) {
  // d = 13: the dot product's eight-wide part and its remainder.
  Dataset data = generate_multiscale(small_spec(300, {9, 4}, {1, 0.1}, true), PETSC_COMM_WORLD);
  QuadraticLeastSquares f(data);
  Reference ref = reference(data);
  auto w = some_point(data.dim);
  std::vector<double> g(data.dim), hv(data.dim);
  double value = f.value_and_gradient(w.data(), g.data());
  f.hessian_vector(w.data(), w.data(), hv.data());
  EXPECT_NEAR(value, ref.value(w), 1e-12 * std::fabs(ref.value(w)));
  for (PetscInt r = 0; r < data.dim; ++r) {
    double Aw = 0;
    for (PetscInt c = 0; c < data.dim; ++c) Aw += ref.A[r * data.dim + c] * w[c];
    EXPECT_NEAR(g[r], Aw - ref.b[r], 1e-12);
    EXPECT_NEAR(hv[r], Aw, 1e-12);
    EXPECT_NEAR(f.rhs()[r], ref.b[r], 1e-13);
  }
}

TEST(QuadraticLeastSquares, GradientMatchesFiniteDifferences) {
  Dataset data = generate_multiscale(small_spec(250, {3, 3}, {1, 0.3}, false), PETSC_COMM_WORLD);
  QuadraticLeastSquares f(data);
  auto w = some_point(data.dim);
  std::vector<double> g(data.dim), scratch(data.dim);
  f.value_and_gradient(w.data(), g.data());
  const double h = 1e-5;
  for (PetscInt k = 0; k < data.dim; ++k) {
    auto plus = w, minus = w;
    plus[k] += h;
    minus[k] -= h;
    double fd = (f.value_and_gradient(plus.data(), scratch.data()) -
                 f.value_and_gradient(minus.data(), scratch.data())) / (2 * h);
    EXPECT_NEAR(g[k], fd, 1e-8) << "component " << k;
  }
}

TEST(QuadraticLeastSquares, AgreesAcrossRankCounts) {
  auto spec = small_spec(503, {5, 5}, {1, 0.01}, true);
  Dataset split = generate_multiscale(spec, PETSC_COMM_WORLD), whole = generate_multiscale(spec, PETSC_COMM_SELF);
  QuadraticLeastSquares f_split(split), f_whole(whole);
  auto w = some_point(split.dim);
  std::vector<double> a(split.dim), b(split.dim);
  f_split.value_and_gradient(w.data(), a.data());
  f_whole.value_and_gradient(w.data(), b.data());
  for (PetscInt k = 0; k < split.dim; ++k) EXPECT_NEAR(a[k], b[k], 1e-12 * (1 + std::fabs(b[k])));
}

TEST(QuadraticLeastSquares, SoftwarePrefetchGivesTheSameBits) {
  // d = 45: rows that start anywhere in a cache line, five eight-wide steps and a remainder of 5.
  Dataset data = generate_multiscale(small_spec(2003, {30, 15}, {1, 0.05}, true), PETSC_COMM_WORLD);
  QuadraticLeastSquares with(data), without(data);
  with.set_prefetch(true);
  without.set_prefetch(false);
  EXPECT_TRUE(with.prefetch().second());
  EXPECT_FALSE(without.prefetch().second());
  auto w = some_point(data.dim);
  std::vector<double> a(data.dim), b(data.dim), ha(data.dim), hb(data.dim);
  EXPECT_EQ(with.value_and_gradient(w.data(), a.data()), without.value_and_gradient(w.data(), b.data()));
  with.hessian_vector(w.data(), w.data(), ha.data());
  without.hessian_vector(w.data(), w.data(), hb.data());
  EXPECT_EQ(a, b);
  EXPECT_EQ(ha, hb);
}

TEST(QuadraticLeastSquares, PrefetchIsChosenByTimingOnlyWhereXLeavesTheCaches) {
  // Per rank (PETSC_COMM_SELF): 1000 x 20 doubles (160 kB) are settled without prefetch at once; 21000 x 100
  // (16.8 MB) alternate from the constructor's pass on, and settle after two passes each way.
  Dataset small = generate_multiscale(small_spec(1000, {10, 10}, {1, 0.1}, false), PETSC_COMM_SELF);
  QuadraticLeastSquares in_cache(small);
  EXPECT_TRUE(in_cache.prefetch().settled());
  EXPECT_FALSE(in_cache.prefetch().second());
  Dataset large = generate_multiscale(small_spec(21000, {50, 50}, {1, 0.1}, false), PETSC_COMM_SELF);
  QuadraticLeastSquares streamed(large);  // pass 1: without
  auto w = some_point(large.dim);
  std::vector<double> g(large.dim);
  EXPECT_FALSE(streamed.prefetch().settled());
  EXPECT_TRUE(streamed.prefetch().second());
  streamed.value_and_gradient(w.data(), g.data());  // pass 2: with
  EXPECT_FALSE(streamed.prefetch().second());
  streamed.value_and_gradient(w.data(), g.data());  // pass 3: without
  EXPECT_FALSE(streamed.prefetch().settled());
  streamed.value_and_gradient(w.data(), g.data());  // pass 4: with
  const TimedChoice& choice = streamed.prefetch();
  ASSERT_TRUE(choice.settled());
  EXPECT_EQ(choice.second(), choice.best(true) < choice.best(false));
  EXPECT_GT(choice.best(false), 0);
  EXPECT_LT(choice.best(true), 10.0);
}
