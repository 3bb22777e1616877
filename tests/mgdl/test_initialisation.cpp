#include <gtest/gtest.h>

#include <cmath>

#include "mgdl/mgdl_test_util.hpp"
#include "msopt/mgdl/initialisation.hpp"
#include "test_util.hpp"

using namespace msopt;
using namespace msopt::testing;

// PyTorch's default: every weight and bias in (-1/sqrt(n_in), 1/sqrt(n_in)), spread over it, nonzero biases;
// a layer's values do not depend on the widths of later layers.
TEST(MgdlInitialisation, TorchDefaultBoundsAndIndependence) {
  const Dataset data = smooth_dataset(PETSC_COMM_WORLD, 8, 1);
  Mlp shallow(data, {1, 32, 1}, {Activation::relu}, MlpLoss::least_squares);
  Mlp deep(data, {1, 32, 16, 1}, {Activation::relu}, MlpLoss::least_squares);
  const auto a = network_initial_parameters(shallow, 4, "torch"), b = network_initial_parameters(deep, 4, "torch");
  for (PetscInt k = 0; k < shallow.layer_size(0); ++k) ASSERT_EQ(a[k], b[k]) << k;
  for (PetscInt l = 0; l < deep.num_layers(); ++l) {
    const double bound = 1 / std::sqrt(static_cast<double>(deep.widths()[l]));
    double lo = bound, hi = -bound;
    for (PetscInt k = deep.layer_offset(l); k < deep.layer_offset(l) + deep.layer_size(l); ++k) {
      ASSERT_LT(std::fabs(b[k]), bound);
      lo = std::min(lo, b[k]);
      hi = std::max(hi, b[k]);
    }
    EXPECT_LT(lo, -0.5 * bound) << l;
    EXPECT_GT(hi, 0.5 * bound) << l;
    EXPECT_NE(b[deep.bias_offset(l)], 0.0);
  }
  EXPECT_NE(network_initial_parameters(shallow, 5, "torch"), a);
  EXPECT_EQ(network_initial_parameters(shallow, 4, "he"), shallow.initial_parameters(4, "he"));
}
