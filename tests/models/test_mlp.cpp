#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <functional>
#include <string>
#include <utility>

#include "msopt/core/blas_kernel.hpp"
#include "msopt/core/error.hpp"
#include "msopt/core/rng.hpp"
#include "msopt/models/mlp.hpp"
#include "test_util.hpp"

using namespace msopt;
using namespace msopt::testing;

namespace {

// n random samples in R^d split over comm: x ~ N(0, 1); y a label in
// 0..classes-1 (classes > 0) or a smooth target plus noise (classes == 0).
// Row i depends only on (seed, i).
Dataset random_dataset(MPI_Comm comm, PetscInt n, PetscInt d, PetscInt classes, std::uint64_t seed = 11) {
  Dataset data;
  data.comm = comm;
  data.n_global = n;
  data.dim = d;
  data.rows = split_rows(n, comm);
  data.X.resize(static_cast<size_t>(data.rows.count) * d);
  data.y.resize(data.rows.count);
  CounterRng rng(seed);
  for (PetscInt i = 0; i < data.rows.count; ++i) {
    const auto global = static_cast<std::uint64_t>(data.rows.begin + i);
    double sum = 0;
    for (PetscInt k = 0; k < d; ++k) {
      double x = rng.normal2(0, global, static_cast<std::uint32_t>(k / 2))[k % 2];
      data.X[i * d + k] = x;
      sum += x;
    }
    auto u = rng.uniform2(1, global, 0);
    data.y[i] = classes > 0 ? std::floor(u[0] * classes) : std::sin(sum) + 0.1 * (u[1] - 0.5);
  }
  return data;
}

// A point with every entry nonzero: Glorot weights and biases in (-0.5, 0.5).
std::vector<double> some_point(const Mlp& f, std::uint64_t seed) {
  auto theta = f.initial_parameters(seed, "glorot");
  CounterRng rng(seed + 1000);
  for (PetscInt l = 0; l < f.num_layers(); ++l)
    for (PetscInt j = 0; j < f.widths()[l + 1]; ++j)
      theta[f.bias_offset(l) + j] = rng.uniform2(9, static_cast<std::uint64_t>(l * 1000 + j), 0)[0] - 0.5;
  return theta;
}

// A direction of unit Euclidean norm.
std::vector<double> some_direction(PetscInt dim, std::uint64_t seed) {
  CounterRng rng(seed);
  std::vector<double> v(dim);
  double norm = 0;
  for (PetscInt k = 0; k < dim; ++k) norm += (v[k] = rng.normal2(5, static_cast<std::uint64_t>(k), 0)[0]) * v[k];
  for (double& x : v) x /= std::sqrt(norm);
  return v;
}

// ---- The independent reference: plain loops over one sample at a time. ----

double act_value(Activation act, double z) {
  switch (act) {
    case Activation::relu: return z > 0 ? z : 0;
    case Activation::tanh: return std::tanh(z);
    case Activation::sigmoid: return 1 / (1 + std::exp(-z));
    case Activation::softplus: return std::log(1 + std::exp(z));
  }
  return 0;
}

struct Reference {
  std::vector<PetscInt> widths;
  std::vector<Activation> acts;
  bool cross_entropy;

  // Network output for one sample; pre-activations of hidden layers appended to *hidden_z.
  std::vector<double> output(const std::vector<double>& theta, const double* x,
                             std::vector<double>* hidden_z = nullptr) const {
    std::vector<double> a(x, x + widths[0]);
    size_t offset = 0;
    for (size_t l = 0; l + 1 < widths.size(); ++l) {
      const PetscInt in = widths[l], out = widths[l + 1];
      std::vector<double> z(out);
      for (PetscInt j = 0; j < out; ++j) {
        z[j] = theta[offset + out * in + j];  // bias after the weights
        for (PetscInt k = 0; k < in; ++k) z[j] += theta[offset + j * in + k] * a[k];
      }
      offset += out * (in + 1);
      if (l + 2 < widths.size()) {
        for (PetscInt j = 0; j < out; ++j) {
          if (hidden_z) hidden_z->push_back(z[j]);
          z[j] = act_value(acts[l], z[j]);
        }
      }
      a = z;
    }
    return a;
  }

