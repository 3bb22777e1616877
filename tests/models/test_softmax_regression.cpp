#include <gtest/gtest.h>
#include <petscsys.h>
#include <petscblaslapack.h>

#include <algorithm>
#include <cmath>
#include <functional>
#include <limits>
#include <string>

#include "msopt/core/error.hpp"
#include "msopt/models/logistic_regression.hpp"
#include "msopt/models/softmax_regression.hpp"
#include "test_util.hpp"

using namespace msopt;
using namespace msopt::testing;

namespace {

// Multiscale features with labels from a fixed linear teacher (argmax of
// k scores), every 7th row moved to the next class so that nothing is separable.
// Labels depend only on the row, not on the number of ranks.
Dataset classified(PetscInt n, std::vector<PetscInt> dims, std::vector<double> scales, int classes, MPI_Comm comm,
                   std::uint64_t seed = 7) {
  Dataset data = generate_multiscale(small_spec(n, std::move(dims), std::move(scales), true, seed), comm);
  for (PetscInt i = 0; i < data.rows.count; ++i) {
    const double* x = data.row(i);
    int best = 0;
    double best_score = -std::numeric_limits<double>::infinity();
    for (int c = 0; c < classes; ++c) {
      double score = 0.2 * c;
      for (PetscInt j = 0; j < data.dim; ++j) score += std::cos(1.0 + 2.0 * c + 3.0 * j) * x[j];
      if (score > best_score) best_score = score, best = c;
    }
    if ((data.rows.begin + i) % 7 == 3) best = (best + 1) % classes;
    data.y[i] = best;
  }
  return data;
}

// The whole table given on every rank, each rank keeping its row block.
Dataset hand_made(MPI_Comm comm, PetscInt d, const std::vector<double>& X, const std::vector<double>& y) {
  Dataset data;
  data.comm = comm;
  data.n_global = static_cast<PetscInt>(y.size());
  data.dim = d;
  data.rows = split_rows(data.n_global, comm);
  data.X.assign(X.begin() + data.rows.begin * d, X.begin() + (data.rows.begin + data.rows.count) * d);
  data.y.assign(y.begin() + data.rows.begin, y.begin() + data.rows.begin + data.rows.count);
  return data;
}

std::vector<double> some_point(PetscInt n, double scale = 0.5) {
  std::vector<double> w(n);
  for (PetscInt k = 0; k < n; ++k) w[k] = scale * std::sin(1.0 + 0.7 * k);
  return w;
}

std::vector<double> some_direction(PetscInt n) {
  std::vector<double> v(n);
  for (PetscInt k = 0; k < n; ++k) v[k] = std::cos(2.0 + 1.3 * k);
  return v;
}

struct Reference {
  double value = 0;
  std::vector<double> gradient, hv;
};

// Softmax cross-entropy by plain loops over all N rows (gathered on every
// rank); H v from the explicit per-sample Hessian x~ x~^T (x) (diag p - p p^T).
Reference softmax_reference(const Dataset& data, int k, double l2, const std::vector<double>& theta,
                            const std::vector<double>& v) {
  const PetscInt n = data.n_global, d = data.dim, p = k * (d + 1);
  const auto X = gather_all(data, data.X, d), y = gather_all(data, data.y, 1);
  auto index = [&](int c, PetscInt j) { return j < d ? c * d + j : k * d + c; };  // (class, feature or bias)
  Reference ref{0, std::vector<double>(p, 0.0), std::vector<double>(p, 0.0)};
  std::vector<double> xt(d + 1), z(k), prob(k);
  for (PetscInt i = 0; i < n; ++i) {
    for (PetscInt j = 0; j < d; ++j) xt[j] = X[i * d + j];
    xt[d] = 1.0;
    double sum = 0;
    for (int c = 0; c < k; ++c) {
      z[c] = 0;
      for (PetscInt j = 0; j <= d; ++j) z[c] += theta[index(c, j)] * xt[j];
      sum += std::exp(z[c]);
    }
    const int label = static_cast<int>(y[i]);
    ref.value -= std::log(std::exp(z[label]) / sum) / n;
    for (int c = 0; c < k; ++c) prob[c] = std::exp(z[c]) / sum;
    for (int c = 0; c < k; ++c)
      for (PetscInt j = 0; j <= d; ++j) ref.gradient[index(c, j)] += (prob[c] - (c == label)) * xt[j] / n;
    for (int a = 0; a < k; ++a)
      for (PetscInt j = 0; j <= d; ++j)
        for (int b = 0; b < k; ++b)
          for (PetscInt l = 0; l <= d; ++l)
            ref.hv[index(a, j)] += ((a == b) * prob[a] - prob[a] * prob[b]) * xt[j] * xt[l] * v[index(b, l)] / n;
  }
  for (PetscInt j = 0; j < k * d; ++j) {
    ref.value += 0.5 * l2 * theta[j] * theta[j];
    ref.gradient[j] += l2 * theta[j];
    ref.hv[j] += l2 * v[j];
  }
  return ref;
}

// Binary cross-entropy by plain loops: -y log p - (1 - y) log(1 - p).
Reference logistic_reference(const Dataset& data, double l2, const std::vector<double>& theta,
                             const std::vector<double>& v) {
  const PetscInt n = data.n_global, d = data.dim;
  const auto X = gather_all(data, data.X, d), y = gather_all(data, data.y, 1);
  Reference ref{0, std::vector<double>(d + 1, 0.0), std::vector<double>(d + 1, 0.0)};
  std::vector<double> xt(d + 1);
  for (PetscInt i = 0; i < n; ++i) {
    for (PetscInt j = 0; j < d; ++j) xt[j] = X[i * d + j];
    xt[d] = 1.0;
    double t = 0;
    for (PetscInt j = 0; j <= d; ++j) t += theta[j] * xt[j];
    const double p = 1.0 / (1.0 + std::exp(-t));
    ref.value -= (y[i] * std::log(p) + (1 - y[i]) * std::log(1 - p)) / n;
    for (PetscInt a = 0; a <= d; ++a) {
      ref.gradient[a] += (p - y[i]) * xt[a] / n;
      for (PetscInt b = 0; b <= d; ++b) ref.hv[a] += p * (1 - p) * xt[a] * xt[b] * v[b] / n;
    }
  }
  for (PetscInt j = 0; j < d; ++j) {
    ref.value += 0.5 * l2 * theta[j] * theta[j];
    ref.gradient[j] += l2 * theta[j];
    ref.hv[j] += l2 * v[j];
  }
  return ref;
}

void expect_matches(Objective& f, const Reference& ref, const std::vector<double>& theta,
                    const std::vector<double>& v, double tol) {
  const PetscInt p = f.dim();
  std::vector<double> g(p), hv(p);
  const double value = f.value_and_gradient(theta.data(), g.data());
  f.hessian_vector(theta.data(), v.data(), hv.data());
  EXPECT_NEAR(value, ref.value, tol * std::fabs(ref.value));
  for (PetscInt j = 0; j < p; ++j) {
    EXPECT_NEAR(g[j], ref.gradient[j], tol * (1 + std::fabs(ref.gradient[j]))) << "gradient " << j;
    EXPECT_NEAR(hv[j], ref.hv[j], tol * (1 + std::fabs(ref.hv[j]))) << "H v " << j;
  }
}

// Central differences of the value, compared with the gradient.
void expect_gradient_matches_differences(Objective& f, const std::vector<double>& theta, double h, double tol) {
  const PetscInt p = f.dim();
  std::vector<double> g(p), scratch(p);
  f.value_and_gradient(theta.data(), g.data());
  for (PetscInt k = 0; k < p; ++k) {
    auto plus = theta, minus = theta;
    plus[k] += h;
    minus[k] -= h;
    const double fd = (f.value_and_gradient(plus.data(), scratch.data()) -
                       f.value_and_gradient(minus.data(), scratch.data())) / (2 * h);
    EXPECT_NEAR(g[k], fd, tol) << "component " << k;
  }
}

// (grad(theta + h v) - grad(theta - h v)) / 2h.
std::vector<double> gradient_difference(Objective& f, const std::vector<double>& theta, const std::vector<double>& v,
                                        double h) {
  const PetscInt p = f.dim();
  std::vector<double> plus(theta), minus(theta), gp(p), gm(p), out(p);
  for (PetscInt k = 0; k < p; ++k) plus[k] += h * v[k], minus[k] -= h * v[k];
  f.value_and_gradient(plus.data(), gp.data());
  f.value_and_gradient(minus.data(), gm.data());
  for (PetscInt k = 0; k < p; ++k) out[k] = (gp[k] - gm[k]) / (2 * h);
  return out;
}

void expect_hessian_vector_matches_differences(Objective& f, const std::vector<double>& theta,
                                               const std::vector<double>& v, double h, double tol) {
  std::vector<double> hv(f.dim());
  f.hessian_vector(theta.data(), v.data(), hv.data());
  const auto fd = gradient_difference(f, theta, v, h);
  for (PetscInt k = 0; k < f.dim(); ++k) EXPECT_NEAR(hv[k], fd[k], tol) << "component " << k;
}

std::vector<double> symmetric_eigenvalues(std::vector<double> A, PetscInt p) {
  PetscBLASInt n = static_cast<PetscBLASInt>(p), lwork = 10 * n, info = 0;
  std::vector<double> w(p), work(lwork);
  LAPACKsyev_("N", "U", &n, A.data(), &n, w.data(), work.data(), &lwork, &info);
  EXPECT_EQ(info, 0);
  return w;  // ascending
}

// The Hessian built column by column twice, from finite differences of the
// gradient and from H e_j: they agree, are symmetric and positive semi-definite.
// Returns the eigenvalues (ascending) of the H e_j matrix.
std::vector<double> check_full_hessian(Objective& f, const std::vector<double>& theta) {
  const PetscInt p = f.dim();
  std::vector<double> by_fd(p * p), by_hv(p * p), e(p, 0.0), column(p);
  for (PetscInt j = 0; j < p; ++j) {
    e[j] = 1.0;
    const auto fd = gradient_difference(f, theta, e, 1e-5);
    f.hessian_vector(theta.data(), e.data(), column.data());
    e[j] = 0.0;
    for (PetscInt i = 0; i < p; ++i) {
      by_fd[j * p + i] = fd[i];
      by_hv[j * p + i] = column[i];
    }
  }
  double largest = 0;
  for (PetscInt i = 0; i < p; ++i)
    for (PetscInt j = 0; j < p; ++j) {
      EXPECT_NEAR(by_hv[j * p + i], by_fd[j * p + i], 1e-8) << "entry " << i << "," << j;
      EXPECT_NEAR(by_fd[j * p + i], by_fd[i * p + j], 1e-8) << "finite-difference Hessian symmetry " << i << "," << j;
      EXPECT_NEAR(by_hv[j * p + i], by_hv[i * p + j], 1e-14) << "H e_j symmetry " << i << "," << j;
      largest = std::max(largest, std::fabs(by_hv[j * p + i]));
    }
  std::vector<double> sym(p * p);
  for (PetscInt i = 0; i < p; ++i)
    for (PetscInt j = 0; j < p; ++j) sym[j * p + i] = 0.5 * (by_fd[j * p + i] + by_fd[i * p + j]);
  const auto fd_eigen = symmetric_eigenvalues(sym, p), hv_eigen = symmetric_eigenvalues(by_hv, p);
  EXPECT_GT(largest, 1e-3);
  EXPECT_GE(fd_eigen.front(), -1e-8) << "finite-difference Hessian not positive semi-definite";
  EXPECT_GE(hv_eigen.front(), -1e-13 * hv_eigen.back()) << "H e_j matrix not positive semi-definite";
  return hv_eigen;
}

}  // namespace

