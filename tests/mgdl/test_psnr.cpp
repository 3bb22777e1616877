#include <gtest/gtest.h>

#include <cmath>

#include "image_test_util.hpp"
#include "msopt/mgdl/psnr.hpp"

using namespace msopt;
using namespace msopt::testing;

TEST(Psnr, KnownMeanSquaredErrors) {
  const PetscInt H = 10, W = 13, n = H * W;
  const auto truth = test_image(H, W);
  const RowBlock mine = split_rows(n, PETSC_COMM_WORLD);
  VecHandle v = create_pixel_vec(PETSC_COMM_WORLD, n), w = create_pixel_vec(PETSC_COMM_WORLD, n);
  set_from_replicated(v, truth);

  // A constant offset of 0.1: MSE = 0.01, PSNR = 20 dB.
  std::vector<double> shifted(truth);
  for (double& x : shifted) x += 0.1;
  set_from_replicated(w, shifted);
  EXPECT_NEAR(psnr(v, w), 20.0, 1e-12);
  EXPECT_NEAR(psnr(PETSC_COMM_WORLD, truth.data() + mine.begin, shifted.data() + mine.begin, mine.count), 20.0,
              1e-12);

  // Eq. (34) on the 0-255 scale: +-5 grey levels on alternate pixels,
  // 0 elsewhere: ||v - v_hat||^2 = 25 * 65, PSNR = 10 log10(130 * 255^2 / (25 * 65)).
  std::vector<double> alternating(truth);
  for (PetscInt i = 0; i < n; i += 2) alternating[i] += (i % 4 == 0 ? 5.0 : -5.0) / 255.0;
  set_from_replicated(w, alternating);
  EXPECT_NEAR(psnr(v, w), 10 * std::log10(130.0 * 255 * 255 / (25.0 * 65)), 1e-10);

  EXPECT_TRUE(std::isinf(psnr(v, v)));
}