  double loss(const std::vector<double>& theta, const std::vector<double>& X, const std::vector<double>& y) const {
    const PetscInt n = static_cast<PetscInt>(y.size());
    double sum = 0;
    for (PetscInt i = 0; i < n; ++i) {
      auto f = output(theta, X.data() + i * widths[0]);
      if (!cross_entropy) {
        sum += 0.5 * (f[0] - y[i]) * (f[0] - y[i]);
      } else {
        double s = 0;
        for (double fk : f) s += std::exp(fk);
        sum += std::log(s) - f[static_cast<size_t>(y[i])];
      }
    }
    return sum / n;
  }
};

const Activation kAll[] = {Activation::relu, Activation::tanh, Activation::sigmoid, Activation::softplus};

double max_abs(const std::vector<double>& v) {
  double m = 0;
  for (double x : v) m = std::max(m, std::fabs(x));
  return m;
}

double max_abs_diff(const std::vector<double>& a, const std::vector<double>& b) {
  double m = 0;
  for (size_t k = 0; k < a.size(); ++k) m = std::max(m, std::fabs(a[k] - b[k]));
  return m;
}

// Central differences of the gradient along v: (g(theta + h v) - g(theta - h v)) / 2h.
std::vector<double> fd_hessian_vector(Mlp& f, const std::vector<double>& theta, const std::vector<double>& v, double h) {
  const PetscInt d = f.dim();
  auto plus = theta, minus = theta;
  for (PetscInt k = 0; k < d; ++k) {
    plus[k] += h * v[k];
    minus[k] -= h * v[k];
  }
  std::vector<double> gp(d), gm(d), hv(d);
  f.value_and_gradient(plus.data(), gp.data());
  f.value_and_gradient(minus.data(), gm.data());
  for (PetscInt k = 0; k < d; ++k) hv[k] = (gp[k] - gm[k]) / (2 * h);
  return hv;
}

struct Case {
  Activation act;
  MlpLoss loss;
};

std::string describe(const Case& c) {
  return std::string(activation_name(c.act)) + " / " + mlp_loss_name(c.loss);
}

}  // namespace

TEST(Mlp, ValueAndPredictMatchPlainLoops) {
  for (Activation act : kAll)
    for (MlpLoss loss : {MlpLoss::least_squares, MlpLoss::cross_entropy}) {
      const bool ce = loss == MlpLoss::cross_entropy;
      std::vector<PetscInt> widths{3, 5, 4, ce ? 3 : 1};
      Dataset data = random_dataset(PETSC_COMM_WORLD, 41, 3, ce ? 3 : 0);
      Mlp f(data, widths, {act}, loss, 8);
      Reference ref{widths, {act, act}, ce};
      auto theta = some_point(f, 3);
      std::vector<double> g(f.dim());
      const double value = f.value_and_gradient(theta.data(), g.data());
      const double expected = ref.loss(theta, gather_all(data, data.X, 3), gather_all(data, data.y, 1));
      EXPECT_NEAR(value, expected, 1e-12 * std::fabs(expected)) << describe({act, loss});

      std::vector<double> out(static_cast<size_t>(data.rows.count) * widths.back());
      f.predict(theta.data(), data.X.data(), data.rows.count, out.data());
      for (PetscInt i = 0; i < data.rows.count; ++i) {
        auto r = ref.output(theta, data.row(i));
        for (PetscInt k = 0; k < widths.back(); ++k)
          EXPECT_NEAR(out[i * widths.back() + k], r[k], 1e-13 * (1 + std::fabs(r[k])));
      }
    }
}

