#include <gtest/gtest.h>
#include <petscsys.h>
// clang-format off
#include <petscblaslapack.h>
// clang-format on

#include <cmath>

#include "mgdl/mgdl_test_util.hpp"
#include "msopt/core/error.hpp"
#include "msopt/mgdl/grade_monitor.hpp"
#include "msopt/models/mlp.hpp"
#include "test_util.hpp"

using namespace msopt;
using namespace msopt::testing;

// Validation losses 10, 9, ..., 5 (evaluation 6), then rising: patience 3 stops at evaluation 9
// keeping evaluation 6; a monitor restored from the state at evaluation 7 decides the same.
TEST(GradeMonitor, EarlyStoppingKeepsTheBestIterateAndSurvivesARestart) {
  const Dataset data = smooth_dataset(PETSC_COMM_WORLD, 20, 1);
  Mlp net(data, {1, 3, 1}, {Activation::relu}, MlpLoss::least_squares);
  auto loss_at = [](const std::vector<double>& w) { return w[0] <= 6 ? 11 - w[0] : w[0] - 1; };
  GradeMonitorSettings s;
  s.patience = 3;
  GradeMonitor a(net, loss_at, s), b(net, loss_at, s);
  std::vector<double> w(net.dim(), 0.0);
  PetscInt stopped = 0;
  for (PetscInt k = 1; k <= 20 && !stopped; ++k) {
    w[0] = static_cast<double>(k);
    if (!a.observe(k, w, 0)) stopped = k;
    if (k == 7) b.restore(a.state());
  }
  EXPECT_EQ(stopped, 9);
  EXPECT_EQ(a.best_evaluation(), 6);
  EXPECT_EQ(a.best_parameters()[0], 6.0);
  EXPECT_EQ(a.validation_history().size(), 9u);
  w[0] = 8;
  EXPECT_TRUE(b.observe(8, w, 0));
  w[0] = 9;
  EXPECT_FALSE(b.observe(9, w, 0));
  EXPECT_EQ(b.validation_history(), a.validation_history());
  EXPECT_EQ(b.best_parameters(), a.best_parameters());
  GradeMonitorSettings other = s;
  other.eig_nev = 3;
  GradeMonitor c(net, loss_at, other);
  auto state = a.state();
  state[3].second = {1.0};  // one spectrum row, but no eigenvalues
  EXPECT_THROW(c.restore(state), Error);
}

namespace {

// The nev extremes of I - eta H by SLEPc against the dense Hessian (H e_k columns) by LAPACK.
void expect_iteration_eigenvalues_match_lapack(Mlp& net, const std::vector<double>& w, PetscInt nev) {
  const PetscInt d = net.dim();
  const double eta = 0.3;
  const IterationEigenvalues got = iteration_eigenvalues(net, w, eta, nev);

  std::vector<double> H(static_cast<size_t>(d) * d), e(d, 0.0);
  for (PetscInt k = 0; k < d; ++k) {
    e[k] = 1;
    net.hessian_vector(w.data(), e.data(), H.data() + k * d);
    e[k] = 0;
  }
  for (PetscInt i = 0; i < d; ++i)
    for (PetscInt j = 0; j < i; ++j) H[i * d + j] = H[j * d + i] = 0.5 * (H[i * d + j] + H[j * d + i]);
  PetscBLASInt n = static_cast<PetscBLASInt>(d), lwork = 10 * n, info = 0;
  std::vector<double> mu(d), work(lwork);
  LAPACKsyev_("N", "U", &n, H.data(), &n, mu.data(), work.data(), &lwork, &info);  // ascending
  ASSERT_EQ(info, 0);
  ASSERT_EQ(got.smallest.size(), static_cast<size_t>(nev));
  for (PetscInt k = 0; k < nev; ++k) {
    EXPECT_NEAR(got.smallest[k], 1 - eta * mu[d - 1 - k], 1e-8) << k;
    EXPECT_NEAR(got.largest[k], 1 - eta * mu[k], 1e-8) << k;
  }
}

}  // namespace

TEST(GradeMonitor, IterationMatrixEigenvaluesMatchTheDenseHessian) {
  const Dataset data = smooth_dataset(PETSC_COMM_WORLD, 64, 2);
  Mlp net(data, {2, 8, 1}, {Activation::tanh}, MlpLoss::least_squares);
  expect_iteration_eigenvalues_match_lapack(net, net.initial_parameters(5, "glorot"), 4);
}

// Dead ReLUs (6 of 8 hidden neurons never active) make 24 rows of H exactly zero: the zero eigenvalues
// are found among the 12 smallest.
TEST(GradeMonitor, IterationMatrixEigenvaluesWithDeadReluNeurons) {
  const Dataset data = smooth_dataset(PETSC_COMM_WORLD, 64, 2);
  Mlp net(data, {2, 8, 1}, {Activation::relu}, MlpLoss::least_squares);
  auto w = net.initial_parameters(5, "glorot");
  for (PetscInt j = 2; j < 8; ++j) {
    for (PetscInt i = 0; i < 2; ++i) w[net.layer_offset(0) + j * 2 + i] = 0;
    w[net.bias_offset(0) + j] = -1;
  }
  expect_iteration_eigenvalues_match_lapack(net, w, 12);
}