// ---------------------------------------------------------------- softmax

TEST(SoftmaxRegression, MatchesPlainLoopsForValueGradientAndHessianVector) {
  // 301 rows, block_rows = 32: several blocks and a partial last one at every rank count.
  Dataset data = classified(301, {4, 3}, {1, 0.1}, 4, PETSC_COMM_WORLD);
  for (double l2 : {0.0, 0.05}) {
    SoftmaxRegression f(data, 4, l2, 32);
    ASSERT_EQ(f.dim(), 4 * 8);
    const auto theta = some_point(f.dim()), v = some_direction(f.dim());
    expect_matches(f, softmax_reference(data, 4, l2, theta, v), theta, v, 1e-12);
  }
}

TEST(SoftmaxRegression, GradientMatchesFiniteDifferences) {
  Dataset data = classified(120, {3, 2}, {1, 0.3}, 3, PETSC_COMM_WORLD);
  SoftmaxRegression f(data, 3, 0.1, 16);
  expect_gradient_matches_differences(f, some_point(f.dim()), 1e-5, 1e-8);
}

TEST(SoftmaxRegression, HessianVectorMatchesFiniteDifferencesOfGradient) {
  Dataset data = classified(120, {3, 2}, {1, 0.3}, 3, PETSC_COMM_WORLD);
  for (double l2 : {0.0, 0.1}) {
    SoftmaxRegression f(data, 3, l2, 16);
    expect_hessian_vector_matches_differences(f, some_point(f.dim()), some_direction(f.dim()), 1e-5, 1e-8);
  }
}