TEST(Mlp, OneHiddenLayerOutputByHand) {
  // widths [2, 2, 1], tanh: f(x) = 1.5 tanh(0.5 x1 - x2 + 0.1) - 0.5 tanh(2 x1 + 0.25 x2 - 0.2) + 0.3
  Dataset data = random_dataset(PETSC_COMM_WORLD, 2, 2, 0);
  const double X[] = {1.0, 2.0, -0.5, 0.75}, y[] = {0.25, -1.0};
  for (PetscInt i = 0; i < data.rows.count; ++i) {
    const PetscInt global = data.rows.begin + i;
    data.X[2 * i] = X[2 * global];
    data.X[2 * i + 1] = X[2 * global + 1];
    data.y[i] = y[global];
  }
  Mlp f(data, {2, 2, 1}, {Activation::tanh}, MlpLoss::least_squares);
  ASSERT_EQ(f.dim(), 9);
  const std::vector<double> theta{0.5, -1.0, 2.0, 0.25, 0.1, -0.2, 1.5, -0.5, 0.3};
  double out[2];
  f.predict(theta.data(), X, 2, out);
  const double f0 = 1.5 * std::tanh(-1.4) - 0.5 * std::tanh(2.3) + 0.3;
  const double f1 = 1.5 * std::tanh(-0.25 - 0.75 + 0.1) - 0.5 * std::tanh(-1.0 + 0.1875 - 0.2) + 0.3;
  EXPECT_NEAR(out[0], f0, 1e-15);
  EXPECT_NEAR(out[1], f1, 1e-15);
  std::vector<double> g(f.dim());
  // L = (1/(2N)) sum (f - y)^2 with N = 2 (one rank may hold no row).
  const double expected = 0.25 * ((f0 - 0.25) * (f0 - 0.25) + (f1 + 1.0) * (f1 + 1.0));
  EXPECT_NEAR(f.value_and_gradient(theta.data(), g.data()), expected, 1e-15);
  // Output-bias gradient: mean residual; output weights: mean residual * hidden activation.
  EXPECT_NEAR(g[8], 0.5 * ((f0 - 0.25) + (f1 + 1.0)), 1e-15);
  EXPECT_NEAR(g[6], 0.5 * ((f0 - 0.25) * std::tanh(-1.4) + (f1 + 1.0) * std::tanh(-0.9)), 1e-15);
}

TEST(Mlp, SoftmaxRegressionWithoutHiddenLayerByHand) {
  // widths [2, 3]: logits z = W x + b, loss = log sum exp z - z_y.
  Dataset data = random_dataset(PETSC_COMM_WORLD, 1, 2, 3);
  if (data.rows.count) {
    data.X = {1.0, -2.0};
    data.y = {2.0};
  }
  Mlp f(data, {2, 3}, {}, MlpLoss::cross_entropy);
  const std::vector<double> theta{1, 0, 0, 1, 0.5, 0.5, 0.1, 0.2, 0.3};
  const double z[] = {1.1, -1.8, -0.2};
  const double lse = std::log(std::exp(z[0]) + std::exp(z[1]) + std::exp(z[2]));
  std::vector<double> g(f.dim());
  EXPECT_NEAR(f.value_and_gradient(theta.data(), g.data()), lse - z[2], 1e-14);
  for (int k = 0; k < 3; ++k)  // bias gradient p - e_y
    EXPECT_NEAR(g[6 + k], std::exp(z[k] - lse) - (k == 2), 1e-15);
}

TEST(Mlp, GradientMatchesFiniteDifferences) {
  for (Activation act : kAll)
    for (MlpLoss loss : {MlpLoss::least_squares, MlpLoss::cross_entropy}) {
      const Case c{act, loss};
      const bool ce = loss == MlpLoss::cross_entropy, relu = act == Activation::relu;
      std::vector<PetscInt> widths{3, 5, 4, ce ? 2 : 1};
      Dataset data = random_dataset(PETSC_COMM_WORLD, 37, 3, ce ? 2 : 0);
      Mlp f(data, widths, {act}, loss, 8);
      auto theta = some_point(f, 21);
      if (relu) {
        // Central differences are exact up to round-off only if no sample
        // crosses a kink: keep every hidden pre-activation far from 0
        // compared with the step (|dz| <= h |x| |W|... well below 1e-6).
        Reference ref{widths, {act, act}, ce};
        auto X = gather_all(data, data.X, 3);
        std::vector<double> z;
        for (PetscInt i = 0; i < data.n_global; ++i) ref.output(theta, X.data() + 3 * i, &z);
        double margin = 1e30;
        for (double zi : z) margin = std::min(margin, std::fabs(zi));
        ASSERT_GT(margin, 1e-4) << "choose another seed: a pre-activation sits on a relu kink";
      }
      const double h = relu ? 1e-7 : 1e-5;
      std::vector<double> g(f.dim()), fd(f.dim()), scratch(f.dim());
      f.value_and_gradient(theta.data(), g.data());
      for (PetscInt k = 0; k < f.dim(); ++k) {
        auto plus = theta, minus = theta;
        plus[k] += h;
        minus[k] -= h;
        fd[k] = (f.value_and_gradient(plus.data(), scratch.data()) - f.value_and_gradient(minus.data(), scratch.data())) /
                (2 * h);
      }
      EXPECT_LT(max_abs_diff(g, fd), 1e-6 * max_abs(g)) << describe(c);
      EXPECT_GT(max_abs(g), 1e-3) << describe(c);
    }
}

