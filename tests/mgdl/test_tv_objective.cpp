#include <gtest/gtest.h>

#include <cmath>
#include <memory>

#include "image_test_util.hpp"
#include "test_util.hpp"
#include "msopt/core/error.hpp"
#include "msopt/mgdl/blur_operator.hpp"
#include "msopt/mgdl/image_noise.hpp"
#include "msopt/mgdl/tv_difference.hpp"
#include "msopt/mgdl/tv_objective.hpp"

using namespace msopt;
using namespace msopt::testing;

namespace {

constexpr PetscInt kH = 8, kW = 8, kN = kH * kW;

// An 8 x 8 deblurring (blur = true: A = K with sigma-hat 1, eps = 0.5 and a
// previous grade's image, as grade l >= 2) or denoising (A = I, eps = 1,
// g_prev = 0, as SGDL / grade 1) problem with a tiny tanh network on comm.
struct Problem {
  Dataset data;
  std::unique_ptr<Mlp> net;
  MatHandle A, B;
  VecHandle f_hat, g_prev;
  std::unique_ptr<TvObjective> objective;

  Problem(MPI_Comm comm, bool blur) {
    data = pixel_dataset(comm, kH, kW, test_image(kH, kW));
    net = std::make_unique<Mlp>(data, std::vector<PetscInt>{2, 5, 1}, std::vector<Activation>{Activation::tanh},
                                MlpLoss::least_squares, 7);  // 7-row blocks: several per rank
    const ImageGrid grid = image_grid_of(data);
    if (blur) A = create_blur_operator(comm, grid, 1);
    B = create_difference_operator(comm, grid);
    f_hat = observe_image(data, A, 20, 9);
    TvParameters p;
    p.lambda = 0.05;
    p.beta = 3.0;
    p.alpha = 0.7;
    if (blur) {
      std::vector<double> previous(kN);
      for (PetscInt i = 0; i < kN; ++i) previous[i] = 0.1 * std::sin(0.37 * i);
      g_prev = create_pixel_vec(comm, kN);
      set_from_replicated(g_prev, previous);
    }
    objective = std::make_unique<TvObjective>(*net, f_hat, A, B, p, blur ? 0.5 : 1.0, g_prev);
  }
};

// Glorot weights, biases in (-0.5, 0.5), shifted by `shift` everywhere.
std::vector<double> point(const Mlp& net, double shift) {
  auto theta = net.initial_parameters(21, "glorot");
  for (PetscInt l = 0; l < net.num_layers(); ++l)
    for (PetscInt j = 0; j < net.widths()[l + 1]; ++j) theta[net.bias_offset(l) + j] = 0.4 * std::sin(3.0 * j + l);
  for (size_t k = 0; k < theta.size(); ++k) theta[k] += shift * std::cos(1.3 * k);
  return theta;
}

// Independent of TvObjective: B g by loops, and L = 1/2 ||f_hat - A g||^2 +
// beta/2 ||u - B g||^2 + lambda ||u||_1 from replicated vectors.
std::vector<double> differences(const std::vector<double>& g) {
  std::vector<double> bg(2 * kN, 0.0);
  for (PetscInt r = 0; r < kH; ++r)
    for (PetscInt c = 0; c < kW; ++c) {
      if (c + 1 < kW) bg[r * kW + c] = g[r * kW + c + 1] - g[r * kW + c];
      if (r + 1 < kH) bg[kN + r * kW + c] = g[(r + 1) * kW + c] - g[r * kW + c];
    }
  return bg;
}

double soft(double x, double t) { return x > t ? x - t : (x < -t ? x + t : 0.0); }

}  // namespace