TEST(SoftmaxRegression, TinyFullHessianIsSymmetricPsdWithTheShiftNullSpace) {
  // d = 3, k = 3: a 12 x 12 Hessian.
  Dataset data = classified(40, {2, 1}, {1, 0.3}, 3, PETSC_COMM_WORLD);
  SoftmaxRegression f(data, 3, 0.0, 8);
  ASSERT_EQ(f.dim(), 12);
  const auto eigen = check_full_hessian(f, some_point(f.dim()));
  // Adding one vector to every class's (w_c, b_c) leaves the softmax unchanged:
  // exactly d + 1 = 4 zero eigenvalues, the other 8 positive.
  const double top = eigen.back();
  for (int i = 0; i < 4; ++i) EXPECT_LT(std::fabs(eigen[i]), 1e-13 * top) << "eigenvalue " << i;
  EXPECT_GT(eigen[4], 1e-6 * top);
  // With l2 > 0 only the bias shift (one direction) stays flat.
  SoftmaxRegression g(data, 3, 0.2, 8);
  const auto eigen_l2 = check_full_hessian(g, some_point(g.dim()));
  EXPECT_LT(std::fabs(eigen_l2[0]), 1e-13 * eigen_l2.back());
  EXPECT_GT(eigen_l2[1], 1e-6 * eigen_l2.back());
}

