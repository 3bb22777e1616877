// The cross-spectrum delta of Theorem 3.11 on a tiny softmax problem against
// an independent computation: the Hessian by plain loops over all samples, its
// eigenvectors by LAPACK (dsyev) called here, the blocks V_i^T H V_j by loops
// and their norms as the largest eigenvalue of [[0, M], [M^T, 0]].
#include <gtest/gtest.h>
#include <petscsys.h>
#include <petscblaslapack.h>

#include <algorithm>
#include <cmath>

#include "msopt/linalg/cross_spectrum.hpp"
#include "msopt/linalg/theorem311_bound.hpp"
#include "msopt/models/softmax_regression.hpp"
#include "msopt/optim/multirate_schedule.hpp"
#include "test_util.hpp"

using namespace msopt;
using namespace msopt::testing;

namespace {

constexpr int kClasses = 3;
constexpr double kL2 = 0.05;

Dataset labelled(MPI_Comm comm) {
  Dataset data = generate_multiscale(small_spec(80, {3, 2}, {1, 0.05}, false, 5), comm);
  for (PetscInt i = 0; i < data.rows.count; ++i) data.y[i] = (data.row(i)[0] > 0) + (data.row(i)[1] > 0.2);
  return data;
}

// (1/N) sum_i x~ x~^T (x) (diag p - p p^T) + l2 on the weights, in the model's layout.
std::vector<double> naive_hessian(const std::vector<double>& X, PetscInt N, PetscInt d, const std::vector<double>& w) {
  const PetscInt n = kClasses * (d + 1);
  auto index = [&](int c, PetscInt a) { return a < d ? c * d + a : kClasses * d + c; };
  std::vector<double> H(static_cast<size_t>(n) * n, 0.0);
  for (PetscInt i = 0; i < N; ++i) {
    double z[kClasses], p[kClasses], top = -1e300, sum = 0;
    for (int c = 0; c < kClasses; ++c) {
      z[c] = w[kClasses * d + c];
      for (PetscInt j = 0; j < d; ++j) z[c] += w[c * d + j] * X[i * d + j];
      top = std::max(top, z[c]);
    }
    for (int c = 0; c < kClasses; ++c) sum += p[c] = std::exp(z[c] - top);
    for (double& q : p) q /= sum;
    for (int c = 0; c < kClasses; ++c)
      for (int e = 0; e < kClasses; ++e)
        for (PetscInt a = 0; a <= d; ++a)
          for (PetscInt b = 0; b <= d; ++b) {
            const double xa = a < d ? X[i * d + a] : 1.0, xb = b < d ? X[i * d + b] : 1.0;
            H[index(c, a) * n + index(e, b)] += xa * xb * ((c == e) * p[c] - p[c] * p[e]) / N;
          }
  }
  for (PetscInt k = 0; k < kClasses * d; ++k) H[k * n + k] += kL2;
  return H;
}

// Eigenvalues ascending; with vectors, A is overwritten by the eigenvectors (columns).
std::vector<double> syev(std::vector<double>& A, PetscInt n, bool vectors) {
  PetscBLASInt bn = static_cast<PetscBLASInt>(n), lwork = 8 * bn, info = 0;
  std::vector<double> values(n), work(lwork);
  LAPACKsyev_(vectors ? "V" : "N", "U", &bn, A.data(), &bn, values.data(), work.data(), &lwork, &info);
  EXPECT_EQ(info, 0);
  return values;
}

struct Reference {
  std::vector<PetscInt> sizes;
  std::vector<double> top, bottom, coupling;
};

// Groups: descending eigenvalues above floor * largest split where the ratio of neighbours >= gap; the rest are left out.
Reference independent(std::vector<double> H, std::vector<double> H_ref, PetscInt n, double gap, double floor) {
  std::vector<double> values = syev(H_ref, n, true);  // ascending: column n-1-k is the k-th largest
  Reference ref;
  PetscInt size = 1;
  for (PetscInt k = 1; k <= n; ++k) {
    const double prev = values[n - k], next = k < n ? values[n - 1 - k] : 0;
    if (k == n || next <= floor * values[n - 1] || prev / next >= gap) {
      ref.sizes.push_back(size);
      size = 0;
      if (k < n && next <= floor * values[n - 1]) break;
    }
    ++size;
  }
  auto col = [&](PetscInt k) { return &H_ref[static_cast<size_t>(n - 1 - k) * n]; };
  std::vector<double> G(static_cast<size_t>(n) * n, 0.0);
  for (PetscInt a = 0; a < n; ++a)
    for (PetscInt b = 0; b < n; ++b)
      for (PetscInt s = 0; s < n; ++s)
        for (PetscInt t = 0; t < n; ++t) G[a * n + b] += col(a)[s] * H[s * n + t] * col(b)[t];
  const size_t m = ref.sizes.size();
  ref.coupling.assign(m * m, 0.0);
  PetscInt a0 = 0;
  for (size_t i = 0; i < m; ++i) {
    const PetscInt p = ref.sizes[i];
    std::vector<double> D(static_cast<size_t>(p) * p);
    for (PetscInt x = 0; x < p; ++x)
      for (PetscInt y = 0; y < p; ++y) D[x * p + y] = G[(a0 + x) * n + a0 + y];
    auto eig = syev(D, p, false);
    ref.top.push_back(eig.back());
    ref.bottom.push_back(eig.front());
    PetscInt b0 = 0;
    for (size_t j = 0; j < m; ++j) {
      const PetscInt q = ref.sizes[j];
      if (i != j) {
        std::vector<double> S(static_cast<size_t>(p + q) * (p + q), 0.0);
        for (PetscInt x = 0; x < p; ++x)
          for (PetscInt y = 0; y < q; ++y) S[x * (p + q) + p + y] = S[(p + y) * (p + q) + x] = G[(a0 + x) * n + b0 + y];
        ref.coupling[i * m + j] = syev(S, p + q, false).back();
      }
      b0 += q;
    }
    a0 += p;
  }
  return ref;
}

}  // namespace