TEST(TvObjective, GradientMatchesCentralDifferences) {
  for (bool blur : {false, true}) {
    Problem pb(PETSC_COMM_WORLD, blur);
    TvObjective& f = *pb.objective;
    const auto theta = point(*pb.net, 0.0);
    f.prox_step(point(*pb.net, 0.2).data());  // a nonzero u, partly thresholded to 0
    f.prox_step(point(*pb.net, -0.1).data());
    f.set_prox_each_gradient(false);  // u fixed for the differences
    std::vector<double> grad(f.dim());
    const double value = f.value_and_gradient(theta.data(), grad.data());
    EXPECT_NEAR(value, f.value(theta.data()), 1e-13 * std::fabs(value));
    const double h = 1e-5;
    double gnorm = 0;
    for (double g : grad) gnorm = std::max(gnorm, std::fabs(g));
    ASSERT_GT(gnorm, 1e-3);
    for (PetscInt k = 0; k < f.dim(); ++k) {
      auto plus = theta, minus = theta;
      plus[k] += h;
      minus[k] -= h;
      const double fd = (f.value(plus.data()) - f.value(minus.data())) / (2 * h);
      EXPECT_NEAR(grad[k], fd, 1e-7 * gnorm + 1e-6 * std::fabs(fd)) << (blur ? "deblur" : "denoise") << " k=" << k;
    }
  }
}

TEST(TvObjective, ProxStepAndValueFollowTheEquations) {
  Problem pb(PETSC_COMM_WORLD, true);
  TvObjective& f = *pb.objective;
  const auto theta = point(*pb.net, 0.1);
  std::vector<double> grad(f.dim());
  const double value = f.value_and_gradient(theta.data(), grad.data());  // u^1 from u^0 = 0, eq. (20)

  VecHandle g = create_pixel_vec(PETSC_COMM_WORLD, kN);
  f.reconstruct(theta.data(), g);
  const auto gg = gather_replicated(g), f_hat = gather_replicated(pb.f_hat), ag = apply_operator(pb.A, gg);
  const auto bg = differences(gg), u = f.state();
  ASSERT_EQ(u.size(), static_cast<size_t>(2 * kN));
  const TvParameters& p = f.parameters();
  double expected = 0;
  int zeros = 0;
  for (PetscInt i = 0; i < 2 * kN; ++i) {
    EXPECT_NEAR(u[i], soft(p.alpha * bg[i], p.alpha * p.lambda / p.beta), 1e-14) << i;
    zeros += u[i] == 0;
    expected += 0.5 * p.beta * (u[i] - bg[i]) * (u[i] - bg[i]) + p.lambda * std::fabs(u[i]);
  }
  EXPECT_GT(zeros, 0);
  EXPECT_LT(zeros, 2 * kN);
  for (PetscInt i = 0; i < kN; ++i) expected += 0.5 * (f_hat[i] - ag[i]) * (f_hat[i] - ag[i]);
  EXPECT_NEAR(value, expected, 1e-13 * expected);
  // The network part of g: g - g_prev = eps N_Theta, N_Theta from Mlp::predict.
  std::vector<double> out(kN);
  pb.net->predict(theta.data(), gather_all(pb.data, pb.data.X, 2).data(), kN, out.data());
  for (PetscInt i = 0; i < kN; ++i) EXPECT_NEAR(gg[i], 0.5 * out[i] + 0.1 * std::sin(0.37 * i), 1e-15);
}

TEST(TvObjective, SameOnEveryRankCountAsOnOneRank) {
  // The whole problem on this rank alone (PETSC_COMM_SELF) against the one
  // split over all ranks: values, gradients and u agree to round-off along a
  // few proximity-gradient steps.
  for (bool blur : {false, true}) {
    Problem split(PETSC_COMM_WORLD, blur), alone(PETSC_COMM_SELF, blur);
    std::vector<double> g1(split.objective->dim()), g2(g1.size());
    for (int k = 0; k < 3; ++k) {
      const auto theta = point(*split.net, 0.05 * k);
      const double v1 = split.objective->value_and_gradient(theta.data(), g1.data());
      const double v2 = alone.objective->value_and_gradient(theta.data(), g2.data());
      EXPECT_NEAR(v1, v2, 1e-13 * std::fabs(v2));
      for (size_t j = 0; j < g1.size(); ++j) EXPECT_NEAR(g1[j], g2[j], 1e-12 * (1 + std::fabs(g2[j]))) << j;
      const auto u1 = split.objective->state(), u2 = alone.objective->state();
      ASSERT_EQ(u1.size(), u2.size());
      for (size_t j = 0; j < u1.size(); ++j) EXPECT_NEAR(u1[j], u2[j], 1e-13);
    }
  }
}

