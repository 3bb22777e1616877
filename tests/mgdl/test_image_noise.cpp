#include <gtest/gtest.h>

#include <cmath>
#include <limits>

#include "image_test_util.hpp"
#include "msopt/core/error.hpp"
#include "msopt/mgdl/blur_operator.hpp"
#include "msopt/mgdl/image_noise.hpp"

using namespace msopt;
using namespace msopt::testing;

TEST(ImageNoise, DependsOnlyOnSeedAndPixel) {
  const PetscInt n = 4000;
  VecHandle f = create_pixel_vec(PETSC_COMM_WORLD, n);
  add_gaussian_noise(f, 30, 17);
  const auto noise = gather_replicated(f);
  double mean = 0, square = 0;
  for (PetscInt i = 0; i < n; ++i) {
    // The value owned by any rank equals the one computed alone for (seed, i).
    ASSERT_EQ(noise[i], pixel_noise(30, 17, i));
    mean += noise[i] / n;
    square += noise[i] * noise[i] / n;
  }
  const double sigma = 30 / 255.0;
  EXPECT_LT(std::fabs(mean), 4 * sigma / std::sqrt(double(n)));
  EXPECT_NEAR(std::sqrt(square - mean * mean) / sigma, 1.0, 0.05);
  EXPECT_NE(pixel_noise(30, 18, 0), pixel_noise(30, 17, 0));
  EXPECT_DOUBLE_EQ(pixel_noise(60, 17, 5), 2 * pixel_noise(30, 17, 5));
}

TEST(ImageNoise, ObservationIsBlurPlusNoise) {
  const PetscInt H = 9, W = 8;
  const auto clean = test_image(H, W);
  Dataset data = pixel_dataset(PETSC_COMM_WORLD, H, W, clean);
  MatHandle K = create_blur_operator(PETSC_COMM_WORLD, ImageGrid{H, W}, 1);
  VecHandle observed = observe_image(data, K, 3, 5);
  const auto f_hat = gather_replicated(observed), blurred = apply_operator(K, clean);
  for (PetscInt i = 0; i < H * W; ++i) EXPECT_NEAR(f_hat[i], blurred[i] + pixel_noise(3, 5, i), 1e-15);
  VecHandle noisy = observe_image(data, nullptr, 0, 5);  // identity, no noise: the clean image
  EXPECT_EQ(gather_replicated(noisy), clean);
}

TEST(ImageNoise, RefusesOutOfRangeSigma) {
  for (double bad : {-1.0, 255.5, std::numeric_limits<double>::infinity(), std::numeric_limits<double>::quiet_NaN()})
    EXPECT_THROW(check_noise_sigma(bad), Error) << bad;
  for (double good : {0.0, 3.0, 10.0, 60.0}) EXPECT_NO_THROW(check_noise_sigma(good));
  VecHandle f = create_pixel_vec(PETSC_COMM_WORLD, 10);
  EXPECT_THROW(add_gaussian_noise(f, -5, 1), Error);
}
