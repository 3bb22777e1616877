#include <gtest/gtest.h>

#include <cmath>

#include "mgdl/mgdl_test_util.hpp"
#include "msopt/mgdl/msdl.hpp"
#include "test_util.hpp"

using namespace msopt;
using namespace msopt::testing;

namespace {

std::vector<double> perturbed(const std::vector<double>& theta, std::uint64_t seed, double size) {
  const CounterRng rng(seed);
  std::vector<double> out = theta;
  for (size_t k = 0; k < out.size(); ++k) out[k] += size * (rng.uniform2(1, k, 0)[0] - 0.5);
  return out;
}

}  // namespace

// f(x) = sum_s N_s(a_s x): against plain loops over each sub-network.
TEST(Msdl, OutputIsTheSumOfTheScaledSubNetworks) {
  const Dataset data = smooth_dataset(PETSC_COMM_WORLD, 120, 2);
  const std::vector<PetscInt> widths{2, 5, 4, 1};
  const std::vector<double> scales{1, 2, 4, 8};
  Msdl msdl(data, widths, scales, Activation::relu);
  ASSERT_EQ(msdl.dim(), 4 * (3 * 5 + 6 * 4 + 5));
  const auto theta = perturbed(msdl.initial_parameters(4, "glorot"), 8, 0.4);
  std::vector<double> f(data.rows.count);
  msdl.predict(theta.data(), data.X.data(), data.rows.count, f.data());
  double loss = 0;
  for (PetscInt i = 0; i < data.rows.count; ++i) {
    double sum = 0;
    for (size_t s = 0; s < scales.size(); ++s) {
      const double x[2] = {scales[s] * data.row(i)[0], scales[s] * data.row(i)[1]};
      sum += naive_network(widths, theta.data() + s * msdl.sub_dim(), x, Activation::relu);
    }
    EXPECT_NEAR(f[i], sum, 1e-12 * (1 + std::fabs(sum)));
    loss += 0.5 * (sum - data.y[i]) * (sum - data.y[i]);
  }
  double total = 0;
  MPI_Allreduce(&loss, &total, 1, MPI_DOUBLE, MPI_SUM, PETSC_COMM_WORLD);
  std::vector<double> g(msdl.dim());
  EXPECT_NEAR(msdl.value_and_gradient(theta.data(), g.data()), total / data.n_global, 1e-12);
}

// Exact gradient and H v against central differences (smooth activation).
TEST(Msdl, GradientAndHessianVectorMatchFiniteDifferences) {
  const Dataset data = smooth_dataset(PETSC_COMM_WORLD, 90, 1);
  Msdl msdl(data, {1, 6, 6, 1}, {1, 2, 4, 8}, Activation::tanh);
  const PetscInt d = msdl.dim();
  const auto theta = perturbed(msdl.initial_parameters(2, "glorot"), 3, 0.3);
  const auto v = perturbed(std::vector<double>(d, 0.0), 5, 1.0);
  std::vector<double> g(d), gp(d), gm(d), hv(d);
  msdl.value_and_gradient(theta.data(), g.data());
  msdl.hessian_vector(theta.data(), v.data(), hv.data());
  const double h = 1e-5;
  for (PetscInt k = 0; k < d; k += 7) {  // gradient entries
    auto tp = theta, tm = theta;
    tp[k] += h;
    tm[k] -= h;
    const double fd = (msdl.value_and_gradient(tp.data(), gp.data()) - msdl.value_and_gradient(tm.data(), gm.data())) / (2 * h);
    EXPECT_NEAR(g[k], fd, 1e-7 * (1 + std::fabs(fd))) << "gradient entry " << k;
  }
  auto tp = theta, tm = theta;
  for (PetscInt k = 0; k < d; ++k) tp[k] += h * v[k], tm[k] -= h * v[k];
  msdl.value_and_gradient(tp.data(), gp.data());
  msdl.value_and_gradient(tm.data(), gm.data());
  double scale = 0;
  for (PetscInt k = 0; k < d; ++k) scale = std::max(scale, std::fabs(hv[k]));
  ASSERT_GT(scale, 0);
  for (PetscInt k = 0; k < d; ++k) EXPECT_NEAR(hv[k], (gp[k] - gm[k]) / (2 * h), 1e-6 * scale) << "H v entry " << k;
}
