#include "msopt/linalg/scale_groups.hpp"

#include <algorithm>
#include <cstdio>

#include "msopt/core/error.hpp"

namespace msopt {

std::vector<ScaleGroup> detect_scale_groups(const std::vector<double>& descending, double gap_ratio, double max_kappa) {
  require(!descending.empty(), "the spectrum is empty");
  require(gap_ratio > 1, "the gap ratio must be larger than 1");
  require(max_kappa == 0 || max_kappa > 1, "the largest condition number of a group must be larger than 1");
  for (size_t k = 0; k + 1 < descending.size(); ++k)
    require(descending[k] >= descending[k + 1], "the spectrum is not sorted in descending order");
  require(descending.back() > 0,
          "the operator has a non-positive eigenvalue (" + std::to_string(descending.back()) +
              "): a singular covariance (fewer samples than features, collinear features) or a Hessian with a null "
              "space or negative curvature; -spec_floor leaves such eigenvalues out of the groups");
  std::vector<ScaleGroup> groups;
  ScaleGroup current{descending[0], descending[0], 1};
  for (size_t k = 1; k < descending.size(); ++k) {
    const bool gap = descending[k - 1] / descending[k] >= gap_ratio;
    if (gap || (max_kappa > 0 && current.sigma_max / descending[k] > max_kappa)) {
      groups.push_back(current);
      current = {descending[k], descending[k], 0};
    }
    current.sigma_min = descending[k];
    ++current.size;
  }
  groups.push_back(current);
  return groups;
}

std::vector<ScaleGroup> split_scale_groups(const std::vector<ScaleGroup>& groups, const std::vector<double>& descending,
                                           double gap_ratio) {
  require(gap_ratio > 1, "the gap ratio must be larger than 1");
  std::vector<ScaleGroup> pieces;
  for (const ScaleGroup& g : groups) {
    std::vector<double> inside;
    for (double lambda : descending)
      if (lambda <= g.sigma_max && lambda >= g.sigma_min) inside.push_back(lambda);
    if (inside.size() < 2) {
      pieces.push_back(g);
      continue;
    }
    std::vector<ScaleGroup> cut = detect_scale_groups(inside, gap_ratio);
    cut.front().sigma_max = g.sigma_max;
    cut.back().sigma_min = g.sigma_min;
    pieces.insert(pieces.end(), cut.begin(), cut.end());
  }
  return pieces;
}

std::vector<ScaleGroup> join_across_unknown(const std::vector<ScaleGroup>& groups, double upper, double lower,
                                            PetscInt unknown) {
  auto holding = [&](double lambda) {
    return std::find_if(groups.begin(), groups.end(),
                        [&](const ScaleGroup& g) { return lambda <= g.sigma_max && lambda >= g.sigma_min; });
  };
  const auto first = holding(upper), last = holding(lower);
  if (first == groups.end() || last == groups.end() || last < first) return groups;
  ScaleGroup joined{first->sigma_max, last->sigma_min, unknown};
  for (auto g = first; g <= last; ++g) joined.size += g->size;
  std::vector<ScaleGroup> out(groups.begin(), first);
  out.push_back(joined);
  out.insert(out.end(), last + 1, groups.end());
  return out;
}

std::string format_group_table(const std::vector<ScaleGroup>& groups) {
  std::string text = "  group      sigma_i  sigma_i_min     d_i    kappa_i          r_i\n";
  char line[160];
  for (size_t i = 0; i < groups.size(); ++i) {
    const auto& g = groups[i];
    if (i + 1 < groups.size())
      std::snprintf(line, sizeof line, "  %5zu %12.5e %12.5e %7d %10.4f %12.5e\n", i + 1, g.sigma_max, g.sigma_min,
                    static_cast<int>(g.size), g.kappa(), groups[i + 1].sigma_max / g.sigma_max);
    else
      std::snprintf(line, sizeof line, "  %5zu %12.5e %12.5e %7d %10.4f %12s\n", i + 1, g.sigma_max, g.sigma_min,
                    static_cast<int>(g.size), g.kappa(), "-");
    text += line;
  }
  return text;
}

}  // namespace msopt
