#include "msopt/optim/chebyshev_schedule.hpp"

#include <algorithm>
#include <cmath>
#include <string>

#include "msopt/core/error.hpp"

namespace msopt {

std::vector<int> fractal_order(int steps) {
  require(steps >= 1 && (steps & (steps - 1)) == 0,
          "the Chebyshev cycle length must be a power of 2 (got " + std::to_string(steps) + ")");
  std::vector<int> order{1};
  while (static_cast<int>(order.size()) < steps) {
    const int n2 = 2 * static_cast<int>(order.size());
    std::vector<int> next;
    next.reserve(n2);
    for (int s : order) next.insert(next.end(), {s, n2 + 1 - s});
    order.swap(next);
  }
  return order;
}

std::vector<double> chebyshev_nodes(double lambda_min, double lambda_max, int steps) {
  std::vector<double> nodes(steps);
  const double mid = 0.5 * (lambda_max + lambda_min), half = 0.5 * (lambda_max - lambda_min);
  for (int k = 1; k <= steps; ++k) nodes[k - 1] = mid + half * std::cos((2 * k - 1) * M_PI / (2.0 * steps));
  return nodes;
}

int chebyshev_default_steps(double kappa) {
  const double exponent = std::round(0.5 * std::log2(std::max(kappa, 1.0)));
  return 1 << static_cast<int>(std::clamp(exponent, 0.0, 12.0));
}

namespace {

// Largest |prod of (1 - rate lambda)| over the interval after every prefix of
// the cycle, sampled at the Chebyshev extrema of a finer grid and the ends.
double sampled_worst_amplification(const std::vector<double>& rates, const std::vector<int>& order,
                                   double lambda_min, double lambda_max) {
  const int samples = 64 * static_cast<int>(order.size()) + 1;
  std::vector<double> product(samples, 1.0), lambda(samples);
  for (int s = 0; s < samples; ++s)
    lambda[s] = lambda_min + (lambda_max - lambda_min) * 0.5 * (1 - std::cos(M_PI * s / (samples - 1)));
  double worst = 1;
  for (int j : order)
    for (int s = 0; s < samples; ++s) {
      product[s] *= 1 - rates[j] * lambda[s];
      worst = std::max(worst, std::fabs(product[s]));
    }
  return worst;
}

}  // namespace

MultirateSchedule chebyshev_schedule(double lambda_max, double kappa, int steps) {
  require(std::isfinite(lambda_max) && lambda_max > 0, "the Chebyshev cycle needs a positive largest eigenvalue");
  require(std::isfinite(kappa) && kappa >= 1, "the Chebyshev cycle needs an interval ratio kappa >= 1");
  const double lambda_min = lambda_max / kappa;
  const std::vector<double> nodes = chebyshev_nodes(lambda_min, lambda_max, steps);
  MultirateSchedule s;
  for (double node : nodes) s.rates.push_back(1.0 / node);
  s.counts.assign(steps, 1);
  for (int k : fractal_order(steps)) s.order.push_back(k - 1);
  s.chebyshev_kappa = kappa;
  s.cycle_contraction = 1.0 / std::cosh(steps * std::acosh((kappa + 1) / (kappa - 1)));
  s.worst_amplification = sampled_worst_amplification(s.rates, s.order, lambda_min, lambda_max);
  std::vector<int> sorted(steps);  // largest rates first, as Algorithm 1 would take them
  for (int k = 0; k < steps; ++k) sorted[k] = steps - 1 - k;
  s.naive_amplification = sampled_worst_amplification(s.rates, sorted, lambda_min, lambda_max);
  return s;
}

}  // namespace msopt
