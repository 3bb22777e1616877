// Sharpness against LAPACK on Hessians built independently (the covariance
// by plain loops; an MLP's by finite differences of gradients), and loss
// slices against the closed form on a quadratic.
#include <gtest/gtest.h>
#include <petscsys.h>
#include <petscblaslapack.h>

#include <cmath>

#include "msopt/core/error.hpp"
#include "msopt/data/multiscale_generator.hpp"
#include "msopt/landscape/loss_slice.hpp"
#include "msopt/landscape/sharpness.hpp"
#include "msopt/models/mlp.hpp"
#include "msopt/models/quadratic_least_squares.hpp"
#include "test_util.hpp"

using namespace msopt;
using namespace msopt::testing;

namespace {

double lapack_largest(std::vector<double> A, PetscInt n) {
  PetscBLASInt bn = static_cast<PetscBLASInt>(n), lwork = 4 * bn, info = 0;
  std::vector<double> values(n), work(lwork);
  LAPACKsyev_("N", "U", &bn, A.data(), &bn, values.data(), work.data(), &lwork, &info);
  EXPECT_EQ(info, 0);
  return values.back();
}

std::vector<double> some_vector(PetscInt n, double phase) {
  std::vector<double> v(n);
  for (PetscInt k = 0; k < n; ++k) v[k] = std::sin(phase + 0.9 * k);
  return v;
}

}  // namespace

TEST(Sharpness, LeastSquaresIsTheLargestCovarianceEigenvalue) {
  Dataset data = generate_multiscale(small_spec(80, {4, 3}, {1, 0.1}, true, 5), PETSC_COMM_WORLD);
  QuadraticLeastSquares f(data);
  const auto X = gather_all(data, data.X, data.dim);
  const double expected = lapack_largest(naive_covariance(X, data.n_global, data.dim), data.dim);
  EXPECT_NEAR(sharpness(f, std::vector<double>(data.dim, 0.3)), expected, 1e-7 * expected);
}

TEST(Sharpness, MlpMatchesTheFiniteDifferenceHessian) {
  Dataset data = generate_multiscale(small_spec(50, {2, 1}, {1, 0.3}, true, 9), PETSC_COMM_WORLD);
  Mlp f(data, {3, 4, 1}, {Activation::tanh}, MlpLoss::least_squares, 16);
  const PetscInt p = f.dim();
  const auto theta = some_vector(p, 0.4);
  std::vector<double> H(p * p), plus(p), minus(p), point = theta;
  const double h = 1e-5;
  for (PetscInt j = 0; j < p; ++j) {
    point[j] = theta[j] + h;
    f.value_and_gradient(point.data(), plus.data());
    point[j] = theta[j] - h;
    f.value_and_gradient(point.data(), minus.data());
    point[j] = theta[j];
    for (PetscInt i = 0; i < p; ++i) H[j * p + i] = (plus[i] - minus[i]) / (2 * h);
  }
  for (PetscInt i = 0; i < p; ++i)
    for (PetscInt j = 0; j < i; ++j) H[j * p + i] = H[i * p + j] = 0.5 * (H[j * p + i] + H[i * p + j]);
  const double expected = lapack_largest(H, p);
  EXPECT_NEAR(sharpness(f, theta), expected, 1e-6 * std::fabs(expected));
}

TEST(LossSlice, QuadraticHasConstantSecondDifferencesEqualToTheCurvature) {
  Dataset data = generate_multiscale(small_spec(80, {4, 3}, {1, 0.1}, true, 5), PETSC_COMM_WORLD);
  QuadraticLeastSquares f(data);
  const auto X = gather_all(data, data.X, data.dim);
  const auto A = naive_covariance(X, data.n_global, data.dim);
  const PetscInt d = data.dim;
  auto u = some_vector(d, 1.1);
  double norm = 0;
  for (double x : u) norm += x * x;
  for (double& x : u) x /= std::sqrt(norm);
  double uAu = 0;
  for (PetscInt a = 0; a < d; ++a)
    for (PetscInt b = 0; b < d; ++b) uAu += u[a] * A[a * d + b] * u[b];
  const auto w = some_vector(d, 0.2);
  LossSlice slice = loss_slice(f, w, u, 0.5, 11);
  ASSERT_EQ(slice.t.size(), 11u);
  ASSERT_EQ(slice.second_difference.size(), 9u);
  EXPECT_DOUBLE_EQ(slice.t[5], 0.0);
  EXPECT_NEAR(slice.curvature_at_point, uAu, 1e-13);
  for (double s : slice.second_difference) EXPECT_NEAR(s, uAu, 1e-9);
  // L(w + t u) - L(w) = t u^T grad L(w) + t^2/2 u^T A u exactly.
  std::vector<double> g(d);
  const double at_w = f.value_and_gradient(w.data(), g.data());
  double ug = 0;
  for (PetscInt k = 0; k < d; ++k) ug += u[k] * g[k];
  for (size_t k = 0; k < slice.t.size(); ++k)
    EXPECT_NEAR(slice.loss[k], at_w + slice.t[k] * ug + 0.5 * slice.t[k] * slice.t[k] * uAu, 1e-12);
}

TEST(LossSlice, RefusesEvenGridsAndZeroDirections) {
  Dataset data = generate_multiscale(small_spec(20, {2}, {1}, false, 5), PETSC_COMM_WORLD);
  QuadraticLeastSquares f(data);
  std::vector<double> w(2, 0.0), u{1.0, 0.0};
  EXPECT_THROW(loss_slice(f, w, u, 1.0, 10), Error);
  EXPECT_THROW(loss_slice(f, w, std::vector<double>(2, 0.0), 1.0, 11), Error);
  const auto r = random_direction(7, 3);
  double norm = 0;
  for (double x : r) norm += x * x;
  EXPECT_NEAR(norm, 1.0, 1e-14);
}