TEST(Mlp, HessianVectorMatchesFiniteDifferencesOfGradient) {
  for (Activation act : kAll)
    for (MlpLoss loss : {MlpLoss::least_squares, MlpLoss::cross_entropy}) {
      const Case c{act, loss};
      const bool ce = loss == MlpLoss::cross_entropy, relu = act == Activation::relu;
      Dataset data = random_dataset(PETSC_COMM_WORLD, 37, 3, ce ? 2 : 0);
      Mlp f(data, {3, 5, 4, ce ? 2 : 1}, {act}, loss, 8);
      auto theta = some_point(f, 21);  // the relu margin is checked in the gradient test
      for (std::uint64_t s : {1, 2}) {
        auto v = some_direction(f.dim(), s);
        std::vector<double> hv(f.dim());
        f.hessian_vector(theta.data(), v.data(), hv.data());
        auto fd = fd_hessian_vector(f, theta, v, relu ? 1e-7 : 1e-5);
        EXPECT_LT(max_abs_diff(hv, fd), 1e-6 * max_abs(hv)) << describe(c) << " direction " << s;
      }
    }
}

TEST(Mlp, FullHessianIsSymmetricAndMatchesFiniteDifferences) {
  for (Activation act : {Activation::tanh, Activation::softplus})
    for (MlpLoss loss : {MlpLoss::least_squares, MlpLoss::cross_entropy}) {
      const Case c{act, loss};
      const bool ce = loss == MlpLoss::cross_entropy;
      Dataset data = random_dataset(PETSC_COMM_WORLD, 23, 2, ce ? 2 : 0);
      Mlp f(data, {2, 3, ce ? 2 : 1}, {act}, loss, 4);
      const PetscInt d = f.dim();
      auto theta = some_point(f, 5);
      std::vector<double> H(d * d), Hfd(d * d), e(d, 0.0), col(d);
      for (PetscInt k = 0; k < d; ++k) {
        e.assign(d, 0.0);
        e[k] = 1.0;
        f.hessian_vector(theta.data(), e.data(), col.data());
        for (PetscInt r = 0; r < d; ++r) H[r * d + k] = col[r];
        col = fd_hessian_vector(f, theta, e, 1e-5);
        for (PetscInt r = 0; r < d; ++r) Hfd[r * d + k] = col[r];
      }
      const double scale = max_abs(H);
      EXPECT_LT(max_abs_diff(H, Hfd), 1e-6 * scale) << describe(c);
      double asym = 0;
      for (PetscInt r = 0; r < d; ++r)
        for (PetscInt k = 0; k < r; ++k) asym = std::max(asym, std::fabs(H[r * d + k] - H[k * d + r]));
      EXPECT_LT(asym, 1e-12 * scale) << describe(c);
    }
}

TEST(Mlp, HessianIncludesActivationCurvatureAndIsIndefinite) {
  // Least squares with tanh at a point with large residuals: the Hessian is not
  // the (positive semidefinite) Gauss-Newton matrix; some v has v^T H v < 0.
  Dataset data = random_dataset(PETSC_COMM_WORLD, 31, 2, 0);
  for (double& y : data.y) y *= 10;
  Mlp f(data, {2, 3, 1}, {Activation::tanh}, MlpLoss::least_squares);
  auto theta = some_point(f, 8);
  const PetscInt d = f.dim();
  std::vector<double> col(d), e(d);
  double most_negative = 0;
  for (PetscInt k = 0; k < d; ++k)  // diagonal entries, and 2x2 minors via e_k +- e_j
    for (PetscInt j = k; j < d; ++j)
      for (double sign : {1.0, -1.0}) {
        e.assign(d, 0.0);
        e[k] += 1;
        e[j] += sign;
        f.hessian_vector(theta.data(), e.data(), col.data());
        double q = 0;
        for (PetscInt r = 0; r < d; ++r) q += e[r] * col[r];
        most_negative = std::min(most_negative, q);
      }
  EXPECT_LT(most_negative, -1e-3);
}