TEST(CrossSpectrum, DenseHessianIsThePlainLoopsOne) {
  Dataset data = labelled(PETSC_COMM_WORLD);
  const auto X = gather_all(data, data.X, data.dim);
  SoftmaxRegression model(data, kClasses, kL2, 7);
  std::vector<double> w(model.dim());
  for (PetscInt k = 0; k < model.dim(); ++k) w[k] = 0.7 * std::sin(0.4 + 1.1 * k);
  const auto H = dense_hessian(model, w), expected = naive_hessian(X, data.n_global, data.dim, w);
  for (size_t k = 0; k < H.size(); ++k) EXPECT_NEAR(H[k], expected[k], 1e-14) << k;
}

TEST(CrossSpectrum, MatchesLapackOnATinySoftmaxProblem) {
  Dataset data = labelled(PETSC_COMM_WORLD);
  const auto X = gather_all(data, data.X, data.dim);
  const PetscInt n = kClasses * (data.dim + 1);
  std::vector<double> w(n), zero(n, 0.0);
  for (PetscInt k = 0; k < n; ++k) w[k] = 0.7 * std::sin(0.4 + 1.1 * k);
  const auto H = naive_hessian(X, data.n_global, data.dim, w), H_ref = naive_hessian(X, data.n_global, data.dim, zero);
  SpectrumSettings settings;
  settings.gap_ratio = 3;
  settings.floor = 1e-10;  // the bias shift b_c += t of every class is a null direction
  const CrossSpectrum cs = cross_spectrum(H, H_ref, n, settings);
  const Reference ref = independent(H, H_ref, n, settings.gap_ratio, settings.floor);
  ASSERT_GE(ref.sizes.size(), 2u);
  ASSERT_EQ(cs.blocks.size(), ref.sizes.size());
  const double scale = ref.top.front();
  double delta = 0;
  for (size_t i = 0; i < ref.sizes.size(); ++i) {
    EXPECT_EQ(cs.blocks[i].size, ref.sizes[i]) << i;
    EXPECT_NEAR(cs.blocks[i].sigma_max, ref.top[i], 1e-12 * scale) << i;
    EXPECT_NEAR(cs.blocks[i].sigma_min, ref.bottom[i], 1e-12 * scale) << i;
    for (size_t j = 0; j < ref.sizes.size(); ++j) {
      EXPECT_NEAR(cs.coupling[i * ref.sizes.size() + j], ref.coupling[i * ref.sizes.size() + j], 1e-12 * scale);
      delta = std::max(delta, ref.coupling[i * ref.sizes.size() + j]);
    }
  }
  EXPECT_NEAR(cs.delta, delta, 1e-12 * scale);
  EXPECT_EQ(cs.floor_size, 1);  // the bias shift: a null direction at every point
  EXPECT_LT(cs.floor_coupling, 1e-13 * scale);
  EXPECT_GT(cs.delta, 1e-6 * scale);  // away from the reference point the eigenspaces couple
}

TEST(CrossSpectrum, VanishesAtTheReferencePoint) {
  Dataset data = labelled(PETSC_COMM_WORLD);
  const auto X = gather_all(data, data.X, data.dim);
  const PetscInt n = kClasses * (data.dim + 1);
  std::vector<double> w(n);
  for (PetscInt k = 0; k < n; ++k) w[k] = 0.5 * std::cos(0.2 + 0.9 * k);
  const auto H = naive_hessian(X, data.n_global, data.dim, w);
  SpectrumSettings settings;
  settings.floor = 1e-10;
  const CrossSpectrum cs = cross_spectrum(H, H, n, settings);
  EXPECT_LT(cs.delta, 1e-13 * cs.blocks.front().sigma_max);
}

TEST(Theorem311Bound, WithoutCouplingIsTheorem34sBound) {
  // Three groups 1e2 apart with kappa_i = 2, 2.5, 2 (Corollary 3.12: delta = 0 gives eq. 19).
  const std::vector<ScaleGroup> groups{{1.0, 0.5, 4}, {1e-2, 4e-3, 4}, {1e-4, 5e-5, 4}};
  const auto rates = rates_from_eta(groups, 2.0);
  const auto counts = theorem34_counts(groups, rates);
  const auto bound = theorem311_bound(groups, rates, counts);
  EXPECT_NEAR(bound.rho, theorem34_bound(groups, rates, counts), 1e-12);
  EXPECT_LT(bound.rho, 1);
  EXPECT_EQ(bound.factor(0), bound.rho);
  // One group: B = eta sum_{s < n} (1 - eta sigma_min)^s.
  const auto one = theorem311_bound({{1.0, 0.25, 3}}, {0.5}, {3});
  EXPECT_NEAR(one.B, 0.5 * (1 + 0.875 + 0.875 * 0.875), 1e-15);
  EXPECT_NEAR(one.rho, 0.875 * 0.875 * 0.875, 1e-15);
}
