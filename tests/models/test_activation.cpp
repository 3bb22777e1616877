// The activations' first and second derivatives (backpropagation's sigma',
// the R-pass's sigma'') against central differences of the activations and
// of their first derivatives.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <vector>

#include "msopt/models/activation.hpp"

using namespace msopt;

namespace {

const std::vector<double> kPoints{-7.5, -2.0, -0.3, -1e-3, 1e-3, 0.4, 1.7, 6.0};

double value(Activation act, double z) {
  double a = 0;
  apply_activation(act, &z, &a, 1);
  return a;
}

double slope(Activation act, double z) {
  const double a = value(act, z);
  double d1 = 0;
  activation_derivatives(act, &z, &a, &d1, nullptr, 1);
  return d1;
}

}  // namespace

TEST(Activation, DerivativesMatchCentralDifferences) {
  for (Activation act : {Activation::relu, Activation::tanh, Activation::sigmoid, Activation::softplus}) {
    std::vector<double> a(kPoints.size()), d1(kPoints.size()), d2(kPoints.size());
    apply_activation(act, kPoints.data(), a.data(), kPoints.size());
    activation_derivatives(act, kPoints.data(), a.data(), d1.data(), d2.data(), kPoints.size());
    for (size_t i = 0; i < kPoints.size(); ++i) {
      const double h = 1e-6 * std::max(1.0, std::fabs(kPoints[i]));  // never across relu's kink
      const double fd = (value(act, kPoints[i] + h) - value(act, kPoints[i] - h)) / (2 * h);
      EXPECT_NEAR(d1[i], fd, 1e-8) << activation_name(act) << " at " << kPoints[i];
      const double fd2 = (slope(act, kPoints[i] + h) - slope(act, kPoints[i] - h)) / (2 * h);
      EXPECT_NEAR(d2[i], fd2, 1e-7) << activation_name(act) << " at " << kPoints[i];
    }
  }
}

TEST(Activation, MultiplyByDerivativeScalesByTheCentralDifference) {
  const std::vector<double> in{3.0, -0.5, 2.0, 7.0, -4.0, 0.25, -1.5, 9.0};
  for (Activation act : {Activation::relu, Activation::tanh, Activation::sigmoid, Activation::softplus}) {
    std::vector<double> a(kPoints.size()), out(kPoints.size()), in_place = in;
    apply_activation(act, kPoints.data(), a.data(), kPoints.size());
    multiply_by_derivative(act, kPoints.data(), a.data(), in.data(), out.data(), kPoints.size());
    multiply_by_derivative(act, kPoints.data(), a.data(), in_place.data(), in_place.data(), kPoints.size());
    for (size_t i = 0; i < kPoints.size(); ++i) {
      const double h = 1e-6 * std::max(1.0, std::fabs(kPoints[i]));
      const double fd = (value(act, kPoints[i] + h) - value(act, kPoints[i] - h)) / (2 * h);
      EXPECT_NEAR(out[i], fd * in[i], 1e-7) << activation_name(act) << " at " << kPoints[i];
      EXPECT_EQ(in_place[i], out[i]) << activation_name(act) << " in place at " << kPoints[i];
    }
  }
}