TEST(TvObjective, StateRestoresTheRunExactly) {
  Problem straight(PETSC_COMM_WORLD, true), stopped(PETSC_COMM_WORLD, true), resumed(PETSC_COMM_WORLD, true);
  std::vector<double> g(straight.objective->dim()), g_resumed(g.size());
  for (int k = 0; k < 3; ++k) {
    const auto theta = point(*straight.net, 0.1 * k);
    straight.objective->value_and_gradient(theta.data(), g.data());
    if (k < 2) stopped.objective->value_and_gradient(theta.data(), g_resumed.data());
  }
  resumed.objective->set_state(stopped.objective->state());
  const auto theta = point(*straight.net, 0.2);
  const double v = resumed.objective->value_and_gradient(theta.data(), g_resumed.data());
  EXPECT_EQ(g_resumed, g);
  EXPECT_EQ(resumed.objective->state(), straight.objective->state());
  EXPECT_NEAR(v, straight.objective->value(theta.data()), 1e-15 * std::fabs(v));
  EXPECT_THROW(resumed.objective->set_state(std::vector<double>(kN)), Error);
}

TEST(TvObjective, HessianMatchesCentralDifferencesOfTheGradient) {
  // Column k of H against (grad L(theta + h e_k) - grad L(theta - h e_k)) / 2h
  // at a fixed nonzero u; H v leaves u alone, and H is symmetric.
  for (bool blur : {false, true}) {
    Problem pb(PETSC_COMM_WORLD, blur);
    TvObjective& f = *pb.objective;
    const auto theta = point(*pb.net, 0.1);
    f.prox_step(point(*pb.net, 0.3).data());
    const auto u = f.state();
    f.set_prox_each_gradient(false);
    const PetscInt n = f.dim();
    std::vector<double> H(static_cast<size_t>(n * n)), e(n, 0.0), plus(n), minus(n);
    const double h = 1e-5;
    double largest = 0;
    for (PetscInt k = 0; k < n; ++k) {
      e[k] = 1;
      f.hessian_vector(theta.data(), e.data(), H.data() + k * n);
      e[k] = 0;
      for (PetscInt j = 0; j < n; ++j) largest = std::max(largest, std::fabs(H[k * n + j]));
    }
    EXPECT_EQ(f.state(), u);
    ASSERT_GT(largest, 1e-2);
    for (PetscInt k = 0; k < n; ++k) {
      auto up = theta, down = theta;
      up[k] += h;
      down[k] -= h;
      f.value_and_gradient(up.data(), plus.data());
      f.value_and_gradient(down.data(), minus.data());
      for (PetscInt j = 0; j < n; ++j) {
        const double fd = (plus[j] - minus[j]) / (2 * h);
        EXPECT_NEAR(H[k * n + j], fd, 1e-6 * largest) << (blur ? "deblur" : "denoise") << " (" << j << "," << k << ")";
        EXPECT_NEAR(H[k * n + j], H[j * n + k], 1e-12 * largest);
      }
    }
  }
}

TEST(TvObjective, RefusesMismatchedInputs) {
  Problem pb(PETSC_COMM_WORLD, false);
  MatHandle small_B = create_difference_operator(PETSC_COMM_WORLD, ImageGrid{4, 4});
  EXPECT_THROW(TvObjective(*pb.net, pb.f_hat, nullptr, small_B, TvParameters{}), Error);
  VecHandle short_f = create_pixel_vec(PETSC_COMM_WORLD, kN - 1);
  EXPECT_THROW(TvObjective(*pb.net, short_f, nullptr, pb.B, TvParameters{}), Error);
  EXPECT_THROW(TvObjective(*pb.net, pb.f_hat, nullptr, pb.B, TvParameters{}, 0.0), Error);
}
