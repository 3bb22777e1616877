#include "msopt/linalg/theorem311_bound.hpp"

#include <algorithm>
#include <cmath>

#include "msopt/core/error.hpp"

namespace msopt {

namespace {

// f_{i,s}: the largest |1 - eta lambda| on group i's interval; the paper's
// 1 - R_i^s / kappa_i (s <= i) and |1 - R_i^s| (s > i) in their regime (Remark 3.3).
double step_factor(const ScaleGroup& group, double rate) {
  return std::max(std::abs(1 - rate * group.sigma_min), std::abs(1 - rate * group.sigma_max));
}

}  // namespace

Theorem311Bound theorem311_bound(const std::vector<ScaleGroup>& groups, const std::vector<double>& rates,
                                 const std::vector<PetscInt>& counts) {
  const size_t m = groups.size();
  require(m > 0 && rates.size() == m && counts.size() == m, "Theorem 3.11 bound: one rate and count per group");
  Theorem311Bound bound;
  bound.groups = m;
  for (size_t i = 0; i < m; ++i) {
    double c = 1, b = 0;  // c: prod_{s<j} f_{i,s}^{n_s} (eq. 148); ends as c_i (eq. 147)
    for (size_t j = 0; j < m; ++j) {
      const double f = step_factor(groups[i], rates[j]);
      double e = 0;  // E_i^j (eq. 145)
      for (PetscInt s = 0; s < counts[j]; ++s) e += std::pow(f, static_cast<double>(s));
      b += rates[j] * e * c;
      c *= std::pow(f, static_cast<double>(counts[j]));
    }
    bound.rho = std::max(bound.rho, c);
    bound.B = std::max(bound.B, b);
  }
  return bound;
}

}  // namespace msopt
