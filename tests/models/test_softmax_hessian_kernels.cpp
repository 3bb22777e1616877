#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

#include "msopt/models/softmax_hessian_kernels.hpp"

using namespace msopt;

namespace {

struct Table {
  std::vector<double> x, p;
  SoftmaxRows rows() const { return {x.data(), p.data(), static_cast<PetscInt>(p.size()) / classes, dim, classes}; }
  PetscInt dim;
  int classes;
};

// Rows with entries of mixed scale and softmax probabilities of varied logits.
Table some_table(PetscInt n, PetscInt d, int k) {
  Table t{std::vector<double>(n * d), std::vector<double>(n * k), d, k};
  for (PetscInt i = 0; i < n * d; ++i) t.x[i] = std::sin(0.37 * i + 1.0) * (i % 3 == 0 ? 10.0 : 0.1);
  for (PetscInt i = 0; i < n; ++i) {
    double sum = 0;
    for (int c = 0; c < k; ++c) sum += (t.p[i * k + c] = std::exp(2.0 * std::cos(1.3 * i + 0.9 * c)));
    for (int c = 0; c < k; ++c) t.p[i * k + c] /= sum;
  }
  return t;
}

// The definition, row by row: u_i = V x_i + c, r_i = p_i * (u_i - p_i . u_i),
// out_W += r_i x_i^T, out_b += r_i.
void add_plain_loops(const Table& t, const std::vector<double>& v, std::vector<double>& out) {
  const PetscInt d = t.dim, n = static_cast<PetscInt>(t.p.size()) / t.classes;
  const int k = t.classes;
  std::vector<double> r(k);
  for (PetscInt i = 0; i < n; ++i) {
    const double* x = t.x.data() + i * d;
    const double* p = t.p.data() + i * k;
    double pu = 0;
    for (int c = 0; c < k; ++c) {
      r[c] = v[k * d + c];
      for (PetscInt j = 0; j < d; ++j) r[c] += v[c * d + j] * x[j];
      pu += p[c] * r[c];
    }
    for (int c = 0; c < k; ++c) {
      r[c] = p[c] * (r[c] - pu);
      for (PetscInt j = 0; j < d; ++j) out[c * d + j] += r[c] * x[j];
      out[k * d + c] += r[c];
    }
  }
}

using Kernel = void (*)(const SoftmaxRows&, const double*, double*, double*);

// The kernel adds to what `out` holds, on shapes that exercise every tile and
// tail: rows around the blocks (32, 64) and the 4-row tiles, d around the
// 8-, 16- and 32-column tiles, classes around the 5-class tiles.
void expect_matches_plain_loops(Kernel kernel) {
  for (PetscInt n : {1, 3, 4, 17, 33, 70})
    for (PetscInt d : {1, 7, 8, 9, 16, 23, 32, 40, 56, 63})
      for (int k : {1, 2, 4, 5, 6, 10, 11, 23}) {
        const Table t = some_table(n, d, k);
        std::vector<double> v(k * (d + 1)), expected(v.size()), got(v.size());
        for (size_t i = 0; i < v.size(); ++i) v[i] = std::cos(0.11 * i) - 0.3;
        for (size_t i = 0; i < v.size(); ++i) expected[i] = got[i] = 0.5 * i;
        add_plain_loops(t, v, expected);
        std::vector<double> workspace(softmax_hessian_workspace_size(k));
        kernel(t.rows(), v.data(), got.data(), workspace.data());
        double scale = 0, error = 0;
        for (size_t i = 0; i < v.size(); ++i) {
          scale = std::max(scale, std::fabs(expected[i]));
          error = std::max(error, std::fabs(got[i] - expected[i]));
        }
        EXPECT_LE(error, 1e-13 * scale) << "n = " << n << ", d = " << d << ", classes = " << k;
      }
}

}  // namespace

TEST(SoftmaxHessianKernels, BlasMatchesPlainLoops) { expect_matches_plain_loops(add_softmax_hessian_vector_blas); }

TEST(SoftmaxHessianKernels, FusedMatchesPlainLoopsOnAvx512) {
  if (!softmax_fused_kernel_available()) GTEST_SKIP() << "this CPU has no AVX-512F: SoftmaxRegression uses blas";
  expect_matches_plain_loops(add_softmax_hessian_vector_fused);
}
