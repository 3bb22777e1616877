#include <gtest/gtest.h>

#include <cmath>

#include "msopt/mgdl/synthetic.hpp"
#include "test_util.hpp"

using namespace msopt;
using namespace msopt::testing;

TEST(MgdlSynthetic, GridPointsAndTargetsFollowEquation5) {
  SyntheticSpec spec;
  spec.setting = 2;
  spec.n = 1024;
  Dataset data = generate_synthetic(spec, PETSC_COMM_WORLD);
  ASSERT_EQ(data.dim, 1);
  const auto X = gather_all(data, data.X, 1), y = gather_all(data, data.y, 1);
  const std::vector<double> kappa{1, 8.25, 15.5, 22.75, 30}, phi = spec.phases();
  ASSERT_EQ(phi.size(), 5u);
  for (double p : phi) EXPECT_TRUE(p > 0 && p < 2 * M_PI);
  EXPECT_EQ(X.front(), 0.0);
  EXPECT_EQ(X.back(), 1.0);
  for (PetscInt i = 0; i < 1024; i += 37) {
    EXPECT_DOUBLE_EQ(X[i], i / 1023.0);
    double g = 0;
    for (int j = 0; j < 5; ++j) g += std::sin(2 * M_PI * kappa[j] * X[i] + phi[j]);
    EXPECT_NEAR(y[i], g, 1e-12);
  }
}

TEST(MgdlSynthetic, UniformSampleDependsOnlyOnSeedAndIndex) {
  SyntheticSpec a, b;
  a.sampling = b.sampling = "uniform";
  a.n = 1000;
  b.n = 1500;
  a.seed = b.seed = 3;
  const Dataset da = generate_synthetic(a, PETSC_COMM_WORLD), db = generate_synthetic(b, PETSC_COMM_WORLD);
  const auto xa = gather_all(da, da.X, 1), xb = gather_all(db, db.X, 1);
  const auto ya = gather_all(da, da.y, 1), yb = gather_all(db, db.y, 1);
  for (size_t i = 0; i < xa.size(); ++i) {
    ASSERT_EQ(xa[i], xb[i]) << i;
    ASSERT_EQ(ya[i], yb[i]) << i;
    ASSERT_TRUE(xa[i] > 0 && xa[i] < 1);
  }
  SyntheticSpec c = a;
  c.seed = 4;  // other points, same target function (phases from -data_phase_seed)
  const Dataset dc = generate_synthetic(c, PETSC_COMM_WORLD);
  const auto xc = gather_all(dc, dc.X, 1), yc = gather_all(dc, dc.y, 1);
  EXPECT_NE(xa[0], xc[0]);
  EXPECT_EQ(a.phases(), c.phases());
  EXPECT_NEAR(yc[0], synthetic_target(xc[0], {1, 5, 10}, c.phases()), 1e-14);
}
