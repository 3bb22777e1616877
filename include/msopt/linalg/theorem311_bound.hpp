// The one-cycle bound of Theorem 3.11 (MrGD paper) for MrGD in Algorithm 1's
// order (groups m, ..., 1; 0-based here, largest scale first):
//   ||theta^k - theta*|| <= rho ||theta^{k-1} - theta*|| + delta m C B,
// where rho = max_i c_i (eq. 147, = eq. 19 when the counts satisfy eq. 18) and
// B = max_i sum_j eta_j E_i^j prod_{s<j} f_{i,s}^{n_s} (eq. 146, with E's index
// shifted by one: the steps of group j are followed by those of groups < j),
// f_{i,s} = 1 - eta_s sigma_{i,d_i} for s <= i, |1 - eta_s sigma_i| for s > i,
// E_i^j = sum_{s < n_j} f_{i,j}^s (eq. 145). With ||theta - theta*|| <= C the
// cycle contracts when rho + delta m B < 1.
#pragma once
#include <petscsys.h>

#include <vector>

#include "msopt/linalg/scale_groups.hpp"

namespace msopt {

struct Theorem311Bound {
  double rho = 0;     // contraction of the error for delta = 0 (Corollary 3.12)
  double B = 0;       // multiplies delta m C
  size_t groups = 0;  // m
  // The bound on ||theta^k - theta*|| / C when ||theta^{k-1} - theta*|| <= C.
  double factor(double delta) const { return rho + delta * static_cast<double>(groups) * B; }
};

Theorem311Bound theorem311_bound(const std::vector<ScaleGroup>& groups, const std::vector<double>& rates,
                                 const std::vector<PetscInt>& counts);

}  // namespace msopt