TEST(Mlp, SameResultsOnOneRankAndSplitOverRanks) {
  for (MlpLoss loss : {MlpLoss::least_squares, MlpLoss::cross_entropy}) {
    const bool ce = loss == MlpLoss::cross_entropy;
    const std::vector<PetscInt> widths{3, 5, 4, ce ? 3 : 1};
    Dataset split = random_dataset(PETSC_COMM_WORLD, 101, 3, ce ? 3 : 0);
    Dataset whole = random_dataset(PETSC_COMM_SELF, 101, 3, ce ? 3 : 0);
    Mlp fs(split, widths, {Activation::softplus, Activation::tanh}, loss, 7);
    Mlp fw(whole, widths, {Activation::softplus, Activation::tanh}, loss, 7);
    auto theta = some_point(fs, 4);
    auto v = some_direction(fs.dim(), 9);
    std::vector<double> gs(fs.dim()), gw(fs.dim()), hs(fs.dim()), hw(fs.dim());
    const double vs = fs.value_and_gradient(theta.data(), gs.data());
    const double vw = fw.value_and_gradient(theta.data(), gw.data());
    fs.hessian_vector(theta.data(), v.data(), hs.data());
    fw.hessian_vector(theta.data(), v.data(), hw.data());
    EXPECT_NEAR(vs, vw, 1e-12 * std::fabs(vw));
    EXPECT_LE(max_abs_diff(gs, gw), 1e-12 * max_abs(gw));
    EXPECT_LE(max_abs_diff(hs, hw), 1e-12 * max_abs(hw));
  }
}

TEST(Mlp, AutomaticBlockRowsFollowTheBlasKernel) {
  // SkylakeX and its successors: the most rows with every layer's product within 1e6 flops/2, at most 192.
  EXPECT_EQ(automatic_block_rows({128, 128, 128, 1}, "SkylakeX"), 61);  // 1e6 / 128^2 = 61.03
  EXPECT_EQ(automatic_block_rows({2, 128, 128, 1}, "sapphirerapids"), 61);
  EXPECT_EQ(automatic_block_rows({100, 100, 1}, "COOPERLAKE"), 100);
  EXPECT_EQ(automatic_block_rows({1, 32, 32, 1}, "SkylakeX"), 192);        // 976 rows allowed: capped
  EXPECT_EQ(automatic_block_rows({784, 1024, 128, 10}, "SkylakeX"), 192);  // 1 row allowed: the default
  EXPECT_EQ(automatic_block_rows({128, 176, 1}, "SkylakeX"), 44);
  EXPECT_EQ(automatic_block_rows({128, 256, 1}, "SkylakeX"), 192);  // 30 rows: fewer than 32
  // Kernels without small-matrix dgemm keep 192.
  for (const char* kernel : {"Haswell", "Zen", "Prescott", "not OpenBLAS", ""})
    EXPECT_EQ(automatic_block_rows({128, 128, 128, 1}, kernel), 192) << kernel;
  Dataset data = random_dataset(PETSC_COMM_WORLD, 5, 3, 0);
  EXPECT_EQ(Mlp(data, {3, 4, 1}, {Activation::relu}, MlpLoss::least_squares, 9).block_rows(), 9);
  EXPECT_EQ(Mlp(data, {3, 4, 1}, {Activation::relu}, MlpLoss::least_squares).block_rows(),
            automatic_block_rows({3, 4, 1}, msopt::blas::corename()));
  EXPECT_THROW(Mlp(data, {3, 4, 1}, {Activation::relu}, MlpLoss::least_squares, -1), Error);
}

