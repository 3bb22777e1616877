#include <gtest/gtest.h>

#include <cmath>
#include <cstring>

#include "msopt/core/error.hpp"
#include "msopt/data/hdf5_dataset.hpp"
#include "test_util.hpp"

using namespace msopt;
using namespace msopt::testing;

TEST(Generator, RowsDoNotDependOnTheNumberOfRanks) {
  auto spec = small_spec(1001, {5, 4, 3}, {1, 0.1, 0.01}, true);
  spec.shift = 2.0;
  spec.target = "teacher";
  Dataset split = generate_multiscale(spec, PETSC_COMM_WORLD);
  Dataset whole = generate_multiscale(spec, PETSC_COMM_SELF);
  ASSERT_EQ(whole.rows.count, 1001);
  const size_t offset = static_cast<size_t>(split.rows.begin) * split.dim;
  EXPECT_EQ(0, std::memcmp(split.X.data(), whole.X.data() + offset, split.X.size() * sizeof(double)));
  EXPECT_EQ(0, std::memcmp(split.y.data(), whole.y.data() + split.rows.begin, split.y.size() * sizeof(double)));
}

TEST(Generator, ColumnVariancesAreTheScalesSquared) {
  for (const char* dist : {"normal", "uniform"}) {
    auto spec = small_spec(20000, {3, 2}, {2.0, 0.05}, false);
    spec.distribution = dist;
    Dataset data = generate_multiscale(spec, PETSC_COMM_WORLD);
    auto X = gather_all(data, data.X, data.dim);
    for (PetscInt j = 0; j < data.dim; ++j) {
      double s2 = 0;
      for (PetscInt i = 0; i < data.n_global; ++i) s2 += X[i * data.dim + j] * X[i * data.dim + j];
      const double expected = j < 3 ? 4.0 : 0.0025;
      EXPECT_NEAR(s2 / data.n_global, expected, 0.05 * expected) << dist << " column " << j;
    }
  }
}

TEST(Generator, RotationIsOrthogonal) {
  // The same z rotated by U has covariance U A U^T: traces and Frobenius norms agree.
  auto plain = small_spec(500, {4, 3}, {1, 0.1}, false), rotated = plain;
  rotated.rotate = true;
  Dataset a = generate_multiscale(plain, PETSC_COMM_WORLD), b = generate_multiscale(rotated, PETSC_COMM_WORLD);
  auto Ca = naive_covariance(gather_all(a, a.X, a.dim), a.n_global, a.dim);
  auto Cb = naive_covariance(gather_all(b, b.X, b.dim), b.n_global, b.dim);
  double tr_a = 0, tr_b = 0, f_a = 0, f_b = 0;
  for (PetscInt k = 0; k < a.dim; ++k) tr_a += Ca[k * a.dim + k], tr_b += Cb[k * a.dim + k];
  for (size_t k = 0; k < Ca.size(); ++k) f_a += Ca[k] * Ca[k], f_b += Cb[k] * Cb[k];
  EXPECT_NEAR(tr_a, tr_b, 1e-12 * tr_a);
  EXPECT_NEAR(f_a, f_b, 1e-12 * f_a);
  double off_diagonal = 0;
  for (PetscInt r = 0; r < a.dim; ++r)
    for (PetscInt c = 0; c < a.dim; ++c)
      if (r != c) off_diagonal = std::max(off_diagonal, std::fabs(Cb[r * a.dim + c]));
  EXPECT_GT(off_diagonal, 0.01);  // the rotation did mix the directions
}

TEST(Hdf5Dataset, RoundTripsRowsAndAttributes) {
  auto dir = shared_temp_dir(PETSC_COMM_WORLD);
  Dataset data = generate_multiscale(small_spec(37, {3, 2}, {1, 0.1}, true), PETSC_COMM_WORLD);
  write_dataset(dir + "/d.h5", data);
  Dataset back = read_dataset(dir + "/d.h5", PETSC_COMM_WORLD);
  EXPECT_EQ(back.n_global, 37);
  EXPECT_EQ(back.dim, 5);
  EXPECT_EQ(back.X, data.X);
  EXPECT_EQ(back.y, data.y);
  bool found = false;
  for (const auto& a : back.attributes)
    if (a.name == "scales") found = a.numbers == std::vector<double>{1, 0.1};
  EXPECT_TRUE(found);
}

TEST(Hdf5Dataset, RejectsMissingFilesAndNonFiniteValues) {
  auto dir = shared_temp_dir(PETSC_COMM_WORLD);
  EXPECT_THROW(read_dataset(dir + "/absent.h5", PETSC_COMM_WORLD), Error);
  Dataset data = generate_multiscale(small_spec(20, {2}, {1}, false), PETSC_COMM_WORLD);
  int rank = 0, size = 1;
  MPI_Comm_rank(PETSC_COMM_WORLD, &rank);
  MPI_Comm_size(PETSC_COMM_WORLD, &size);
  if (rank == size - 1) data.X.back() = NAN;  // one rank only: still an error everywhere
  write_dataset(dir + "/nan.h5", data);
  try {
    read_dataset(dir + "/nan.h5", PETSC_COMM_WORLD);
    FAIL() << "no error for NaN";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("row 19"), std::string::npos) << e.what();
  }
}
