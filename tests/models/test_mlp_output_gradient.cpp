#include <gtest/gtest.h>

#include <cmath>

#include "msopt/core/rng.hpp"
#include "msopt/models/mlp.hpp"

using namespace msopt;

// Mlp::local_gradient_from_output backpropagates a given dL/df: fed with the
// least-squares output gradient (f(x_i) - y_i) / N it must reproduce the
// Mlp's own gradient, and it is linear in the output gradient.
TEST(MlpOutputGradient, ReproducesTheLeastSquaresGradient) {
  const PetscInt n = 53, d = 3;
  Dataset data;
  data.comm = PETSC_COMM_WORLD;
  data.n_global = n;
  data.dim = d;
  data.rows = split_rows(n, data.comm);
  CounterRng rng(4);
  for (PetscInt i = data.rows.begin; i < data.rows.begin + data.rows.count; ++i) {
    double s = 0;
    for (PetscInt k = 0; k < d; ++k) {
      data.X.push_back(rng.normal2(0, i, k)[0]);
      s += data.X.back();
    }
    data.y.push_back(std::sin(s));
  }
  for (Activation act : {Activation::tanh, Activation::relu}) {
    Mlp net(data, {d, 6, 4, 1}, {act}, MlpLoss::least_squares, 5);
    auto theta = net.initial_parameters(8, "glorot");
    for (size_t k = 0; k < theta.size(); ++k) theta[k] += 0.05 * std::cos(k + 1.0);
    const PetscInt m = data.rows.count, dim = net.dim();
    std::vector<double> own(dim + 1), from_output(dim), doubled(dim), f(m), r(m);
    net.local_value_and_gradient(theta.data(), own.data());
    net.predict(theta.data(), data.X.data(), m, f.data());
    for (PetscInt i = 0; i < m; ++i) r[i] = (f[i] - data.y[i]) / n;
    net.local_gradient_from_output(theta.data(), r.data(), from_output.data());
    double scale = 0;
    for (PetscInt k = 0; k < dim; ++k) scale = std::max(scale, std::fabs(own[k]));
    for (PetscInt k = 0; k < dim; ++k) EXPECT_NEAR(from_output[k], own[k], 1e-14 * (1 + scale)) << k;
    for (double& x : r) x *= -2;
    net.local_gradient_from_output(theta.data(), r.data(), doubled.data());  // overwrites, does not add
    for (PetscInt k = 0; k < dim; ++k) EXPECT_NEAR(doubled[k], -2 * own[k], 1e-14 * (1 + scale)) << k;
  }
}
