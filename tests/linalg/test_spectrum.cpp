#include <gtest/gtest.h>
#include <petscsys.h>
#include <petscblaslapack.h>

#include <algorithm>
#include <functional>

#include "msopt/core/error.hpp"
#include "msopt/linalg/operators.hpp"
#include "msopt/linalg/spectrum.hpp"
#include "msopt/models/quadratic_least_squares.hpp"
#include "test_util.hpp"

using namespace msopt;
using namespace msopt::testing;

namespace {

std::vector<double> lapack_eigenvalues(std::vector<double> A, PetscInt d) {
  PetscBLASInt n = static_cast<PetscBLASInt>(d), lwork = 10 * n, info = 0;
  std::vector<double> w(d), work(lwork);
  LAPACKsyev_("N", "U", &n, A.data(), &n, w.data(), work.data(), &lwork, &info);
  EXPECT_EQ(info, 0);
  std::sort(w.begin(), w.end(), std::greater<>());
  return w;
}

}  // namespace

class SpectrumTest : public ::testing::Test {
 protected:
  Dataset data = generate_multiscale(small_spec(400, {8, 6, 4}, {1, 0.1, 0.01}, true), PETSC_COMM_WORLD);
  std::vector<double> expected =
      lapack_eigenvalues(naive_covariance(gather_all(data, data.X, data.dim), data.n_global, data.dim), data.dim);
};

TEST_F(SpectrumTest, DenseAndShellMatchLapack) {
  QuadraticLeastSquares f(data);
  MatHandle dense = create_covariance_dense(data), shell = create_hessian_shell(f, std::vector<double>(data.dim, 0.0));
  for (Mat A : {dense.get(), shell.get()}) {
    Spectrum s = compute_spectrum(A, SpectrumSettings{});
    ASSERT_EQ(s.eigenvalues.size(), expected.size());
    for (size_t k = 0; k < expected.size(); ++k) EXPECT_NEAR(s.eigenvalues[k], expected[k], 1e-11 * expected[0]);
    ASSERT_EQ(s.groups.size(), 3u);
    EXPECT_EQ(s.groups[0].size, 8);
    EXPECT_EQ(s.groups[1].size, 6);
    EXPECT_EQ(s.groups[2].size, 4);
  }
}

TEST_F(SpectrumTest, ExtremesWithKrylovSchurOnTheShell) {
  QuadraticLeastSquares f(data);
  MatHandle shell = create_hessian_shell(f, std::vector<double>(data.dim, 0.0));
  SpectrumSettings settings;
  settings.method = "extremes";
  settings.nev = 3;
  Spectrum s = compute_spectrum(shell, settings);
  ASSERT_EQ(s.eigenvalues.size(), 6u);
  EXPECT_FALSE(s.complete);
  for (int k = 0; k < 3; ++k) {
    EXPECT_NEAR(s.eigenvalues[k], expected[k], 1e-9 * expected[0]);
    EXPECT_NEAR(s.eigenvalues[5 - k], expected[expected.size() - 1 - k], 1e-9 * expected.back());
  }
  // The 12 eigenvalues between the 3 at each end are unknown: one group spans them.
  ASSERT_EQ(s.groups.size(), 1u);
  EXPECT_EQ(s.groups[0].sigma_max, s.eigenvalues.front());
  EXPECT_EQ(s.groups[0].sigma_min, s.eigenvalues.back());
  EXPECT_EQ(s.groups[0].size, 18);
}

TEST_F(SpectrumTest, FileRoundTrip) {
  auto dir = shared_temp_dir(PETSC_COMM_WORLD);
  MatHandle dense = create_covariance_dense(data);
  Spectrum s = compute_spectrum(dense, SpectrumSettings{});
  write_spectrum(dir + "/s.h5", PETSC_COMM_WORLD, s, "test");
  Spectrum back = read_spectrum(dir + "/s.h5", PETSC_COMM_WORLD);
  EXPECT_EQ(back.eigenvalues, s.eigenvalues);
  ASSERT_EQ(back.groups.size(), s.groups.size());
  for (size_t i = 0; i < s.groups.size(); ++i) EXPECT_EQ(back.groups[i].sigma_min, s.groups[i].sigma_min);
}