// The same value, gradient, H v and accuracy from the model on split rows
// (PETSC_COMM_WORLD) and on all rows (PETSC_COMM_SELF), to 1e-12 relative.
template <class Model>
void expect_same_numbers(Model& f_split, Model& f_whole) {
  const PetscInt p = f_split.dim();
  const auto theta = some_point(p), v = some_direction(p);
  std::vector<double> ga(p), gb(p), ha(p), hb(p);
  const double va = f_split.value_and_gradient(theta.data(), ga.data());
  const double vb = f_whole.value_and_gradient(theta.data(), gb.data());
  f_split.hessian_vector(theta.data(), v.data(), ha.data());
  f_whole.hessian_vector(theta.data(), v.data(), hb.data());
  EXPECT_NEAR(va, vb, 1e-12 * std::fabs(vb));
  for (PetscInt j = 0; j < p; ++j) {
    EXPECT_NEAR(ga[j], gb[j], 1e-12 * (1 + std::fabs(gb[j])));
    EXPECT_NEAR(ha[j], hb[j], 1e-12 * (1 + std::fabs(hb[j])));
  }
  EXPECT_DOUBLE_EQ(f_split.accuracy(theta.data()), f_whole.accuracy(theta.data()));
}

TEST(SoftmaxRegression, AgreesAcrossRankCounts) {
  const int k = 5;
  Dataset split = classified(503, {5, 5}, {1, 0.01}, k, PETSC_COMM_WORLD),
          whole = classified(503, {5, 5}, {1, 0.01}, k, PETSC_COMM_SELF);
  SoftmaxRegression f_split(split, k, 0.01, 64), f_whole(whole, k, 0.01, 64);
  expect_same_numbers(f_split, f_whole);
}

