#include "msopt/mgdl/iteration_spectrum.hpp"

#include "msopt/core/error.hpp"
#include "msopt/linalg/operators.hpp"
#include "msopt/linalg/spectrum.hpp"

namespace msopt {

IterationEigenvalues iteration_eigenvalues(Objective& objective, const std::vector<double>& w, double eta,
                                           PetscInt nev) {
  require(nev >= 1 && 2 * nev <= objective.dim(), "the iteration matrix has " + std::to_string(objective.dim()) +
                                                      " eigenvalues, fewer than 2 x " + std::to_string(nev));
  MatHandle H = create_hessian_shell(objective, w);
  SpectrumSettings settings;
  settings.method = "extremes";
  settings.nev = nev;
  const std::vector<double> mu = compute_eigenvalues(H, settings);  // descending, >= 2 nev values
  IterationEigenvalues out;
  for (PetscInt k = 0; k < nev; ++k) {
    out.smallest.push_back(1.0 - eta * mu[k]);                   // 1 - eta mu_max first
    out.largest.push_back(1.0 - eta * mu[mu.size() - 1 - k]);    // 1 - eta mu_min first
  }
  return out;
}

void IterationSpectra::add(double evaluation, const IterationEigenvalues& values) {
  evaluations.push_back(evaluation);
  smallest.insert(smallest.end(), values.smallest.begin(), values.smallest.end());
  largest.insert(largest.end(), values.largest.begin(), values.largest.end());
}

}  // namespace msopt