// Every evaluation stages its own theta: blocks of any size, a parameter
// buffer rewritten between two calls, and a call after one at another point
// give the results of a network that evaluates only there, with blocks of one row.
TEST(Mlp, BlockRowsAndRewrittenParametersGiveTheSameResults) {
  for (MlpLoss loss : {MlpLoss::least_squares, MlpLoss::cross_entropy}) {
    const bool ce = loss == MlpLoss::cross_entropy;
    const std::vector<PetscInt> widths{3, 70, 9, ce ? 3 : 1};
    Dataset data = random_dataset(PETSC_COMM_WORLD, 157, 3, ce ? 3 : 0);
    Mlp one_row(data, widths, {Activation::tanh}, loss, 1);
    const auto theta = some_point(one_row, 6), other = some_point(one_row, 8);
    const auto v = some_direction(one_row.dim(), 10);
    const PetscInt rows = data.rows.count, d_out = widths.back();
    // The gradient (value appended), H v and the outputs, each at `at`.
    using Method = std::function<std::vector<double>(Mlp&, const double*)>;
    const std::vector<std::pair<std::string, Method>> methods{
        {"gradient",
         [&](Mlp& f, const double* at) {
           std::vector<double> g(f.dim() + 1);
           g.back() = f.value_and_gradient(at, g.data());
           return g;
         }},
        {"H v",
         [&](Mlp& f, const double* at) {
           std::vector<double> hv(f.dim());
           f.hessian_vector(at, v.data(), hv.data());
           return hv;
         }},
        {"predict", [&](Mlp& f, const double* at) {
           std::vector<double> out(static_cast<size_t>(rows) * d_out);
           f.predict(at, data.X.data(), rows, out.data());
           return out;
         }}};
    for (const auto& [name, method] : methods) {
      const std::vector<double> expected = method(one_row, other.data());
      for (PetscInt block : {5, 61, 192, 0}) {
        Mlp f(data, widths, {Activation::tanh}, loss, block);
        const std::string where =
            name + ", " + mlp_loss_name(loss) + ", blocks of " + std::to_string(f.block_rows()) + " rows";
        std::vector<double> buffer = theta;
        method(f, buffer.data());
        std::copy(other.begin(), other.end(), buffer.begin());  // the same storage, new values
        const std::vector<double> rewritten = method(f, buffer.data());
        methods[0].second(f, theta.data());  // an evaluation at another point in between
        const std::vector<double> after_another = method(f, other.data());
        EXPECT_LE(max_abs_diff(rewritten, expected), 1e-13 * (1 + max_abs(expected))) << where;
        EXPECT_EQ(rewritten, after_another) << where;
      }
    }
  }
}

TEST(Mlp, ParameterLayout) {
  Dataset data = random_dataset(PETSC_COMM_WORLD, 5, 3, 2);
  Mlp f(data, {3, 5, 4, 2}, {Activation::relu, Activation::sigmoid}, MlpLoss::cross_entropy);
  EXPECT_EQ(f.dim(), 5 * (3 + 1) + 4 * (5 + 1) + 2 * (4 + 1));
  EXPECT_EQ(f.num_layers(), 3);
  EXPECT_EQ(f.layer_offset(0), 0);
  EXPECT_EQ(f.layer_size(0), 20);
  EXPECT_EQ(f.layer_offset(1), 20);
  EXPECT_EQ(f.layer_size(1), 24);
  EXPECT_EQ(f.bias_offset(1), 40);
  EXPECT_EQ(f.layer_offset(2) + f.layer_size(2), f.dim());
  EXPECT_EQ(f.activation(1), Activation::sigmoid);
  std::vector<PetscInt> expected{30, 31, 32, 33, 34, 42};  // W_1 row 2, b_1[2]
  EXPECT_EQ(f.neuron_indices(1, 2), expected);
}