TEST(SoftmaxRegression, RefusesLabelsOutOfRangeOnEveryRank) {
  const PetscInt n = 60;
  // label, row: the last row (on the last rank), the first, one in the middle.
  const std::vector<std::pair<double, PetscInt>> cases{{3, n - 1}, {-1, 0}, {1.5, 31}, {NAN, 17}};
  for (const auto& [label, row] : cases) {
    Dataset data = classified(n, {2, 2}, {1, 0.1}, 3, PETSC_COMM_WORLD);
    if (row >= data.rows.begin && row < data.rows.begin + data.rows.count) data.y[row - data.rows.begin] = label;
    try {
      SoftmaxRegression f(data, 3);
      ADD_FAILURE() << "label " << label << " at row " << row << " accepted";
    } catch (const Error& e) {  // on every rank, with the owner's message
      EXPECT_NE(std::string(e.what()).find("row " + std::to_string(row)), std::string::npos) << e.what();
    }
  }
  Dataset data = classified(n, {2, 2}, {1, 0.1}, 3, PETSC_COMM_WORLD);
  EXPECT_NO_THROW(SoftmaxRegression(data, 3));
  EXPECT_THROW(SoftmaxRegression(data, 1), Error);  // every label is then out of range anyway
  EXPECT_THROW(SoftmaxRegression(data, 3, -1.0), Error);
}

TEST(SoftmaxRegression, HandMadeAccuracyPredictionsAndValues) {
  // W = [[1, 0], [0, 1], [-1, -1]], b = (0, 0, 0.5); predicted classes in the comments.
  const std::vector<double> X{2, 0,   0, 2,   -1, -1,   3, 1,   1, 3,   // 0 1 2 0 1
                              -2, 0.5, 0.5, -2, 1, 0.9, 0, 0,  -0.5, 3};  // 2 2 0 2 1
  const std::vector<PetscInt> predicted{0, 1, 2, 0, 1, 2, 2, 0, 2, 1};
  const std::vector<double> y{0, 1, 2, 1, 1, 2, 0, 0, 1, 1};  // rows 3, 6 and 8 wrong
  Dataset data = hand_made(PETSC_COMM_WORLD, 2, X, y);
  SoftmaxRegression f(data, 3, 0.0, 2);
  const std::vector<double> theta{1, 0, 0, 1, -1, -1, 0, 0, 0.5};
  EXPECT_DOUBLE_EQ(f.accuracy(theta.data()), 0.7);
  std::vector<PetscInt> mine(data.rows.count);
  f.predict(theta.data(), mine.data());
  for (PetscInt i = 0; i < data.rows.count; ++i) EXPECT_EQ(mine[i], predicted[data.rows.begin + i]) << "row " << i;

  // At theta = 0 every class has probability 1/3: L = log 3 and
  // grad_c = (1/N) sum_i (1/3 - [y_i = c]) x~_i.
  std::vector<double> zero(9, 0.0), g(9);
  EXPECT_NEAR(f.value_and_gradient(zero.data(), g.data()), std::log(3.0), 1e-15);
  for (int c = 0; c < 3; ++c)
    for (int j = 0; j < 3; ++j) {
      double expected = 0;
      for (int i = 0; i < 10; ++i) expected += (1.0 / 3 - (y[i] == c)) * (j < 2 ? X[2 * i + j] : 1.0) / 10;
      EXPECT_NEAR(g[j < 2 ? 2 * c + j : 6 + c], expected, 1e-15) << "class " << c << " component " << j;
    }
}

