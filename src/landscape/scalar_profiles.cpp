#include "msopt/landscape/scalar_profiles.hpp"

#include <cmath>

namespace msopt {

Profile f1_profile(double x) {
  const double a = std::fabs(x), s = x < 0 ? -1.0 : 1.0;
  const double l = std::log1p(a);
  return {(1 + a) * l - a, s * l, 1 / (1 + a)};
}

Profile population_profile(double w, double C) {
  const double a = std::fabs(w), s = w < 0 ? -1.0 : 1.0;
  if (a <= 1 / C) return {C * C * w * w / 3, 2 * C * C * w / 3, 2 * C * C / 3};
  return {1 - 2 / (3 * C * a), s * 2 / (3 * C * a * a), -4 / (3 * C * a * a * a)};
}

namespace {
double relu(double z) { return z > 0 ? z : 0; }
double step(double z) { return z > 0 ? 1 : 0; }
}  // namespace

double relu3_network(double x, double w) {
  return 1 - relu(w * x + 1) + 2 * relu(w * x) - relu(w * x - 1);  // eq. (6.1)
}

Profile relu3_loss_profile(double w, const std::vector<double>& inputs) {
  Profile p;
  const double n = static_cast<double>(inputs.size());
  for (double x : inputs) {
    const double f = relu3_network(x, w);
    const double df = x * (-step(w * x + 1) + 2 * step(w * x) - step(w * x - 1));
    p.value += f * f / n;
    p.d1 += 2 * f * df / n;
    p.d2 += 2 * df * df / n;
  }
  return p;
}

}  // namespace msopt
