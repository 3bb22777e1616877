#include "msopt/landscape/loss_slice.hpp"
#include "msopt/core/vector_norm.hpp"

#include <cmath>

#include "msopt/core/error.hpp"
#include "msopt/core/rng.hpp"

namespace msopt {

namespace {

double normalise(std::vector<double>& v) {
  const double n = euclidean_norm(v);
  if (n > 0)
    for (double& x : v) x /= n;
  return n;
}

}  // namespace

LossSlice loss_slice(Objective& objective, const std::vector<double>& w, std::vector<double> direction, double radius,
                     int points) {
  require(points >= 3 && points % 2 == 1, "loss slice: the number of points must be odd and at least 3");
  require(radius > 0 && std::isfinite(radius), "loss slice: the radius must be positive");
  require(direction.size() == w.size(), "loss slice: the direction has the wrong size");
  const double length = normalise(direction);
  require(length > 0 && std::isfinite(length), "loss slice: the direction is zero or not finite");

  LossSlice slice;
  const size_t d = w.size();
  std::vector<double> point(d), gradient(d);
  const double h = 2 * radius / (points - 1);
  for (int k = 0; k < points; ++k) {
    const double t = -radius + k * h;
    for (size_t i = 0; i < d; ++i) point[i] = w[i] + t * direction[i];
    slice.t.push_back(t);
    slice.loss.push_back(objective.value_and_gradient(point.data(), gradient.data()));
  }
  for (int k = 1; k + 1 < points; ++k)
    slice.second_difference.push_back((slice.loss[k + 1] - 2 * slice.loss[k] + slice.loss[k - 1]) / (h * h));
  objective.hessian_vector(w.data(), direction.data(), gradient.data());
  for (size_t i = 0; i < d; ++i) slice.curvature_at_point += direction[i] * gradient[i];
  return slice;
}

std::vector<double> random_direction(PetscInt dim, std::uint64_t seed) {
  const CounterRng rng(seed);
  std::vector<double> u(static_cast<size_t>(dim));
  for (PetscInt k = 0; k < dim; k += 2) {
    auto pair = rng.normal2(0, static_cast<std::uint64_t>(k / 2), 0);
    u[k] = pair[0];
    if (k + 1 < dim) u[k + 1] = pair[1];
  }
  normalise(u);
  return u;
}

}  // namespace msopt