TEST(SoftmaxRegression, HugeLogitsStayFinite) {
  // One row (the other ranks own none), logits (1000, 0) and label 1:
  // L = 1000 + log(1 + e^-1000) = 1000, p = (1, e^-1000).
  Dataset data = hand_made(PETSC_COMM_WORLD, 1, {1.0}, {1.0});
  SoftmaxRegression f(data, 2);
  const std::vector<double> theta{1000, 0, 0, 0};
  std::vector<double> g(4), hv(4), v{1, 1, 1, 1};
  EXPECT_DOUBLE_EQ(f.value_and_gradient(theta.data(), g.data()), 1000.0);
  EXPECT_DOUBLE_EQ(g[0], 1.0);
  EXPECT_DOUBLE_EQ(g[1], -1.0);
  EXPECT_DOUBLE_EQ(g[2], 1.0);
  EXPECT_DOUBLE_EQ(g[3], -1.0);
  f.hessian_vector(theta.data(), v.data(), hv.data());
  for (double h : hv) EXPECT_TRUE(std::isfinite(h) && std::fabs(h) < 1e-300);
}

// ---------------------------------------------------------------- logistic

TEST(LogisticRegression, MatchesPlainLoopsForValueGradientAndHessianVector) {
  Dataset data = classified(301, {4, 3}, {1, 0.1}, 2, PETSC_COMM_WORLD);
  for (double l2 : {0.0, 0.05}) {
    LogisticRegression f(data, l2, 32);
    ASSERT_EQ(f.dim(), 8);
    const auto theta = some_point(f.dim()), v = some_direction(f.dim());
    expect_matches(f, logistic_reference(data, l2, theta, v), theta, v, 1e-12);
  }
}

TEST(LogisticRegression, GradientAndHessianVectorMatchFiniteDifferences) {
  Dataset data = classified(120, {3, 2}, {1, 0.3}, 2, PETSC_COMM_WORLD);
  for (double l2 : {0.0, 0.1}) {
    LogisticRegression f(data, l2, 16);
    const auto theta = some_point(f.dim(), 1.5);
    expect_gradient_matches_differences(f, theta, 1e-5, 1e-8);
    expect_hessian_vector_matches_differences(f, theta, some_direction(f.dim()), 1e-5, 1e-8);
  }
}

TEST(LogisticRegression, TinyFullHessianIsSymmetricPositiveDefinite) {
  Dataset data = classified(40, {2, 1}, {1, 0.3}, 2, PETSC_COMM_WORLD);
  LogisticRegression f(data, 0.0, 8);
  ASSERT_EQ(f.dim(), 4);
  const auto eigen = check_full_hessian(f, some_point(f.dim()));
  EXPECT_GT(eigen.front(), 1e-6 * eigen.back());  // 40 generic rows in R^3: no flat direction
}

TEST(LogisticRegression, AgreesAcrossRankCounts) {
  Dataset split = classified(503, {5, 5}, {1, 0.01}, 2, PETSC_COMM_WORLD),
          whole = classified(503, {5, 5}, {1, 0.01}, 2, PETSC_COMM_SELF);
  LogisticRegression f_split(split, 0.01, 64), f_whole(whole, 0.01, 64);
  expect_same_numbers(f_split, f_whole);
}

TEST(LogisticRegression, RefusesLabelsOtherThanZeroAndOne) {
  const PetscInt n = 60;
  const std::vector<std::pair<double, PetscInt>> cases{{2, n - 1}, {-1, 0}, {0.5, 31}};
  for (const auto& [label, row] : cases) {
    Dataset data = classified(n, {2, 2}, {1, 0.1}, 2, PETSC_COMM_WORLD);
    if (row >= data.rows.begin && row < data.rows.begin + data.rows.count) data.y[row - data.rows.begin] = label;
    try {
      LogisticRegression f(data);
      ADD_FAILURE() << "label " << label << " at row " << row << " accepted";
    } catch (const Error& e) {
      EXPECT_NE(std::string(e.what()).find("row " + std::to_string(row)), std::string::npos) << e.what();
    }
  }
  Dataset data = classified(n, {2, 2}, {1, 0.1}, 2, PETSC_COMM_WORLD);
  EXPECT_NO_THROW(LogisticRegression{data});
}

