// The loss along a line through a point (landscape paper, Sec. 3, Fig. 3.1):
// L(w + t u) for a unit direction u and t on a uniform grid, with the second
// finite differences of the values, (L(t+h) - 2 L(t) + L(t-h)) / h^2, which
// approximate the curvature u^T H(w + t u) u along the line.
#pragma once
#include <cstdint>
#include <vector>

#include "msopt/models/objective.hpp"

namespace msopt {

struct LossSlice {
  std::vector<double> t;                  // grid, -radius .. radius
  std::vector<double> loss;               // L(w + t u)
  std::vector<double> second_difference;  // at t[1..n-2]; size n - 2
  double curvature_at_point = 0;          // u^T H(w) u, exact (one Hessian-vector product)
};

// Collective. `direction` need not be normalised (it must be non-zero);
// points >= 3 and odd, so t = 0 is on the grid.
LossSlice loss_slice(Objective& objective, const std::vector<double>& w, std::vector<double> direction,
                     double radius, int points);

// A direction of unit length from the seed, the same on every rank: the
// normalised standard normal vector of CounterRng(seed).
std::vector<double> random_direction(PetscInt dim, std::uint64_t seed);

}  // namespace msopt
