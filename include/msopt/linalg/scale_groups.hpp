// Scale groups of a spectrum (MrGD paper, eq. 13): the sorted eigenvalues
// split at large gaps; group i has top sigma_i, bottom sigma_{i,d_i}, local
// condition number kappa_i and decay rate r_i = sigma_{i+1} / sigma_i.
#pragma once
#include <petscsys.h>

#include <string>
#include <vector>

namespace msopt {

struct ScaleGroup {
  double sigma_max = 0;  // sigma_i
  double sigma_min = 0;  // sigma_{i,d_i}
  PetscInt size = 0;     // d_i (eigenvalues known in the group)
  double kappa() const { return sigma_max / sigma_min; }
};

// `descending` eigenvalues, all positive. A new group starts where
// lambda_k / lambda_{k+1} >= gap_ratio, and, if max_kappa > 0, where the
// group would otherwise span more than max_kappa (a smoothly decaying
// spectrum, as real data have, is cut into bands). Throws msopt::Error for
// non-positive eigenvalues.
std::vector<ScaleGroup> detect_scale_groups(const std::vector<double>& descending, double gap_ratio,
                                            double max_kappa = 0);

// `groups` cut further where two consecutive eigenvalues inside one of them
// (`descending`: the whole spectrum) differ by gap_ratio or more. Each piece
// spans its eigenvalues; the first keeps its group's top, the last its bottom.
std::vector<ScaleGroup> split_scale_groups(const std::vector<ScaleGroup>& groups, const std::vector<double>& descending,
                                           double gap_ratio);

// `groups` (descending) of a spectrum known at its two ends only, `upper` the
// least eigenvalue known from the top, `lower` the largest from the bottom,
// and `unknown` eigenvalues between them, anywhere in [lower, upper]: the
// groups from the one holding `upper` to the one holding `lower` become one,
// with the unknown ones counted in. Unchanged where either end lies outside
// the groups (under the spectrum's floor).
std::vector<ScaleGroup> join_across_unknown(const std::vector<ScaleGroup>& groups, double upper, double lower,
                                            PetscInt unknown);

// The table of the issue: sigma_i, sigma_i_min, d_i, kappa_i, r_i.
std::string format_group_table(const std::vector<ScaleGroup>& groups);

}  // namespace msopt