TEST(LogisticRegression, HandMadeAccuracyAndStableValues) {
  // w = (1, -1), b = 0.5: margins 1.5 -0.5 -0.5 0.5 -0.5 2.5, predictions 1 0 0 1 0 1.
  const std::vector<double> X{1, 0, 0, 1, 2, 3, 0, 0, -1, 0, 3, 1};
  const std::vector<double> y{1, 0, 1, 1, 0, 0};  // rows 2 and 5 wrong
  Dataset data = hand_made(PETSC_COMM_WORLD, 2, X, y);
  LogisticRegression f(data, 0.0, 4);
  const std::vector<double> theta{1, -1, 0.5};
  EXPECT_DOUBLE_EQ(f.accuracy(theta.data()), 4.0 / 6.0);
  const std::vector<PetscInt> predicted{1, 0, 0, 1, 0, 1};
  std::vector<PetscInt> mine(data.rows.count);
  f.predict(theta.data(), mine.data());
  for (PetscInt i = 0; i < data.rows.count; ++i) EXPECT_EQ(mine[i], predicted[data.rows.begin + i]);
  std::vector<double> zero(3, 0.0), g(3);
  EXPECT_NEAR(f.value_and_gradient(zero.data(), g.data()), std::log(2.0), 1e-15);

  // Margin 800 on a label-0 row and -800 on a label-1 row: L = 800 each, no overflow.
  Dataset far = hand_made(PETSC_COMM_WORLD, 1, {1.0, -1.0}, {0.0, 1.0});
  LogisticRegression h(far);
  const std::vector<double> big{800, 0};
  std::vector<double> gb(2), hv(2), v{1, 1};
  EXPECT_DOUBLE_EQ(h.value_and_gradient(big.data(), gb.data()), 800.0);
  EXPECT_DOUBLE_EQ(gb[0], 1.0);  // ((1 - 0) * 1 + (0 - 1) * (-1)) / 2
  EXPECT_DOUBLE_EQ(gb[1], 0.0);
  h.hessian_vector(big.data(), v.data(), hv.data());
  for (double x : hv) EXPECT_TRUE(std::isfinite(x) && std::fabs(x) < 1e-300);
}

// H(theta) v keeps the probabilities at theta between products: a product at
// another point must not reuse them, and the point's copy must be compared
// entry by entry (the same buffer with new contents is a new point).
TEST(SoftmaxRegression, HessianVectorAfterAPointChangeMatchesAFreshModel) {
  Dataset data = classified(120, {3, 2}, {1, 0.2}, 3, PETSC_COMM_WORLD);
  SoftmaxRegression reused(data, 3, 0.0, 16);
  const PetscInt p = reused.dim();
  auto theta = some_point(p, 0.5);
  const auto v = some_direction(p);
  std::vector<double> first(p), again(p), fresh_hv(p);
  reused.hessian_vector(theta.data(), v.data(), first.data());
  reused.hessian_vector(theta.data(), v.data(), again.data());
  for (PetscInt j = 0; j < p; ++j) EXPECT_EQ(first[j], again[j]);
  theta[p - 1] += 0.75;  // the same buffer, another point (one bias moved)
  reused.hessian_vector(theta.data(), v.data(), again.data());
  SoftmaxRegression fresh(data, 3, 0.0, 16);
  fresh.hessian_vector(theta.data(), v.data(), fresh_hv.data());
  double moved = 0;
  for (PetscInt j = 0; j < p; ++j) {
    EXPECT_EQ(again[j], fresh_hv[j]) << j;
    moved = std::max(moved, std::fabs(again[j] - first[j]));
  }
  EXPECT_GT(moved, 1e-6);  // the point change does change H v
}
