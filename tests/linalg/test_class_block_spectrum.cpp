// The softmax Hessian's class blocks against plain loops over all samples
// and their eigenvalues against LAPACK (dsyev) called here directly.
#include <gtest/gtest.h>
#include <petscsys.h>
#include <petscblaslapack.h>

#include <algorithm>
#include <cmath>
#include <functional>

#include "msopt/data/multiscale_generator.hpp"
#include "msopt/linalg/class_block_spectrum.hpp"
#include "msopt/linalg/spectrum.hpp"
#include "test_util.hpp"

using namespace msopt;
using namespace msopt::testing;

namespace {

constexpr int kClasses = 3;

// Multiscale features, labels from the sign pattern of two coordinates.
Dataset labelled(MPI_Comm comm) {
  Dataset data = generate_multiscale(small_spec(60, {3, 2}, {1, 0.05}, true, 11), comm);
  for (PetscInt i = 0; i < data.rows.count; ++i) data.y[i] = (data.row(i)[0] > 0) + (data.row(i)[1] > 0.1);
  return data;
}

std::vector<double> some_point(PetscInt n) {
  std::vector<double> w(n);
  for (PetscInt k = 0; k < n; ++k) w[k] = 0.8 * std::sin(0.3 + 1.3 * k);
  return w;
}

// (1/N) sum_i p_ic (1 - p_ic) x~ x~^T + l2 on the weights, by plain loops.
std::vector<double> naive_block(const std::vector<double>& X, PetscInt n, PetscInt d, const std::vector<double>& w,
                                int c, double l2) {
  const PetscInt n1 = d + 1;
  std::vector<double> H(static_cast<size_t>(n1) * n1, 0.0);
  for (PetscInt i = 0; i < n; ++i) {
    double z[kClasses], top = -1e300, sum = 0;
    for (int l = 0; l < kClasses; ++l) {
      z[l] = w[kClasses * d + l];
      for (PetscInt j = 0; j < d; ++j) z[l] += w[l * d + j] * X[i * d + j];
      top = std::max(top, z[l]);
    }
    for (int l = 0; l < kClasses; ++l) sum += std::exp(z[l] - top);
    const double p = std::exp(z[c] - top) / sum;
    for (PetscInt a = 0; a < n1; ++a)
      for (PetscInt b = 0; b < n1; ++b) {
        const double xa = a < d ? X[i * d + a] : 1.0, xb = b < d ? X[i * d + b] : 1.0;
        H[a * n1 + b] += p * (1 - p) * xa * xb / n;
      }
  }
  for (PetscInt j = 0; j < d; ++j) H[j * n1 + j] += l2;
  return H;
}

std::vector<double> lapack_eigenvalues(std::vector<double> A, PetscInt n) {
  PetscBLASInt bn = static_cast<PetscBLASInt>(n), lwork = 4 * bn, info = 0;
  std::vector<double> values(n), work(lwork);
  LAPACKsyev_("N", "U", &bn, A.data(), &bn, values.data(), work.data(), &lwork, &info);
  EXPECT_EQ(info, 0);
  return values;
}

}  // namespace

TEST(ClassBlockSpectrum, BlocksMatchPlainLoopsOverAllSamples) {
  Dataset data = labelled(PETSC_COMM_WORLD);
  const auto X = gather_all(data, data.X, data.dim);
  SoftmaxRegression model(data, kClasses, 0.03, 7);
  const auto w = some_point(model.dim());
  for (int c = 0; c < kClasses; ++c) {
    const auto block = model.class_block_hessian(w.data(), c);
    const auto expected = naive_block(X, data.n_global, data.dim, w, c, 0.03);
    ASSERT_EQ(block.size(), expected.size());
    for (size_t k = 0; k < block.size(); ++k) EXPECT_NEAR(block[k], expected[k], 1e-14) << "class " << c << " entry " << k;
  }
}

TEST(ClassBlockSpectrum, EigenvaluesAreThoseOfEveryBlockByLapack) {
  Dataset data = labelled(PETSC_COMM_WORLD);
  const auto X = gather_all(data, data.X, data.dim);
  SoftmaxRegression model(data, kClasses, 0.0, 7);
  const auto w = some_point(model.dim());
  std::vector<double> expected;
  for (int c = 0; c < kClasses; ++c) {
    auto values = lapack_eigenvalues(naive_block(X, data.n_global, data.dim, w, c, 0.0), data.dim + 1);
    expected.insert(expected.end(), values.begin(), values.end());
  }
  std::sort(expected.begin(), expected.end(), std::greater<>());
  const auto values = class_block_eigenvalues(model, w);
  ASSERT_EQ(values.size(), expected.size());
  for (size_t k = 0; k < values.size(); ++k) EXPECT_NEAR(values[k], expected[k], 1e-12 * expected.front()) << k;
}

TEST(ScaleGroups, MaxKappaCutsASmoothSpectrumIntoBands) {
  // 1, 1/2, ..., 1/2^9: no gap of ratio 3, so one group without a band width.
  std::vector<double> values;
  for (int k = 0; k < 10; ++k) values.push_back(std::ldexp(1.0, -k));
  EXPECT_EQ(detect_scale_groups(values, 3.0).size(), 1u);
  // Bands spanning at most 10: {1..1/8}, {1/16..1/128}, {1/256, 1/512}.
  const auto bands = detect_scale_groups(values, 3.0, 10.0);
  ASSERT_EQ(bands.size(), 3u);
  EXPECT_EQ(bands[0].size, 4);
  EXPECT_EQ(bands[1].size, 4);
  EXPECT_EQ(bands[2].size, 2);
  for (const auto& g : bands) EXPECT_LE(g.kappa(), 10.0);
  SpectrumSettings settings;
  settings.max_kappa = 10;
  settings.floor = 0.003;  // drops 1/512 = 0.00195
  EXPECT_EQ(group_eigenvalues(values, settings).back().size, 1);
}