TEST(ScaleGroups, SplitsConstructedSpectraAtLargeGaps) {
  auto groups = detect_scale_groups({10, 9, 8, 0.1, 0.09, 0.001}, 3.0);
  ASSERT_EQ(groups.size(), 3u);
  EXPECT_EQ(groups[0].size, 3);
  EXPECT_EQ(groups[0].sigma_max, 10);
  EXPECT_EQ(groups[0].sigma_min, 8);
  EXPECT_EQ(groups[1].size, 2);
  EXPECT_DOUBLE_EQ(groups[1].kappa(), 0.1 / 0.09);
  EXPECT_EQ(groups[2].size, 1);
  EXPECT_EQ(detect_scale_groups({4, 2, 1}, 3.0).size(), 1u);  // gaps of 2 only
  EXPECT_EQ(detect_scale_groups({4, 2, 1}, 2.0).size(), 3u);  // a gap equal to the ratio splits
  EXPECT_THROW(detect_scale_groups({1, 0.5, 0}, 3.0), Error);
  EXPECT_THROW(detect_scale_groups({1, 2}, 3.0), Error);
  EXPECT_THROW(detect_scale_groups({}, 3.0), Error);
}

TEST(ScaleGroups, JoinAcrossAnUnknownMiddle) {
  const std::vector<ScaleGroup> groups{{10, 8, 3}, {0.1, 0.09, 2}, {0.001, 0.0009, 2}, {1e-5, 1e-5, 1}};
  // Ends known down to 8 and up from 0.001: the first three groups and 4 unknown eigenvalues become one.
  auto joined = join_across_unknown(groups, 8, 0.001, 4);
  ASSERT_EQ(joined.size(), 2u);
  EXPECT_EQ(joined[0].sigma_max, 10);
  EXPECT_EQ(joined[0].sigma_min, 0.0009);
  EXPECT_EQ(joined[0].size, 3 + 2 + 2 + 4);
  EXPECT_EQ(joined[1].sigma_min, 1e-5);
  // Both ends in one group: only its size grows.
  joined = join_across_unknown(groups, 0.1, 0.09, 5);
  ASSERT_EQ(joined.size(), 4u);
  EXPECT_EQ(joined[1].size, 7);
  // The lower end under the spectrum's floor (in no group): the top's groups stand.
  EXPECT_EQ(join_across_unknown(groups, 8, 1e-3 / 2, 4).size(), 4u);
}

TEST(ScaleGroups, CutFurtherAtTheGapsInsideThem) {
  // Two groups at ratio 3; inside the first a gap of 2.5 (4 -> 1.6), inside the second none of 1.5.
  const std::vector<double> eigenvalues{5, 4, 1.6, 1.5, 0.3, 0.25, 0.2};
  const auto groups = detect_scale_groups(eigenvalues, 3.0);
  ASSERT_EQ(groups.size(), 2u);
  const auto cut = split_scale_groups(groups, eigenvalues, 1.5);
  ASSERT_EQ(cut.size(), 3u);
  EXPECT_EQ(cut[0].sigma_max, 5);
  EXPECT_EQ(cut[0].sigma_min, 4);
  EXPECT_EQ(cut[0].size, 2);
  EXPECT_EQ(cut[1].sigma_max, 1.6);
  EXPECT_EQ(cut[1].sigma_min, 1.5);
  EXPECT_EQ(cut[2].sigma_max, 0.3);
  EXPECT_EQ(cut[2].sigma_min, 0.2);
  EXPECT_EQ(cut[2].size, 3);
  // The groups' own ends are kept where an interval reaches beyond its eigenvalues.
  const auto wide = split_scale_groups({{6, 1, 4}}, eigenvalues, 1.5);
  ASSERT_EQ(wide.size(), 2u);
  EXPECT_EQ(wide.front().sigma_max, 6);
  EXPECT_EQ(wide.back().sigma_min, 1);
  // Without eigenvalues inside, a group stays as it is.
  EXPECT_EQ(split_scale_groups({{10, 9, 2}}, eigenvalues, 1.5).front().sigma_min, 9);
  EXPECT_THROW(split_scale_groups(groups, eigenvalues, 1.0), Error);
}