TEST(Mlp, InitialisationFollowsGlorotAndHeVariances) {
  Dataset data = random_dataset(PETSC_COMM_WORLD, 4, 300, 0);
  Mlp f(data, {300, 200, 100, 1}, {Activation::tanh}, MlpLoss::least_squares);
  for (std::string scheme : {"glorot", "he"}) {
    auto theta = f.initial_parameters(17, scheme);
    EXPECT_EQ(theta, f.initial_parameters(17, scheme));
    EXPECT_NE(theta, f.initial_parameters(18, scheme));
    // Same values on every rank.
    double sum = 0, lo = 0, hi = 0;
    for (double t : theta) sum += t;
    MPI_Allreduce(&sum, &lo, 1, MPI_DOUBLE, MPI_MIN, PETSC_COMM_WORLD);
    MPI_Allreduce(&sum, &hi, 1, MPI_DOUBLE, MPI_MAX, PETSC_COMM_WORLD);
    EXPECT_EQ(lo, hi);
    for (PetscInt l = 0; l < 2; ++l) {  // the two big layers
      const PetscInt in = f.widths()[l], out = f.widths()[l + 1], n = in * out;
      const double* W = theta.data() + f.layer_offset(l);
      double m1 = 0, m2 = 0, m4 = 0, top = 0;
      for (PetscInt k = 0; k < n; ++k) {
        m1 += W[k];
        m2 += W[k] * W[k];
        m4 += W[k] * W[k] * W[k] * W[k];
        top = std::max(top, std::fabs(W[k]));
      }
      m1 /= n;
      m2 /= n;
      m4 /= n;
      const double var = scheme == "glorot" ? 2.0 / (in + out) : 2.0 / in;
      EXPECT_NEAR(m1, 0.0, 5 * std::sqrt(var / n)) << scheme << " layer " << l;
      EXPECT_NEAR(m2 / var, 1.0, 0.05) << scheme << " layer " << l;
      if (scheme == "glorot") {
        EXPECT_LE(top, std::sqrt(6.0 / (in + out)));
        EXPECT_NEAR(m4 / (m2 * m2), 1.8, 0.1);  // uniform
      } else {
        EXPECT_NEAR(m4 / (m2 * m2), 3.0, 0.2);  // normal
      }
      for (PetscInt j = 0; j < out; ++j) EXPECT_EQ(theta[f.bias_offset(l) + j], 0.0);
    }
  }
  EXPECT_THROW(f.initial_parameters(1, "xavier"), Error);
}

TEST(Mlp, InconsistentSetUpsAreErrorsOnEveryRank) {
  Dataset data = random_dataset(PETSC_COMM_WORLD, 10, 3, 3);
  try {
    Mlp f(data, {4, 5, 3}, {Activation::tanh}, MlpLoss::cross_entropy);
    ADD_FAILURE() << "width mismatch accepted";
  } catch (const Error& e) {
    const std::string what = e.what();
    EXPECT_NE(what.find("input width 4"), std::string::npos) << what;
    EXPECT_NE(what.find("data dimension 3"), std::string::npos) << what;
    EXPECT_EQ(what.find('\n'), std::string::npos) << what;
  }
  EXPECT_THROW(parse_activation("gelu"), Error);
  EXPECT_EQ(parse_activation("softplus"), Activation::softplus);
  EXPECT_THROW(parse_mlp_loss("hinge"), Error);
  EXPECT_THROW(Mlp(data, {3}, {}, MlpLoss::cross_entropy), Error);
  EXPECT_THROW(Mlp(data, {3, 4, 3}, {Activation::tanh}, MlpLoss::least_squares), Error);  // needs 1 output
  EXPECT_THROW(Mlp(data, {3, 4, 4, 3}, {Activation::tanh, Activation::relu, Activation::relu},
                   MlpLoss::cross_entropy),
               Error);
  EXPECT_THROW(Mlp(data, {3, 2}, {}, MlpLoss::cross_entropy), Error);  // label 2 with 2 classes
  // A bad label in the last row only (held by the last rank): every rank throws.
  for (double bad : {3.0, -1.0, 1.5, std::nan("")}) {
    Dataset labels = random_dataset(PETSC_COMM_WORLD, 10, 3, 3);
    if (labels.rows.begin + labels.rows.count == labels.n_global) labels.y.back() = bad;
    EXPECT_THROW(Mlp(labels, {3, 4, 3}, {Activation::tanh}, MlpLoss::cross_entropy), Error) << bad;
  }
}
